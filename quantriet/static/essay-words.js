// The word count under the essay box (essays/write.html).
(function () {
  "use strict";
  var area = document.getElementById("essay-text");
  var out = document.querySelector("#word-count [data-words]");
  function count() { var words = area.value.trim().split(/\s+/).filter(Boolean); out.textContent = words.length; }
  area.addEventListener("input", count);
  count();
})();
