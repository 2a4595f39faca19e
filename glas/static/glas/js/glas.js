// Glas: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // A form shown again with errors: the error summary takes focus, so it is read out first.
  function focusErrors(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); return true; }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A form sent from a page reached through the skip link comes back at ".../#main", and the
    // browser would then move focus to that fragment: drop it, so the errors keep the focus.
    if (focusErrors(document) && location.hash) {
      history.replaceState(history.state, "", location.pathname + location.search);
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (focusErrors(event.target)) { return; }
    // The swap removed the control that had focus (say, the button that was pressed): the
    // keyboard user continues from the new content instead of the top of the page.
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      var landing = event.target.querySelector("[tabindex='-1']");
      if (landing) { landing.focus(); }
    }
  });
})();
