// Frontdesk's calendar: live updates. When a booking of the workspace changes (made here, on the
// public page, through the API, by the sweep), the server's event stream says so and the
// calendar's part of the page is fetched again and swapped in. The page works without it.
(function () {
  "use strict";
  var root = document.getElementById("calendar");
  if (!root || !window.EventSource || !window.fetch) return;
  var timer = null;

  function refresh() {
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      // A confirmation open on the page, or a field being typed in, keeps the page as it is.
      if (document.querySelector("dialog#confirm[open]")) return;
      var active = document.activeElement;
      if (active && root.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return;
      fetch(location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("calendar");
          var old = document.getElementById("calendar");
          if (fresh && old) old.replaceWith(fresh);
          root = fresh || root;
        })
        .catch(function () {});
    }, 150);
  }

  var es = new EventSource(root.getAttribute("data-live"));
  es.addEventListener("change", refresh);
  es.addEventListener("resync", refresh);
  // A change between rendering the page and the stream connecting has no event of its own:
  // catch up once on every (re)connection.
  es.addEventListener("open", refresh);
})();
