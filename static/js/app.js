// Portico's own script: small behaviours attached through data attributes, so the
// Content-Security-Policy can forbid inline script. Every page works without it.
(function () {
  "use strict";

  // A table that scrolls sideways inside its box on a small screen (so the page itself
  // never does) can be scrolled from the keyboard: it takes focus (WCAG 2.1.1).
  function scrollersFocusable() {
    document.querySelectorAll("main table, main .table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); el.setAttribute("data-scroll-focus", ""); }
      } else if (el.hasAttribute("data-scroll-focus")) {
        el.removeAttribute("tabindex"); el.removeAttribute("data-scroll-focus");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollersFocusable);
  window.addEventListener("resize", scrollersFocusable);
  document.addEventListener("htmx:afterSettle", scrollersFocusable);

  // Print buttons: <button data-print>.
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-print]");
    if (t) { e.preventDefault(); window.print(); }
  });

  // Selects that submit their form on change: <select data-autosubmit>.
  document.addEventListener("change", function (e) {
    var t = e.target.closest("[data-autosubmit]");
    if (t && t.form) { t.form.requestSubmit(); }
  });

  // Move focus to the error summary after a failed submission, so screen readers hear
  // it; after an htmx swap without errors, to the new result ([data-swap-focus]).
  function focusIn(root, sel) {
    var s = root && root.querySelector(sel);
    if (!s) { return false; }
    s.setAttribute("tabindex", "-1");
    s.focus();
    return true;
  }
  document.addEventListener("DOMContentLoaded", function () { focusIn(document, ".error-summary"); });
  document.addEventListener("htmx:afterSettle", function (e) {
    var cfg = e.detail && e.detail.requestConfig;
    if (cfg && cfg.headers && cfg.headers["X-Portico-Poll"]) { return; } // background polls never move focus
    var t = e.detail.target;
    // An outerHTML swap replaced the target: find its successor by id.
    if (t && !t.isConnected && t.id) { t = document.getElementById(t.id); }
    if (!t || t.id === "thread-pane") { return; }
    // The form that asked may have come back out of band with its errors.
    var f = e.detail.elt;
    if (f && !f.isConnected && f.id) { f = document.getElementById(f.id); }
    if (focusIn(t, ".error-summary") || focusIn(f, ".error-summary")) { return; }
    focusIn(t, "[data-swap-focus]");
  });
})();

