/* Frontdesk web chat. Embed with:
   <script src="https://YOUR-FRONTDESK/chat/widget.js" data-channel="CHANNEL_ID" async></script>
   The visitor's token lives in localStorage (no cookies). Replies arrive over SSE, with
   polling every 5 seconds when SSE is not available. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var channel = script.getAttribute("data-channel");
  var base = new URL(script.src).origin;
  var title = script.getAttribute("data-title") || "Chat with us";
  var key = "fd_chat_" + channel;
  var api = base + "/chat/" + channel;
  var state = { token: null, cursor: "", seen: {} };
  try { state.token = localStorage.getItem(key); } catch (e) {}

  var root = document.createElement("div");
  root.setAttribute("data-frontdesk-chat", channel);
  root.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif";
  root.innerHTML =
    '<button type="button" data-fd="open" aria-expanded="false" style="border:0;border-radius:24px;padding:12px 18px;background:#1f4bd8;color:#fff;cursor:pointer"></button>' +
    '<section data-fd="panel" role="dialog" aria-label="" hidden style="width:320px;max-width:90vw;height:420px;background:#fff;color:#111;border:1px solid #ccd;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.2);display:flex;flex-direction:column">' +
    '<header style="padding:10px 12px;border-bottom:1px solid #eee;font-weight:600" data-fd="title"></header>' +
    '<ol data-fd="log" aria-live="polite" style="list-style:none;margin:0;padding:10px;overflow-y:auto;flex:1"></ol>' +
    '<p data-fd="error" role="alert" hidden style="margin:0 10px;color:#a00"></p>' +
    '<form data-fd="form" style="display:flex;gap:6px;padding:10px;border-top:1px solid #eee">' +
    '<label style="position:absolute;left:-9999px" for="fd-chat-text">Message</label>' +
    '<input id="fd-chat-text" name="text" autocomplete="off" maxlength="4000" required style="flex:1;padding:8px;border:1px solid #ccd;border-radius:8px">' +
    '<button type="submit" style="border:0;border-radius:8px;padding:8px 12px;background:#1f4bd8;color:#fff">Send</button></form></section>';
  var q = function (n) { return root.querySelector('[data-fd="' + n + '"]'); };
  q("open").textContent = title;
  q("title").textContent = title;
  q("panel").setAttribute("aria-label", title);
  q("panel").style.display = "none";

  function show(m) {
    if (state.seen[m.id]) { var el = state.seen[m.id]; el.setAttribute("data-status", m.status); return; }
    var li = document.createElement("li");
    li.setAttribute("data-from", m.from);
    li.setAttribute("data-status", m.status);
    li.style.cssText = "margin:4px 0;padding:6px 10px;border-radius:10px;max-width:80%;white-space:pre-wrap;word-wrap:break-word;" +
      (m.from === "visitor" ? "margin-left:auto;background:#e8eefc" : "background:#f1f1f1");
    li.textContent = m.text || "";
    if (m.file) {
      var a = document.createElement("a");
      a.href = m.file.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "\ud83d\udcce " + m.file.name;
      a.style.cssText = "display:block;color:inherit";
      li.appendChild(a);
    }
    q("log").appendChild(li);
    q("log").scrollTop = q("log").scrollHeight;
    state.seen[m.id] = li;
    if (m.cursor) state.cursor = m.cursor;
  }
  function error(text) { var e = q("error"); e.textContent = text || ""; e.hidden = !text; }
  function call(method, path, body) {
    var h = { "Content-Type": "application/json" };
    if (state.token) h.Authorization = "Bearer " + state.token;
    return fetch(api + path, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error((j.error && j.error.message) || r.status); return j; }); });
  }
  function ensure() {
    if (state.token) return Promise.resolve();
    return call("POST", "/conversations", {}).then(function (j) {
      state.token = j.token;
      try { localStorage.setItem(key, j.token); } catch (e) {}
      listen();
    });
  }
  function poll() {
    if (!state.token) return;
    call("GET", "/messages?after=" + encodeURIComponent(state.cursor)).then(function (j) { j.messages.forEach(show); }).catch(function () {});
  }
  var timer = null, source = null;
  function listen() {
    if (!state.token || source || timer) return;
    poll();
    if (window.EventSource) {
      source = new EventSource(api + "/events?token=" + encodeURIComponent(state.token));
      source.addEventListener("message", function (e) { try { show(JSON.parse(e.data)); } catch (x) {} });
      source.onerror = function () { if (source && source.readyState === 2) { source = null; timer = setInterval(poll, 5000); } };
    } else {
      timer = setInterval(poll, 5000);
    }
  }
  q("open").addEventListener("click", function () {
    var p = q("panel"), open = p.style.display === "none";
    p.style.display = open ? "flex" : "none";
    q("open").setAttribute("aria-expanded", String(open));
    if (open) { listen(); q("form").text.focus(); }
  });
  q("form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = q("form").text, text = input.value.trim();
    if (!text) return;
    var id = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    error("");
    ensure().then(function () { return call("POST", "/messages", { text: text, client_id: id }); })
      .then(function (m) { input.value = ""; show(m); })
      .catch(function (e) { error("Not sent: " + e.message); });
  });
  if (document.body) document.body.appendChild(root); else document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(root); });
  if (state.token) listen();
})();
