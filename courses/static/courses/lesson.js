// Lesson page: tracks which seconds of each uploaded video were really played (a seek does not
// count the skipped part) and sends them every 10 s and on pause, end and leaving the page.
// Listens to "courses:progress" events (from this script and from the H5P player) to update
// the course progress bar and the lesson's and activities' completion without a reload.
(function () {
  "use strict";
  var root = document.querySelector("[data-lesson]");
  if (!root) return;
  var csrf = root.getAttribute("data-csrf");

  function onProgress(detail) {
    if (!detail) return;
    if (typeof detail.course_percent === "number") {
      document.querySelectorAll("[data-course-progress]").forEach(function (bar) {
        bar.value = detail.course_percent;
        bar.textContent = detail.course_percent + "%";
      });
      document.querySelectorAll("[data-course-percent]").forEach(function (el) {
        el.textContent = detail.course_percent;
      });
    }
    if (detail.activity && detail.activity_complete) {
      var section = document.querySelector('[data-activity-id="' + detail.activity + '"]');
      if (section) {
        section.classList.add("lesson-section--complete");
        var status = section.querySelector("[data-activity-status]");
        if (status) status.hidden = false;
      }
    }
    if (detail.lesson_complete) {
      var done = document.querySelector("[data-lesson-complete]");
      var todo = document.querySelector("[data-lesson-incomplete]");
      if (done) done.hidden = false;
      if (todo) todo.hidden = true;
    }
  }
  document.addEventListener("courses:progress", function (event) { onProgress(event.detail); });

  function track(video) {
    var url = video.getAttribute("data-video-progress");
    var played = {};   // seconds played since the last send
    var last = null;   // previous playback position, to tell playing from seeking

    video.addEventListener("timeupdate", function () {
      var now = video.currentTime;
      if (!video.paused && last !== null && now >= last && now - last < 2) {
        for (var s = Math.floor(last); s <= Math.floor(now); s++) played[s] = true;
      }
      last = now;
    });
    video.addEventListener("seeking", function () { last = null; });
    video.addEventListener("play", function () { last = video.currentTime; });

    function ranges() {
      // Compact [start, end) ranges of the seconds played.
      var seconds = Object.keys(played).map(Number).sort(function (a, b) { return a - b; });
      var out = [];
      seconds.forEach(function (s) {
        var tail = out[out.length - 1];
        if (tail && tail[1] === s) tail[1] = s + 1; else out.push([s, s + 1]);
      });
      return out.slice(0, 500);
    }

    function send(leaving) {
      var duration = video.duration;
      if (!isFinite(duration) || duration <= 0) return;
      var seconds = ranges();
      if (!seconds.length) return;
      played = {};
      var body = JSON.stringify({ seconds: seconds, duration: duration });
      var request = fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!leaving,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: body
      });
      if (leaving) return;
      request.then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            document.dispatchEvent(new CustomEvent("courses:progress", { detail: data }));
          }
        });
      }).catch(function () {
        // Offline: put the seconds back, they go with the next send.
        seconds.forEach(function (r) { for (var s = r[0]; s < r[1]; s++) played[s] = true; });
      });
    }

    window.setInterval(function () { if (!video.paused) send(false); }, 10000);
    video.addEventListener("pause", function () { send(false); });
    video.addEventListener("ended", function () { send(false); });
    window.addEventListener("pagehide", function () { send(true); });
  }

  document.querySelectorAll("video[data-video-progress]").forEach(track);
})();
