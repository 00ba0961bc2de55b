// The drafting form's live preview: a while after the clerk stops typing, the form is sent to
// /documents/preview and the page pictures are replaced. Without JavaScript the "Preview" button
// does the same with a full page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-preview]");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("live-status");
  var pages = document.getElementById("live-pages");
  var timer = null;
  var asked = 0;

  function say(text) { if (status) { status.textContent = text; } }

  function refresh() {
    var mine = ++asked;
    var data = new FormData(form);
    data.set("action", "preview");
    say(form.dataset.working);
    fetch(form.dataset.livePreview, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : Promise.reject(answer.status); })
      .then(function (result) {
        if (mine !== asked) { return; }  // a later edit has asked again
        if (result.problems.length) {
          say(form.dataset.problems + " " + result.problems.join(" · "));
          return;
        }
        pages.replaceChildren();
        result.pages.forEach(function (address, i) {
          var img = document.createElement("img");
          img.src = address;
          img.alt = form.dataset.pageLabel.replace("{n}", String(i + 1));
          pages.appendChild(img);
        });
        say(form.dataset.done);
      })
      .catch(function () { if (mine === asked) { say(form.dataset.failed); } });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 1200);
  });
}());
