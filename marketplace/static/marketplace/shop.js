// "My shop": communes follow the province, sub-groups follow the OCOP group, photo previews.
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

  // Communes of a province, from the locations API (the server checks the pair again).
  document.querySelectorAll("form[data-communes-url]").forEach(function (form) {
    [["province", "commune"], ["origin_province", "origin_commune"]].forEach(function (pair) {
      var province = form.querySelector("select[name=" + pair[0] + "]");
      var commune = form.querySelector("select[name=" + pair[1] + "]");
      if (!province || !commune || province.disabled) return;
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

  // Sub-groups of the chosen OCOP group, from the JSON the page carries.
  var data = document.getElementById("ocop-subgroups");
  var group = document.querySelector("select[name=group]");
  var subgroup = document.querySelector("select[name=subgroup]");
  if (data && group && subgroup) {
    var byGroup = JSON.parse(data.textContent);
    var update = function (keep) { fillSelect(subgroup, byGroup[group.value] || [], keep); };
    group.addEventListener("change", function () { update(false); });
    if (group.value) update(true);
  }

  // Previews of chosen photos; a too-large file is named at once (the server checks again).
  document.querySelectorAll("[data-preview-for]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-preview-for"));
    if (!input) return;
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || Infinity;
    input.addEventListener("change", function () {
      box.innerHTML = "";
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (file.size > maxBytes) {
          var warning = document.createElement("p");
          warning.textContent = (box.getAttribute("data-too-large") || "") + " " + file.name;
          box.appendChild(warning);
          return;
        }
        if (!/^image\//.test(file.type)) return;
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        box.appendChild(img);
      });
    });
  });

  // Confirm before deleting a draft.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
