// The attendance book's keyboard (study/conferences/attendance.html).
(function () {
  "use strict";
  // Keys 1–3 save and move to the next row. Keys 4 and 5 (absences) only choose the status and
  // open the same row's reason: Enter saves status and reason together, then moves on. A reason
  // is therefore always typed, and saved, on the row it belongs to.
  var after = null;         // {row: id, next: bool} of the save in flight from the keyboard
  var ABSENCES = ["4", "5"];
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#att-table tr.att-row")); }
  function focusRow(row) { if (row) { row.focus(); row.scrollIntoView({block: "nearest"}); } }
  function sibling(row, step) { var all = rows(); return all[all.indexOf(row) + step]; }
  function reasonOf(row) { return row.querySelector('input[name="reason"]'); }
  function focusReason(row) {
    var input = reasonOf(row);
    input.focus(); input.setSelectionRange(input.value.length, input.value.length);
  }
  function choose(row, button) {
    row.dataset.pending = button ? button.value : "";
    row.querySelectorAll("button[data-key]").forEach(function (b) {
      b.classList.toggle("active", b === button);
    });
  }
  function save(row, status, next) {
    var button = row.querySelector('button[value="' + status + '"]');
    if (!button) { return; }
    after = {row: row.id, next: next};
    button.click();
  }
  document.addEventListener("click", function (event) {
    if (event.isTrusted && event.target.closest && event.target.closest("tr.att-row button")) { after = null; }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.target.id === "att-filter" && (event.key === "ArrowDown" || event.key === "Enter")) {
      event.preventDefault(); focusRow(rows()[0]); return;
    }
    var row = event.target.closest && event.target.closest("tr.att-row");
    if (!row || event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (event.target.classList.contains("att-confirm")) {
      if (event.key === "Escape") { focusRow(row); }
      return;  // Enter or Space on "Vẫn ghi" confirms, as on any button
    }
    if (event.target.name === "reason") {
      if (event.key === "Enter") {
        event.preventDefault();
        save(row, row.dataset.pending || row.dataset.status || "vang_co_ly_do", true);
      } else if (event.key === "Escape") { choose(row, null); focusRow(row); }
      return;
    }
    var key = event.key;
    if (key >= "1" && key <= "5") {
      event.preventDefault();
      var button = row.querySelector('button[data-key="' + key + '"]');
      if (!button) { return; }
      if (ABSENCES.indexOf(key) >= 0) { choose(row, button); focusReason(row); }
      else { save(row, button.value, true); }
    } else if (key === "ArrowDown") { event.preventDefault(); focusRow(sibling(row, 1)); }
    else if (key === "ArrowUp") { event.preventDefault(); focusRow(sibling(row, -1)); }
    else if (key === "Enter") { event.preventDefault(); focusReason(row); }
  });
  // htmx gives focus back to the swapped row after loading it; move focus once it has.
  document.body.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (!element.matches || !element.matches("tr.att-row")) { return; }
    var next = after && after.row === element.id && after.next;
    if (after && after.row === element.id) { after = null; }
    setTimeout(function () {
      var row = document.getElementById(element.id);
      if (!row) { return; }
      var confirm = row.querySelector(".att-confirm");
      if (confirm) { confirm.focus(); }
      else if (row.querySelector(".att-error")) { focusReason(row); }
      else if (next) { focusRow(sibling(row, 1) || row); }
    }, 0);
  });
})();
