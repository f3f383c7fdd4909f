// Progressive enhancement only: without JavaScript the menu is simply always open.
(function () {
    document.documentElement.classList.add("js");
    var toggle = document.querySelector(".main-nav__toggle");
    var list = document.getElementById("main-menu");
    if (!toggle || !list) return;
    var narrow = window.matchMedia("(max-width: 999px)");
    function sync() {
        if (narrow.matches) {
            toggle.hidden = false;
            list.dataset.collapsed = toggle.getAttribute("aria-expanded") === "true" ? "false" : "true";
        } else {
            toggle.hidden = true;
            list.dataset.collapsed = "false";
        }
    }
    toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        sync();
    });
    narrow.addEventListener("change", sync);
    sync();
})();
