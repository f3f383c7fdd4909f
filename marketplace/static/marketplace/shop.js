// "My shop": sub-groups follow the OCOP group, photo previews, confirmations.
// Needs js/communes.js first (communes follow the province; window.portalFillSelect).
(function () {
  "use strict";

  var fillSelect = window.portalFillSelect;

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
