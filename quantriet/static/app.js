// Behaviour every page shares, in a file rather than inline: the Content-Security-Policy allows
// no inline script, handler (onclick=, onsubmit=) or style attribute. Pages mark elements with
// data-* attributes and this file acts on them, in the page and in what htmx swaps in.
(function () {
  "use strict";

  // <form data-confirm="Question?">: asks before submitting.
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  // <form data-no-submit>: a filter box that updates the page as one types; Enter sends nothing.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-no-submit")) { event.preventDefault(); }
  });

  // <button data-print>: prints the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  // A tree's "+" button (data-tree-toggle) becomes "−" once htmx has loaded the branch.
  document.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail.elt;
    if (button.hasAttribute && button.hasAttribute("data-tree-toggle")) {
      button.setAttribute("aria-expanded", "true");
      button.textContent = "−";
      button.disabled = true;
    }
  });

  // Sizes computed on the server (progress bars, chart boxes): data-width="42%", data-height="260px".
  // Set through the DOM, which the policy allows, instead of a style attribute, which it blocks.
  function size(root) {
    root.querySelectorAll("[data-width], [data-height]").forEach(function (element) {
      if (element.dataset.width) { element.style.width = element.dataset.width; }
      if (element.dataset.height) { element.style.height = element.dataset.height; }
    });
  }

  // Keep the current tab in view when a tab bar (.nav-scroll) scrolls sideways on a narrow screen.
  function centreTabs(root) {
    root.querySelectorAll(".nav-scroll .active").forEach(function (tab) {
      var bar = tab.closest(".nav-scroll");
      var offset = tab.getBoundingClientRect().left - bar.getBoundingClientRect().left;
      bar.scrollLeft += offset - (bar.clientWidth - tab.offsetWidth) / 2;
    });
  }

  function prepare(root) { size(root); centreTabs(root); }
  prepare(document);
  document.addEventListener("htmx:load", function (event) { size(event.detail.elt); });

  // The idle limit ends a session nobody uses. Typing an essay or answering a quiz sends nothing to
  // the server, so while the user types, clicks or scrolls, the page tells it (at most every 2 minutes).
  var keepalive = document.body.dataset.keepalive;
  if (keepalive) {
    var last = Date.now();
    var ping = function () {
      if (Date.now() - last < 120000) { return; }
      last = Date.now();
      fetch(keepalive, {credentials: "same-origin", redirect: "manual"}).catch(function () {});
    };
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, ping, {passive: true, capture: true});
    });
  }
})();
