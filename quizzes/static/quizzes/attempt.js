// Attempt page: every click is saved at once (PUT, safe to repeat); saves that fail for lack of
// network wait in localStorage and are sent again when the connection returns. The countdown
// follows the server's remaining seconds; the server alone decides what arrives in time.
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
  var endsAt = Date.now() + parseInt(root.getAttribute("data-remaining"), 10) * 1000;

  function show(message) { statusEl.textContent = message; }
  function remember() { localStorage.setItem(pendingKey, JSON.stringify(pending)); }

  function send(key, path, body) {
    show(text.saving);
    return fetch(api + path, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 409) { window.location.reload(); return; }
      if (response.ok) {
        delete pending[key]; remember(); show(text.saved);
        return response.json().then(function (data) {
          endsAt = Date.now() + data.remaining_seconds * 1000;
        });
      }
      return response.json().then(function (data) { delete pending[key]; remember(); show(data.detail || ""); });
    }).catch(function () { show(text.offline); });
  }

  function saveQuestion(fieldset) {
    var id = parseInt(fieldset.getAttribute("data-question"), 10);
    var choices = Array.prototype.map.call(
      fieldset.querySelectorAll("input:checked"), function (i) { return parseInt(i.value, 10); });
    var key = "q" + id;
    pending[key] = { path: "/answers", body: { question: id, choices: choices } };
    remember();
    return send(key, "/answers", pending[key].body);
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("[data-question]");
    if (fieldset) { saveQuestion(fieldset); return; }
    if (event.target.matches("[data-prediction]") && event.target.value !== "") {
      pending.prediction = { path: "/prediction", body: { value: parseInt(event.target.value, 10) } };
      remember();
      send("prediction", "/prediction", pending.prediction.body);
    }
  });

  function flush() {
    Object.keys(pending).forEach(function (key) { send(key, pending[key].path, pending[key].body); });
  }
  window.addEventListener("online", flush);
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
      window.setTimeout(function () { form.submit(); }, 1500);
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
