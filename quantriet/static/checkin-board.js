// The check-in screen (study/conferences/board.html): the code's countdown, full screen.
(function () {
  "use strict";
  var deadline = 0;
  function arm(element) {
    if (element && element.id === "board-code") {
      deadline = Date.now() + 1000 * parseInt(element.dataset.remaining, 10);
    }
  }
  arm(document.getElementById("board-code"));
  document.body.addEventListener("htmx:load", function (event) { arm(event.detail.elt); });
  setInterval(function () {
    var counter = document.getElementById("countdown");
    if (counter) { counter.textContent = Math.max(0, Math.ceil((deadline - Date.now()) / 1000)); }
  }, 250);
  document.getElementById("board-fullscreen").addEventListener("click", function () {
    var screen = document.getElementById("board-screen");
    if (screen.requestFullscreen) { screen.requestFullscreen(); }
  });
})();
