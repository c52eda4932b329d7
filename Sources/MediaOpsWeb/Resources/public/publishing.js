// Publishing pages: copy buttons on the publish card and a confirmation on
// "publish now". Progressive enhancement only: without script the copy sits
// in read-only fields to select by hand, and the buttons stay hidden.
(function () {
  "use strict";
  if (window.__mediaopsPublishing) return;
  window.__mediaopsPublishing = true;

  function announce(button, text) {
    var status = document.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = text;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  function fallbackCopy(field) {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  var buttons = document.querySelectorAll("[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (event) {
      var button = event.currentTarget;
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      var done = function () { announce(button, button.getAttribute("data-copied")); };
      var failed = function () {
        // Leave the text selected so Ctrl+C / ⌘C finishes the job.
        field.focus();
        field.select();
        announce(button, button.getAttribute("data-copy-failed"));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (fallbackCopy(field)) done(); else failed(); });
      } else if (fallbackCopy(field)) {
        done();
      } else {
        failed();
      }
    });
  }

  // A submit button that asks first (the form's own data-confirm covers whole forms).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm-submit]");
    if (button && !window.confirm(button.getAttribute("data-confirm-submit"))) event.preventDefault();
  }, true);
})();
