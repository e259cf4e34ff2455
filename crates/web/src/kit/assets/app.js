// Frontdesk's shell script: the device's time zone on sign-in forms, the phone menu,
// confirmation before destructive actions, the "saved" toast, and relative times kept fresh.
// Every page works without it. Its words are the page's own (the server renders them in the person's language, some in data- attributes);
// only the relative times' words are here, in the page's `<html lang>`, the same as the
// server's (core::time::LocalTimes::relative).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Sign-in forms report the device's time zone (kept with the session, shown under Account).
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll('input[type="hidden"][name="tz"]').forEach(function (i) { i.value = zone; });

  // The phone menu.
  var side = document.querySelector(".side");
  var toggle = document.querySelector(".menu-toggle");
  if (side && toggle) {
    toggle.addEventListener("click", function () {
      var open = side.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Forms marked data-confirm ask first, in a dialog that names what will happen.
  var dialog = document.getElementById("confirm");
  var okLabel = dialog && dialog.querySelector("[data-confirm-ok]") ? dialog.querySelector("[data-confirm-ok]").textContent : "";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === "yes") return;
    if (!dialog || typeof dialog.showModal !== "function") {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
      return;
    }
    ev.preventDefault();
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    var ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = form.dataset.confirmLabel || okLabel;
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "ok") {
        // A live update may have replaced the form while the dialog was open: submit the
        // form that now stands for the same action.
        var target = form.isConnected ? form : document.querySelector('form[action="' + form.getAttribute("action") + '"]');
        if (!target) return;
        target.dataset.confirmed = "yes";
        if (typeof target.requestSubmit === "function") target.requestSubmit(); else target.submit();
        target.dataset.confirmed = "";
      }
    });
  }, true);

  // A sentence the server rendered for the script: on the element, else on the page's body.
  var fallback = { uploadTooLarge: "The file is too large.", uploadUnusable: "That file could not be used: choose a PNG, JPEG or WebP image." };
  function say(el, key) { return el.dataset[key] || document.body.dataset[key] || fallback[key]; }

  // A file input with data-upload posts the chosen file as the request body.
  document.querySelectorAll("input[type=file][data-upload]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.fetch) return;
      fetch(input.getAttribute("data-upload"), {
        method: "POST", body: file, credentials: "same-origin",
        headers: { "content-type": file.type || "application/octet-stream" },
      }).then(function (r) {
        if (r.ok) { location.href = location.pathname + "?saved=1"; return; }
        return r.text().then(function () {
          var err = document.getElementById(input.id + "-error") || document.createElement("p");
          err.id = input.id + "-error"; err.className = "error"; err.setAttribute("role", "alert");
          err.textContent = say(input, r.status === 413 ? "uploadTooLarge" : "uploadUnusable");
          input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", err.id);
          input.insertAdjacentElement("afterend", err);
        });
      });
    });
  });

  // A file input with data-fill reads the chosen text file into that textarea (CSV imports).
  document.querySelectorAll("input[type=file][data-fill]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var box = document.getElementById(input.getAttribute("data-fill"));
      if (!file || !box || !window.FileReader) return;
      var reader = new FileReader();
      reader.onload = function () { box.value = String(reader.result || ""); };
      reader.readAsText(file);
    });
  });

  // "Saved" after a change: the server redirects with ?saved=1.
  var toast = document.getElementById("toast");
  var url = new URL(window.location.href);
  if (toast && url.searchParams.has("saved")) {
    toast.hidden = false;
    url.searchParams.delete("saved");
    window.history.replaceState(null, "", url.pathname + (url.search || "") + url.hash);
    setTimeout(function () { toast.style.opacity = "0"; }, 2500);
    setTimeout(function () { toast.hidden = true; }, 3000);
  }

  // Relative times ("5 min ago", "hace 5 min") stay right while the page is open.
  var es = (document.documentElement.getAttribute("lang") || "").toLowerCase().indexOf("es") === 0;
  function relative(ms) {
    var d = Date.now() - ms, future = d < 0;
    d = Math.abs(d);
    var text;
    if (d < 60000) return es ? "ahora mismo" : "just now";
    if (d < 3600000) text = Math.floor(d / 60000) + " min";
    else if (d < 86400000) text = Math.floor(d / 3600000) + " h";
    else { var n = Math.floor(d / 86400000); text = n + (es ? (n === 1 ? " día" : " días") : (n === 1 ? " day" : " days")); }
    if (es) return future ? "dentro de " + text : "hace " + text;
    return future ? "in " + text : text + " ago";
  }
  function refresh() {
    document.querySelectorAll("time[data-relative]").forEach(function (t) {
      var ms = Date.parse(t.getAttribute("datetime"));
      if (!isNaN(ms)) t.textContent = relative(ms);
    });
  }
  setInterval(refresh, 60000);

  // An element with data-watch asks that JSON every 3 s while the page is shown and reloads
  // the page when its devices' states differ from data-sig (`id:state:operation`, comma-joined).
  document.querySelectorAll("[data-watch]").forEach(function (el) {
    if (!window.fetch) return;
    function sigOf(d) { return d.id + ":" + d.state + ":" + (d.operation || ""); }
    setInterval(function () {
      if (document.hidden) return;
      fetch(el.getAttribute("data-watch"), { credentials: "same-origin", headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j) return;
          var sig = j.devices ? j.devices.map(sigOf).join(",") : sigOf(j);
          if (sig !== el.getAttribute("data-sig")) location.reload();
        })
        .catch(function () {});
    }, 3000);
  });
})();
