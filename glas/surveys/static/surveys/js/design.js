// The questionnaire designer: after an htmx swap, focus moves to the heading of the part that
// changed (the server names it in the "glas:focus" event), so keyboard and screen-reader users
// continue where they acted. Every action also works without this file.
(function () {
  "use strict";
  document.addEventListener("glas:focus", function (event) {
    var id = event.detail && event.detail.id;
    var target = id ? document.getElementById(id) : null;
    if (!target || document.querySelector("#error-summary")) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  });
})();
