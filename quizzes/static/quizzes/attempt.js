// Attempt page: every click is saved at once (PUT, safe to repeat). One request per question is
// in flight at a time and the newest choice always wins; saves that fail for lack of network
// (or a server hiccup) wait in localStorage and are sent again. The countdown follows the
// server's remaining seconds; the server alone decides what arrives in time.
(function () {
  "use strict";
  var root = document.querySelector("[data-attempt]");
  if (!root) return;
  var api = root.getAttribute("data-api");
  var form = root.querySelector("[data-attempt-form]");
  var statusEl = root.querySelector("[data-save-status]");
  var countdownEl = root.querySelector("[data-countdown]");
  var text = JSON.parse(document.getElementById("attempt-messages").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pendingKey = "attempt-pending:" + api;
  var pending = JSON.parse(localStorage.getItem(pendingKey) || "{}");
  var inflight = {};
  var endsAt = Date.now() + parseInt(root.getAttribute("data-remaining"), 10) * 1000;

  function show(message) { statusEl.textContent = message; }
  function remember() { localStorage.setItem(pendingKey, JSON.stringify(pending)); }

  function send(key) {
    var item = pending[key];
    if (!item || inflight[key]) return;
    inflight[key] = true;
    var body = JSON.stringify(item.body);
    show(text.saving);
    fetch(api + item.path, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body
    }).then(function (response) {
      inflight[key] = false;
      if (response.status === 409) { window.location.reload(); return; }
      var unchanged = pending[key] && JSON.stringify(pending[key].body) === body;
      var retryable = response.status === 429 || response.status >= 500;
      if (unchanged && !retryable) { delete pending[key]; remember(); }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          show(text.saved);
          endsAt = Date.now() + data.remaining_seconds * 1000;
        } else {
          show(data.detail || text.offline);
        }
        if (!unchanged) send(key);  // a newer choice was made meanwhile
      });
    }).catch(function () { inflight[key] = false; show(text.offline); });
  }

  function queue(key, path, body) {
    pending[key] = { path: path, body: body };
    remember();
    send(key);
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("[data-question]");
    if (fieldset) {
      var id = parseInt(fieldset.getAttribute("data-question"), 10);
      var choices = Array.prototype.map.call(
        fieldset.querySelectorAll("input:checked"), function (i) { return parseInt(i.value, 10); });
      queue("q" + id, "/answers", { question: id, choices: choices });
      return;
    }
    if (event.target.matches("[data-prediction]") && /^\d+$/.test(event.target.value)) {
      queue("prediction", "/prediction", { value: parseInt(event.target.value, 10) });
    }
  });

  function flush() { Object.keys(pending).forEach(send); }
  window.addEventListener("online", flush);
  window.setInterval(flush, 10000);
  flush();

  form.addEventListener("submit", function (event) {
    if (!window.confirm(text.confirm)) { event.preventDefault(); return; }
    localStorage.removeItem(pendingKey);
  });

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    countdownEl.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0) {
      show(text.closed);
      localStorage.removeItem(pendingKey);
      window.setTimeout(function () { form.submit(); }, 1500);
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
