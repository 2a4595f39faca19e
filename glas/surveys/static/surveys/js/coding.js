// Coding open answers: while an answer (or one of its buttons) has focus, the number key shown
// beside a code gives it that code; after the answer is coded in place (htmx), focus moves to
// the next answer. Without this file every code is a plain button of a plain form.
(function () {
  "use strict";
  function row(node) { return node && node.closest ? node.closest(".coding-answer") : null; }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[0-9]$/.test(event.key)) { return; }
    var target = event.target;
    if (target.matches && target.matches("input[type=text], input[type=search], textarea, select")) { return; }
    var answer = row(target);
    if (!answer) { return; }
    var button = answer.querySelector('.coding-keys button[data-key="' + event.key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var answer = event.detail && event.detail.target;
    if (!answer || !answer.id) { return; }
    var swapped = document.getElementById(answer.id);
    if (!swapped || !swapped.hasAttribute("data-coded")) { return; }
    var next = swapped.nextElementSibling;
    var focus = next ? (next.querySelector(".coding-keys button") || next) : swapped;
    focus.focus();
  });
  if (location.hash && location.hash.indexOf("#answer-") === 0) {
    var start = document.getElementById(location.hash.slice(1));
    var first = start && start.querySelector(".coding-keys button");
    if (first) { first.focus(); }
  }
})();