// ---------- Idle sign-out warning (sign-in area) ----------
// <dialog id="idle-dialog" data-idle-seconds="N" data-warn-seconds="60"> opens a minute
// before the server signs an idle session out, counts down, and offers "Stay signed in",
// which posts to /session/keep-alive without leaving the page.
(function () {
  "use strict";
  var dlg = document.getElementById("idle-dialog");
  if (!dlg || typeof dlg.showModal !== "function") { return; }
  var warn = parseInt(dlg.getAttribute("data-warn-seconds"), 10) || 60;
  var deadline = 0, timer = 0;
  var out = dlg.querySelector("[data-idle-countdown]");

  function restart(seconds) {
    deadline = Date.now() + seconds * 1000;
    if (dlg.open) { dlg.close(); }
  }
  // Another tab may have kept the session alive: ask the server (without counting as
  // activity) how long is left before warning or signing out.
  var checking = false;
  function check(then) {
    if (checking || !window.fetch) { then(0); return; }
    checking = true;
    fetch("/session/status", { credentials: "same-origin", headers: { "X-Portico-Poll": "1" }, redirect: "manual" })
      .then(function (res) { return parseInt(res.headers.get("X-Idle-Seconds"), 10) || 0; }, function () { return 0; })
      .then(function (s) { checking = false; then(s); });
  }
  function signOut() {
    window.clearInterval(timer);
    // Sign out now (the server may already have), then show the sign-in page.
    var next = "/login?next=" + encodeURIComponent(window.location.pathname);
    var signout = dlg.querySelector("form[data-idle-signout]");
    var go = function () { window.location.assign(next); };
    if (signout && window.fetch) {
      fetch(signout.action, { method: "POST", body: new FormData(signout), credentials: "same-origin", redirect: "manual" }).then(go, go);
    } else { go(); }
  }
  function tick() {
    if (checking) { return; }
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      check(function (s) { if (s > 5) { restart(s); } else { signOut(); } });
      return;
    }
    if (left <= warn) {
      if (out) { out.textContent = String(left); }
      if (!dlg.open) {
        check(function (s) {
          if (s > warn + 5) { restart(s); return; }
          if (s > 0) { deadline = Date.now() + s * 1000; } // the server's count is the one that matters
          if (!dlg.open) { dlg.showModal(); }
        });
      }
    }
  }
  restart(parseInt(dlg.getAttribute("data-idle-seconds"), 10) || 900);
  timer = window.setInterval(tick, 1000);

  // Any HTMX request that is not a background poll counts as activity on the server.
  document.addEventListener("htmx:afterRequest", function (e) {
    var xhr = e.detail && e.detail.xhr;
    var cfg = e.detail && e.detail.requestConfig;
    if (cfg && cfg.headers && cfg.headers["X-Portico-Poll"]) { return; }
    var s = xhr && parseInt(xhr.getResponseHeader("X-Idle-Seconds"), 10);
    if (s > 0) { restart(s); } else if (xhr && xhr.status < 400) { restart(parseInt(dlg.getAttribute("data-idle-seconds"), 10) || 900); }
  });

  var form = dlg.querySelector("form[data-keep-alive]");
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (res) {
          if (res.status === 204) {
            restart(parseInt(res.headers.get("X-Idle-Seconds"), 10) || parseInt(dlg.getAttribute("data-idle-seconds"), 10) || 900);
          } else {
            window.location.assign("/login");
          }
        })
        .catch(function () { form.submit(); });
    });
    // Escape means "I am here": the same as Stay signed in.
    dlg.addEventListener("cancel", function (e) { e.preventDefault(); form.requestSubmit(); });
  }
})();

// ---------- library: printing opens every accordion ----------
// Closed <details> would print as their summaries only; open them for the printout and
// close again afterwards.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-print-opened");
    });
  });
})();

// ---------- messages ----------
// When a thread opens in the reading pane, show the pane (phones show one pane at a
// time) and move focus to the thread's heading for screen-reader and keyboard users.
document.addEventListener("htmx:afterSwap", function (e) {
  if (!e.detail.target || e.detail.target.id !== "thread-pane") { return; }
  var layout = document.querySelector(".msg-layout");
  if (layout) { layout.classList.add("has-pane"); }
  var h = e.detail.target.querySelector("h2");
  if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
});

// ---------- Dialog links (claims) ----------
// <a data-dialog href="/page"> shows the page's .dialog-page card in a <dialog> over the
// current page (the clearinghouse explanation of "Create a New Claim"); without
// JavaScript, or if anything fails, it is a plain link to the page.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function" || !window.fetch || !window.DOMParser) { return; }
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-dialog]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    e.preventDefault();
    var go = function () { window.location.assign(a.href); };
    fetch(a.href, { credentials: "same-origin" }).then(function (res) {
      if (!res.ok) { throw new Error("status " + res.status); }
      return res.text();
    }).then(function (html) {
      var card = new DOMParser().parseFromString(html, "text/html").querySelector(".dialog-page");
      if (!card) { go(); return; }
      var dlg = document.createElement("dialog");
      dlg.className = "page-dialog";
      var content = document.importNode(card, true);
      content.removeAttribute("role");
      var heading = content.querySelector("h1");
      if (heading) { heading.id = "page-dialog-title"; dlg.setAttribute("aria-labelledby", "page-dialog-title"); }
      dlg.appendChild(content);
      var close = document.createElement("button");
      close.type = "button";
      close.className = "button-secondary";
      close.textContent = "Close";
      close.addEventListener("click", function () { dlg.close(); });
      dlg.appendChild(close);
      dlg.addEventListener("close", function () { dlg.remove(); a.focus(); });
      document.body.appendChild(dlg);
      dlg.showModal();
    }).catch(go);
  });
})();
