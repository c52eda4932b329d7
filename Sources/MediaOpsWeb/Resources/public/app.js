// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Ask before destructive actions; the form says what will happen.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // Account form: show only the chosen platform's fields. Hidden sections are
  // disabled too, so their required inputs neither block nor get submitted.
  function syncPlatform(select) {
    var form = select.form;
    var sections = form.querySelectorAll("[data-platform]");
    for (var i = 0; i < sections.length; i++) {
      var on = sections[i].getAttribute("data-platform") === select.value;
      sections[i].hidden = !on;
      sections[i].disabled = !on;
    }
  }
  var selects = document.querySelectorAll("[data-platform-select]");
  for (var i = 0; i < selects.length; i++) {
    syncPlatform(selects[i]);
    selects[i].addEventListener("change", function (event) { syncPlatform(event.target); });
  }

  // A new API token is shown once: select it on focus for copying.
  var tokens = document.querySelectorAll("[data-select-on-focus]");
  for (var j = 0; j < tokens.length; j++) {
    tokens[j].addEventListener("focus", function (event) { event.target.select(); });
  }
})();
