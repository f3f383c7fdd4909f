/* Boots h5p-standalone for each H5P block of a lesson and forwards its xAPI statements.
 *
 * Each [data-h5p-player] element carries the content's h5p.json URL, the libraries URL, the frame
 * script and style, and (for a tracked activity) its id, xAPI object IRI and the statements API.
 * Statements about the activity (its IRI, or its IRI plus "?subContentId=...") with a tracked verb
 * are POSTed to the API; the JSON answer is dispatched on document as "courses:progress".
 */
(function () {
  "use strict";
  if (window.coursesH5PPlayer) {
    return; // the script is included once per H5P block
  }
  window.coursesH5PPlayer = true;

  var TRACKED_VERBS = ["answered", "completed", "passed", "failed", "attempted", "interacted"];
  var listeners = [];
  var dispatcherHooked = false;

  function messagesOf(block) {
    var node = block.querySelector("script[data-h5p-messages]");
    try {
      return JSON.parse(node ? node.textContent : "{}");
    } catch (error) {
      return {};
    }
  }

  function stripSuffix(url, suffix) {
    return url.slice(-suffix.length) === suffix ? url.slice(0, -suffix.length) : url;
  }

  function verbOf(statement) {
    var id = (statement && statement.verb && statement.verb.id) || "";
    return id.split("/").pop();
  }

  function aboutActivity(statement, iri) {
    var objectId = (statement && statement.object && statement.object.id) || "";
    return objectId === iri || objectId.indexOf(iri + "?") === 0;
  }

  function showError(block, text) {
    var error = block.querySelector("[data-h5p-error]");
    if (error) {
      error.textContent = text;
      error.hidden = false;
    }
  }

  function setStatus(block, text) {
    var status = block.querySelector("[data-h5p-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function csrfToken(player) {
    var lesson = player.closest("[data-csrf]:not([data-csrf=''])");
    if (player.dataset.csrf) {
      return player.dataset.csrf;
    }
    if (lesson && lesson.dataset.csrf) {
      return lesson.dataset.csrf;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // One request at a time per player: a play often reports twice (answered, completed) and the
  // second statement must see the attempt the first one closed.
  function postStatement(player, block, messages, statement) {
    player.xapiQueue = (player.xapiQueue || Promise.resolve()).then(function () {
      return sendStatement(player, block, messages, statement);
    });
    return player.xapiQueue;
  }

  function sendStatement(player, block, messages, statement) {
    var body = JSON.stringify({
      activity: Number(player.dataset.activity),
      statement: statement,
    });
    return fetch(player.dataset.xapiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(player),
      },
      body: body,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (!response.ok) {
              // 401/403 from the session or CSRF layer carry the framework's English text;
              // our own refusals (4xx with a translated detail) are shown as they are.
              var ours = data.detail && response.status !== 401 && !/CSRF/i.test(data.detail);
              throw new Error((ours && data.detail) || messages.saveError || "");
            }
            return data;
          });
      })
      .then(function (data) {
        if (data.recorded) {
          setStatus(block, messages.saved || "");
        }
        var score = block.querySelector("[data-h5p-score]");
        if (score && data.activity_percent !== null && data.activity_percent !== undefined) {
          score.textContent = (messages.result || "") + ": " + data.activity_percent + "%";
        }
        if (data.activity_complete) {
          var done = block.querySelector("[data-activity-status]");
          if (done) {
            done.hidden = false;
          }
        }
        document.dispatchEvent(
          new CustomEvent("courses:progress", {
            detail: Object.assign({ activity: Number(player.dataset.activity) }, data),
          })
        );
      })
      .catch(function (error) {
        showError(block, (error && error.message) || messages.saveError || "");
      });
  }

  function hookDispatcher() {
    if (dispatcherHooked || !window.H5P || !window.H5P.externalDispatcher) {
      return;
    }
    dispatcherHooked = true;
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = event && event.data && event.data.statement;
      if (!statement || TRACKED_VERBS.indexOf(verbOf(statement)) === -1) {
        return;
      }
      listeners.forEach(function (listener) {
        if (aboutActivity(statement, listener.iri)) {
          listener.send(statement);
        }
      });
    });
  }

  function boot(player, index) {
    var block = player.closest("[data-h5p-block]") || player.parentNode;
    var messages = messagesOf(block);
    var loading = player.querySelector("[data-h5p-loading]");
    var options = {
      id: "cds-h5p-" + index,
      h5pJsonPath: stripSuffix(player.dataset.h5pJson, "/h5p.json"),
      librariesPath: stripSuffix(player.dataset.h5pLibraries, "/folder/file"),
      frameJs: player.dataset.frameJs,
      frameCss: player.dataset.frameCss,
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false,
      fullScreen: true,
      // No saved state: the player must not ask a user-data endpoint we do not have.
      contentUserData: [{ state: "RESET" }],
    };
    if (player.dataset.iri) {
      options.xAPIObjectIRI = player.dataset.iri;
    }
    if (player.dataset.userMail) {
      options.user = { name: player.dataset.userName || player.dataset.userMail, mail: player.dataset.userMail };
    }
    if (player.dataset.activity && player.dataset.iri && player.dataset.xapiUrl) {
      listeners.push({
        iri: player.dataset.iri,
        send: function (statement) {
          postStatement(player, block, messages, statement);
        },
      });
    }
    if (!window.H5PStandalone || !window.H5PStandalone.H5P) {
      return Promise.reject(new Error("h5p-standalone is not loaded"));
    }
    return new window.H5PStandalone.H5P(player, options).then(
      function () {
        if (loading) {
          loading.remove();
        }
        hookDispatcher();
        player.dataset.h5pReady = "true";
      },
      function (error) {
        if (loading) {
          loading.remove();
        }
        player.dataset.h5pReady = "error";
        showError(block, messages.loadError || "");
        if (window.console) {
          window.console.error(error);
        }
      }
    );
  }

  function start() {
    var players = Array.prototype.slice.call(document.querySelectorAll("[data-h5p-player]"));
    // One after the other: the player keeps per-page state while it sets up a content.
    players.reduce(function (chain, player, index) {
      return chain.then(function () {
        return boot(player, index).catch(function () {
          var block = player.closest("[data-h5p-block]") || player.parentNode;
          player.dataset.h5pReady = "error";
          showError(block, messagesOf(block).loadError || "");
        });
      });
    }, Promise.resolve());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
