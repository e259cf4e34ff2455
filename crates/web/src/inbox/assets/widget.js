/* Frontdesk web chat. Embed with:
   <script src="https://YOUR-FRONTDESK/chat/widget.js" data-channel="CHANNEL_ID" async></script>
   The widget lives in a Shadow DOM of its own (`:host { all: initial }`), so the host page's
   styles do not reach it and it sets nothing on the page but one element. The visitor's token
   lives in localStorage (no cookies). Replies arrive over SSE, with polling every 5 seconds
   when SSE is not available. A message keeps one client id from its first attempt through
   every retry, so it is stored once however often it is sent. English or Spanish, by the
   page's `lang` or the browser's language: the words come with the channel's config (and the
   launcher shows once they are there), with English here for when that request fails. With
   `data-prechat="true"` the first message asks for a name and an email or phone (kept on the
   contact, unverified). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var channel = script.getAttribute("data-channel");
  var base = new URL(script.src).origin;
  var lang = ((document.documentElement.getAttribute("lang") || navigator.language || "en").toLowerCase().indexOf("es") === 0) ? "es" : "en";
  // Used only when the config (which brings the words in the page's language) cannot be read.
  var T = { title: "Chat with us", name: "Your name", contact: "Email or phone (to answer you if you leave)", greeting: "Hi! Ask us anything; we answer here.", message: "Message", send: "Send", offline: "Not sent: the connection failed. Your message is back in the box; try again.", refused: "This chat is not available on this site.", failed: "Not sent: {reason}" };
  var title = script.getAttribute("data-title") || T.title;
  var prechat = script.getAttribute("data-prechat") === "true";
  var key = "fd_chat_" + channel;
  var api = base + "/chat/" + channel;
  var state = { token: null, cursor: "", seen: {}, sending: false, primed: false, unread: 0 };
  try { state.token = localStorage.getItem(key); } catch (e) {}

  var host = document.createElement("div");
  host.setAttribute("data-frontdesk-chat", channel);
  var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  shadow.innerHTML =
    "<style>" +
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000}" +
    "*{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;letter-spacing:normal;text-transform:none}" +
    ".open{border:0;border-radius:24px;padding:12px 18px;background:#1f4bd8;color:#fff;cursor:pointer;font-weight:600;margin:0;position:relative}" +
    ".badge{position:absolute;top:-6px;right:-6px;min-width:20px;height:20px;border-radius:10px;background:#c5221f;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px}" +
    ".panel{width:320px;max-width:90vw;height:420px;background:#fff;color:#111;border:1px solid #ccd;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.2);display:none;flex-direction:column;margin:0 0 8px;padding:0}" +
    ".head{padding:10px 12px;border-bottom:1px solid #eee;font-weight:600;background:#fff;color:#111;margin:0;display:flex;align-items:center;gap:8px}" +
    ".logo{width:24px;height:24px;object-fit:contain;border-radius:4px}" +
    "ol{list-style:none;margin:0;padding:10px;overflow-y:auto;flex:1}" +
    "li{margin:4px 0;padding:6px 10px;border-radius:10px;max-width:80%;white-space:pre-wrap;word-wrap:break-word;background:#f1f1f1;color:#111}" +
    "li[data-from=visitor]{margin-left:auto;background:#e8eefc}" +
    "li a{display:block;color:inherit}" +
    ".err{margin:0 10px;color:#a00}" +
    ".greet{margin:10px 10px 0;padding:8px 10px;border-radius:10px;background:#f6f7f9;color:#111}" +
    ".notice{margin:6px 10px 0;color:#5a4100;font-size:13px}" +
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #eee;margin:0;flex-wrap:wrap}" +
    ".pre{display:flex;flex-direction:column;gap:6px;width:100%}" +
    ".pre label{position:static;font-size:12px;color:#444}" +
    "label{position:absolute;left:-9999px}" +
    "input{flex:1;padding:8px;border:1px solid #ccd;border-radius:8px;font-size:16px;background:#fff;color:#111;margin:0}" +
    "button.send{border:0;border-radius:8px;padding:8px 12px;background:#1f4bd8;color:#fff;cursor:pointer;margin:0}" +
    "button:disabled{opacity:.6}" +
    ":focus-visible{outline:2px solid #1f4bd8;outline-offset:2px}" +
    "</style>" +
    '<section data-fd="panel" class="panel" role="dialog" aria-label="">' +
    '<header class="head"><img class="logo" data-fd="logo" alt="" hidden><span data-fd="title"></span></header>' +
    '<p class="greet" data-fd="greet"></p><p class="notice" data-fd="notice" hidden></p>' +
    '<ol data-fd="log" aria-live="polite"></ol>' +
    '<p data-fd="error" class="err" role="alert" hidden></p>' +
    '<form data-fd="form">' +
    '<div class="pre" data-fd="pre" hidden><label for="fd-chat-name" data-fd="name-label"></label><input id="fd-chat-name" name="visitor_name" autocomplete="name" maxlength="100">' +
    '<label for="fd-chat-contact" data-fd="contact-label"></label><input id="fd-chat-contact" name="visitor_contact" autocomplete="email" maxlength="200"></div>' +
    '<label for="fd-chat-text" data-fd="label"></label>' +
    '<input id="fd-chat-text" name="text" autocomplete="off" maxlength="4000" required>' +
    '<button type="submit" class="send" data-fd="send"></button></form></section>' +
    '<button type="button" class="open" data-fd="open" aria-expanded="false"></button>';
  var q = function (n) { return shadow.querySelector('[data-fd="' + n + '"]'); };
  var named = false;
  function words() {
    title = script.getAttribute("data-title") || T.title;
    q("open").textContent = title;
    if (!named) { q("title").textContent = title; q("panel").setAttribute("aria-label", title); }
    q("label").textContent = T.message;
    q("send").textContent = T.send;
    q("greet").textContent = T.greeting;
    q("name-label").textContent = T.name;
    q("contact-label").textContent = T.contact;
  }
  words();
  if (prechat && !state.token) q("pre").hidden = false;

  // The business's name and colour, and a notice when it is closed.
  function readable(hex) {
    var n = parseInt(hex.slice(1), 16), r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    var l = function (c) { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * l(r) + 0.7152 * l(g) + 0.0722 * l(b) > 0.18 ? "#111" : "#fff";
  }
  // The launcher shows once the words are known (or the config failed, or took too long).
  var shown = false;
  function attach() {
    if (shown) return;
    shown = true;
    if (document.body) document.body.appendChild(host); else document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(host); });
  }
  setTimeout(attach, 3000);
  fetch(api + "/config?lang=" + lang, { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
    if (!c) return;
    if (c.words) { Object.keys(T).forEach(function (k) { if (typeof c.words[k] === "string") T[k] = c.words[k]; }); words(); }
    if (c.business) { named = true; q("title").textContent = c.business; q("panel").setAttribute("aria-label", c.business); }
    if (c.logo) { q("logo").src = api + "/logo?v=" + encodeURIComponent(c.logo); q("logo").hidden = false; }
    if (c.colour && /^#[0-9a-f]{6}$/i.test(c.colour)) {
      ["open", "send"].forEach(function (n) { q(n).style.background = c.colour; q(n).style.color = readable(c.colour); });
    }
    if (c.open === false && c.words && c.words.closed) {
      q("notice").textContent = c.words.closed;
      q("notice").hidden = false;
    }
  }).catch(function () {}).then(attach);

  function show(m) {
    if (state.seen[m.id]) { var el = state.seen[m.id]; el.setAttribute("data-status", m.status); return; }
    var li = document.createElement("li");
    li.setAttribute("data-from", m.from);
    li.setAttribute("data-status", m.status);
    li.textContent = m.text || "";
    if (m.file) {
      var a = document.createElement("a");
      a.href = m.file.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "\ud83d\udcce " + m.file.name;
      li.appendChild(a);
    }
    q("log").appendChild(li);
    q("log").scrollTop = q("log").scrollHeight;
    state.seen[m.id] = li;
    if (m.cursor) state.cursor = m.cursor;
    // An answer that arrives while the chat is closed: a badge on the launcher.
    if (m.from === "business" && state.primed && q("panel").style.display !== "flex") {
      state.unread += 1;
      badge();
    }
  }
  function badge() {
    var b = q("badge");
    if (!state.unread) { if (b) b.remove(); q("open").setAttribute("aria-label", title); return; }
    if (!b) { b = document.createElement("span"); b.className = "badge"; b.setAttribute("data-fd", "badge"); b.setAttribute("aria-hidden", "true"); q("open").appendChild(b); }
    b.textContent = String(state.unread);
    q("open").setAttribute("aria-label", title + " (" + state.unread + ")");
  }
  function error(text) { var e = q("error"); e.textContent = text || ""; e.hidden = !text; }
  function Refused(code, message) { this.code = code; this.message = message; }
  function call(method, path, body) {
    var h = { "Content-Type": "application/json" };
    if (state.token) h.Authorization = "Bearer " + state.token;
    return fetch(api + path, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Refused((j.error && j.error.code) || String(r.status), (j.error && j.error.message) || String(r.status));
          return j;
        });
      });
  }
  function ensure() {
    if (state.token) return Promise.resolve();
    var f = q("form"), who = { lang: lang };
    if (prechat) {
      if (f.visitor_name.value.trim()) who.name = f.visitor_name.value.trim();
      if (f.visitor_contact.value.trim()) who.contact = f.visitor_contact.value.trim();
    }
    return call("POST", "/conversations", who).then(function (j) {
      state.token = j.token;
      q("pre").hidden = true;
      try { localStorage.setItem(key, j.token); } catch (e) {}
      listen();
    });
  }
  function poll() {
    if (!state.token) return;
    call("GET", "/messages?after=" + encodeURIComponent(state.cursor))
      .then(function (j) { j.messages.forEach(show); state.primed = true; })
      .catch(function () {});
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
    var p = q("panel"), open = p.style.display !== "flex";
    p.style.display = open ? "flex" : "none";
    q("open").setAttribute("aria-expanded", String(open));
    if (open) { state.unread = 0; badge(); listen(); q("form").text.focus(); }
  });
  // One send: the box is cleared at once, the client id is fixed before the first attempt and
  // kept through the retries (a network failure is retried twice), and on a final failure the
  // text comes back into the box with a sentence. A refusal by the server is not retried.
  function send(text, id, attempt) {
    return ensure()
      .then(function () { return call("POST", "/messages", { text: text, client_id: id }); })
      .catch(function (e) {
        if (!(e instanceof Refused) && attempt < 2) {
          return new Promise(function (ok) { setTimeout(ok, 400 * (attempt + 1)); }).then(function () { return send(text, id, attempt + 1); });
        }
        throw e;
      });
  }
  q("form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = q("form").text, text = input.value.trim();
    if (!text || state.sending) return;
    var id = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    state.sending = true;
    q("send").disabled = true;
    input.value = "";
    error("");
    send(text, id, 0)
      .then(function (m) { show(m); })
      .catch(function (e) {
        if (!input.value) input.value = text;
        if (e instanceof Refused && (e.code === "origin_not_allowed" || e.code === "403")) error(T.refused);
        else if (e instanceof Refused) error(T.failed.replace("{reason}", e.message));
        else error(T.offline);
      })
      .then(function () { state.sending = false; q("send").disabled = false; });
  });
  if (state.token) listen();
})();
