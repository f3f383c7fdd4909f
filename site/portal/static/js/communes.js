// Forms with data-communes-url: the commune list follows the chosen province (2025 units).
// Each select named "...province" drives the select named "...commune" beside it; the server
// checks the pair again. window.portalFillSelect is shared with other page scripts.
(function () {
  "use strict";

  function fillSelect(select, items, keep) {
    var current = keep ? select.value : "";
    select.innerHTML = "";
    var blank = document.createElement("option");
    blank.value = ""; blank.textContent = "---------";
    select.appendChild(blank);
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.id; option.textContent = item.label;
      if (String(item.id) === current) option.selected = true;
      select.appendChild(option);
    });
  }
  window.portalFillSelect = fillSelect;

  document.querySelectorAll("form[data-communes-url]").forEach(function (form) {
    form.querySelectorAll("select[name$=province]").forEach(function (province) {
      var commune = form.querySelector("select[name='" + province.name.replace(/province$/, "commune") + "']");
      if (!commune || province.disabled) return;
      province.addEventListener("change", function () {
        if (!province.value) { fillSelect(commune, [], false); return; }
        var url = form.getAttribute("data-communes-url").replace(/\/0\//, "/" + encodeURIComponent(province.value) + "/");
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            fillSelect(commune, items.map(function (i) { return { id: i.code, label: i.name }; }), false);
          });
      });
    });
  });
})();
