// Frontdesk inbox pages: live updates over SSE, sending without a reload, the reply-window
// countdown and keyboard shortcuts. The pages work without this script; it only enhances them.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var thread = root.getAttribute("data-thread");
  var timer = null;

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // Replaces the parts of the page that change, keeping what the agent is typing.
  function swap(doc, keepDraft) {
    if (doc.title) document.title = doc.title;
    ["messages", "threads", "reply-state", "empty", "unread-total", "drafts"].forEach(function (id) {
      var old = document.getElementById(id);
      var fresh = doc.getElementById(id);
      // A draft being edited stays as the agent has it, and so do the drafts while a
      // confirmation about one of them is open.
      if (id === "drafts" && old && old.contains(document.activeElement)) return;
      if (id === "drafts" && document.querySelector("dialog#confirm[open]")) return;
      if (old && fresh) {
        // The conversation scrolls inside its pane: follow new messages when already at the end.
        var atBottom = id === "messages" && old.scrollTop + old.clientHeight >= old.scrollHeight - 40;
        old.replaceWith(fresh);
        if (atBottom) fresh.scrollTop = fresh.scrollHeight;
      } else if (old && !fresh) {
        old.remove();
      }
    });
    var box = document.getElementById("reply");
    var freshBox = doc.getElementById("reply");
    if (box && freshBox) {
      box.disabled = freshBox.disabled;
      document.getElementById("send").disabled = freshBox.disabled;
      if (!keepDraft) box.value = "";
    }
    var key = document.querySelector("#reply-form input[name=key]");
    var freshKey = doc.querySelector("#reply-form input[name=key]");
    if (key && freshKey && !keepDraft) key.value = freshKey.value;
    countdown();
  }

  function refresh() {
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      fetch(location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { swap(parse(html), true); })
        .catch(function () {});
    }, 80);
  }

  if (window.EventSource) {
    var es = new EventSource(root.getAttribute("data-live"));
    es.addEventListener("change", function (e) {
      var ev = JSON.parse(e.data);
      if (!thread || ev.thread_id === thread) refresh();
    });
    es.addEventListener("resync", refresh);
    // What changed between rendering this page and the stream connecting (a reply sent a
    // moment ago, say) has no event of its own: catch up once on every (re)connection.
    es.addEventListener("open", refresh);
    // A new customer message on my own or an unassigned conversation (the server decides, by
    // my preferences): a desktop notification unless I am looking at that conversation.
    es.addEventListener("notify", function (e) {
      var n = JSON.parse(e.data);
      if (!window.Notification || Notification.permission !== "granted") return;
      if (!document.hidden && thread === n.thread_id) return;
      var shown = new Notification(n.title, { body: n.body, tag: n.thread_id });
      shown.onclick = function () {
        window.focus();
        location.href = n.url;
      };
    });
  }

  // Desktop notifications need the browser's permission, asked on a click.
  var enable = document.getElementById("notify-enable");
  if (enable && window.Notification && Notification.permission === "default") {
    enable.hidden = false;
    enable.addEventListener("click", function () {
      Notification.requestPermission().then(function () { enable.hidden = true; });
    });
  }

  // Sending without a reload. The server answers with the page (or the page with the reason).
  var form = document.getElementById("reply-form");
  if (form && window.fetch) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      var button = document.getElementById("send");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
        .then(function (r) {
          return r.text().then(function (html) { swap(parse(html), !r.ok); });
        })
        .catch(function () { button.disabled = false; });
    });
  }

  // Files: the chosen file is the request body; the composer's text is its caption.
  var attach = document.getElementById("attach");
  var attachButton = document.getElementById("attach-button");
  if (attach && attachButton && window.fetch) {
    attachButton.hidden = false;
    attachButton.addEventListener("click", function () { attach.click(); });
    attach.addEventListener("change", function () {
      var file = attach.files && attach.files[0];
      if (!file) return;
      var text = document.getElementById("reply");
      var url = attach.getAttribute("data-action") + "?filename=" + encodeURIComponent(file.name) +
        "&text=" + encodeURIComponent(text ? text.value : "");
      var key = document.querySelector("#reply-form input[name=key]");
      attachButton.disabled = true;
      fetch(url, {
        method: "POST",
        body: file,
        credentials: "same-origin",
        headers: { "content-type": file.type || "application/octet-stream", "idempotency-key": key ? key.value : "" },
      })
        .then(function (r) {
          return r.text().then(function (html) { swap(parse(html), !r.ok); });
        })
        .catch(function () {})
        .then(function () { attach.value = ""; attachButton.disabled = false; });
    });
  }

  // Saved replies: "/" and a shortcut at the start of the composer offers the matching replies
  // (already filled in for this contact); Tab or Enter inserts the first, a click inserts any.
  var saved = Array.prototype.map.call(document.querySelectorAll("#saved-replies li"), function (li) {
    return { shortcut: li.getAttribute("data-shortcut"), text: li.getAttribute("data-text") };
  });
  var box = document.getElementById("reply");
  var suggest = null;
  function matches() {
    var m = box && /^\/([\w-]*)$/.exec(box.value);
    if (!m) return [];
    var q = m[1].toLowerCase();
    return saved.filter(function (r) { return r.shortcut.indexOf(q) === 0; });
  }
  function closeSuggest() {
    if (suggest) { suggest.remove(); suggest = null; }
  }
  function insert(r) {
    box.value = r.text;
    closeSuggest();
    box.focus();
  }
  function showSuggest() {
    closeSuggest();
    var found = matches();
    if (!found.length) return;
    suggest = document.createElement("ul");
    suggest.id = "saved-suggest";
    suggest.setAttribute("role", "listbox");
    found.forEach(function (r, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.setAttribute("data-shortcut", r.shortcut);
      li.textContent = "/" + r.shortcut + " \u2014 " + r.text;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); insert(r); });
      suggest.appendChild(li);
    });
    box.parentNode.insertBefore(suggest, box.nextSibling);
  }
  if (box && saved.length) {
    box.addEventListener("input", showSuggest);
    box.addEventListener("blur", function () { setTimeout(closeSuggest, 100); });
    box.addEventListener("keydown", function (e) {
      if (!suggest || e.ctrlKey || e.metaKey) return;
      if (e.key === "Tab" || e.key === "Enter") {
        var first = matches()[0];
        if (first) { e.preventDefault(); insert(first); }
      } else if (e.key === "Escape") {
        closeSuggest();
      }
    });
  }

  // "Closes in 3 h 20 min", kept current, in the page's words: the element carries its
  // patterns ({d} days, {h} h {m} min, {m} min).
  function countdown() {
    document.querySelectorAll("[data-closes-at]").forEach(function (el) {
      var ms = Number(el.getAttribute("data-closes-at")) - Date.now();
      var mins = Math.max(0, Math.ceil(ms / 60000));
      var pattern = el.getAttribute(mins >= 2880 ? "data-days" : mins >= 60 ? "data-hours" : "data-minutes");
      if (pattern) {
        el.textContent = pattern.replace("{d}", Math.floor(mins / 1440)).replace("{h}", Math.floor(mins / 60))
          .replace("{m}", mins >= 60 ? mins % 60 : mins);
      }
      if (ms <= 0) refresh();
    });
  }
  setInterval(countdown, 30000);

  // A conversation opens at its latest message.
  var log = document.getElementById("messages");
  if (log) log.scrollTop = log.scrollHeight;

  // j / k: the next or previous conversation of the list.
  function step(by) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#threads li"));
    if (!rows.length) return;
    var at = rows.findIndex(function (li) { return li.getAttribute("aria-current") === "true"; });
    var next = rows[Math.min(rows.length - 1, Math.max(0, at < 0 ? 0 : at + by))];
    var link = next && next.querySelector("a");
    if (link && (at < 0 || next !== rows[at])) location.href = link.href;
  }

  // Shortcuts: j/k = next/previous conversation, r = reply, / = search, Ctrl+Enter (or
  // Cmd+Enter) = send, Escape = leave the box.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT");
    if (typing) {
      if (t.id === "reply" && e.key === "Enter" && (e.ctrlKey || e.metaKey) && form) {
        e.preventDefault();
        form.requestSubmit();
      } else if (e.key === "Escape") {
        t.blur();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      step(e.key === "j" ? 1 : -1);
    } else if (e.key === "r" && document.getElementById("reply")) {
      e.preventDefault();
      document.getElementById("reply").focus();
    } else if (e.key === "/" && document.getElementById("q")) {
      e.preventDefault();
      document.getElementById("q").focus();
    }
  });
})();
