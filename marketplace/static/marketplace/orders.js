// Checkout: reload the communes of the chosen province without leaving the page.
(function () {
  "use strict";
  var form = document.querySelector("[data-communes-url]");
  if (!form) return;
  var province = form.querySelector("select[name=province]");
  var commune = form.querySelector("select[name=commune]");
  if (!province || !commune) return;
  province.addEventListener("change", function () {
    var url = form.getAttribute("data-communes-url").replace(/\/0\//, "/" + encodeURIComponent(province.value) + "/");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        commune.innerHTML = "";
        var blank = document.createElement("option");
        blank.value = ""; blank.textContent = "---------";
        commune.appendChild(blank);
        items.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.code; option.textContent = item.name;
          commune.appendChild(option);
        });
      });
  });
})();
