// Suggestions under the search boxes (forms with data-autocomplete): products, producers and
// courses from the second character typed. Without JavaScript the form simply submits.
(function () {
    "use strict";
    var MIN_CHARS = 2;
    var DELAY_MS = 120;
    var counter = 0;

    function setup(form) {
        var input = form.querySelector("input[type=search]");
        if (!input) return;
        var url = form.getAttribute("data-autocomplete");
        var listId = "search-suggest-" + (++counter);
        var list = document.createElement("ul");
        list.id = listId;
        list.className = "search-suggest";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", form.getAttribute("data-autocomplete-label") || "");
        list.hidden = true;
        var host = input.parentNode;  // the list hangs right under the box
        host.classList.add("search-suggest-host");
        host.appendChild(list);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-controls", listId);
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("autocomplete", "off");
        var timer = null;
        var controller = null;
        var active = -1;
        var cache = {};

        function close() {
            list.hidden = true;
            list.innerHTML = "";
            active = -1;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }

        function render(items) {
            list.innerHTML = "";
            active = -1;
            if (!items.length) { close(); return; }
            items.forEach(function (item, index) {
                var li = document.createElement("li");
                li.id = listId + "-" + index;
                li.setAttribute("role", "option");
                var a = document.createElement("a");
                a.href = item.url;
                var kind = document.createElement("span");
                kind.className = "search-suggest__kind";
                kind.textContent = item.kind_label;
                var title = document.createElement("span");
                title.className = "search-suggest__title";
                title.innerHTML = item.title_html;  // escaped by the server, <mark> added
                a.appendChild(title);
                a.appendChild(kind);
                li.appendChild(a);
                list.appendChild(li);
            });
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
        }

        function fetchSuggestions(text) {
            if (cache[text]) { render(cache[text]); return; }
            if (controller) controller.abort();
            controller = new AbortController();
            fetch(url + "?q=" + encodeURIComponent(text), {
                signal: controller.signal,
                headers: { "Accept": "application/json" }
            }).then(function (response) {
                return response.ok ? response.json() : { suggestions: [] };
            }).then(function (data) {
                cache[text] = data.suggestions;
                if (input.value.trim() === text) render(data.suggestions);
            }).catch(function () { /* aborted or offline: keep typing */ });
        }

        input.addEventListener("input", function () {
            var text = input.value.trim();
            clearTimeout(timer);
            if (text.length < MIN_CHARS) { close(); return; }
            timer = setTimeout(function () { fetchSuggestions(text); }, DELAY_MS);
        });

        function move(step) {
            var options = list.querySelectorAll("[role=option]");
            if (!options.length) return;
            if (active >= 0) options[active].removeAttribute("aria-selected");
            active = (active + step + options.length) % options.length;
            options[active].setAttribute("aria-selected", "true");
            input.setAttribute("aria-activedescendant", options[active].id);
        }

        input.addEventListener("keydown", function (event) {
            if (list.hidden) return;
            if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
            else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
            else if (event.key === "Escape") { close(); }
            else if (event.key === "Enter" && active >= 0) {
                event.preventDefault();
                window.location.href = list.querySelectorAll("[role=option] a")[active].href;
            }
        });
        document.addEventListener("click", function (event) {
            if (!form.contains(event.target)) close();
        });
    }

    document.querySelectorAll("form[data-autocomplete]").forEach(setup);
})();
