// Keyboard shortcuts for the review queue and flag pages: j/k move, a accept, r reject, x select, o open.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue tbody tr[data-flag]")); }
  function current() { return document.querySelector("#queue tbody tr.selected"); }
  function select(row) {
    var old = current();
    if (old) { old.classList.remove("selected"); }
    if (row) { row.classList.add("selected"); row.scrollIntoView({ block: "nearest" }); }
  }
  function move(step) {
    var all = rows(), idx = all.indexOf(current());
    if (!all.length) { return; }
    select(all[Math.max(0, Math.min(all.length - 1, idx < 0 ? 0 : idx + step))]);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("#queue input[name=ids]").forEach(function (box) { box.checked = all.checked; });
      });
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) { return; }
    var row = current(), link, button;
    if (ev.key === "j") { move(1); }
    else if (ev.key === "k") { move(-1); }
    else if (ev.key === "x" && row) { row.querySelector("input[name=ids]").click(); }
    else if ((ev.key === "o" || ev.key === "Enter") && row) { link = row.querySelector("a.open"); if (link) { link.click(); } }
    else if (ev.key === "a") {
      button = row ? row.querySelector("button.accept") : document.querySelector("#accept-form button");
      if (button) { button.click(); }
    }
    else if (ev.key === "r") {
      if (row) { link = row.querySelector("a.open"); if (link) { window.location = link.href + "#reject-form"; } }
      else if (document.getElementById("reject-reason")) { document.getElementById("reject-reason").focus(); }
    }
    else { return; }
    ev.preventDefault();
  });
  if (window.location.hash === "#reject-form") {
    document.addEventListener("DOMContentLoaded", function () {
      var input = document.getElementById("reject-reason");
      if (input) { input.focus(); }
    });
  }
})();
