// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Ask before destructive actions; the form says what will happen.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // A print button (the hiring plan): shown only where script runs, since without it the browser's own print does the same.
  var printers = document.querySelectorAll("[data-print]");
  for (var p = 0; p < printers.length; p++) {
    printers[p].hidden = false;
    printers[p].addEventListener("click", function () { window.print(); });
  }

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

// Live length counters on platform variants: counted the platform's way
// (characters, or X's weighting where CJK and emoji weigh 2 and URLs 23).
(function () {
  "use strict";
  function weighted(text) {
    var total = 0;
    text = text.replace(/https?:\/\/[^\s\u3000，。！？、]+/g, function () { total += 23; return ""; });
    Array.from(text).forEach(function (ch) {
      var c = ch.codePointAt(0);
      var light = c <= 0x10FF || (c >= 0x2000 && c <= 0x200D) || (c >= 0x2010 && c <= 0x201F) || (c >= 0x2032 && c <= 0x2037);
      total += light ? 1 : 2;
    });
    return total;
  }
  function plain(text) {
    return text.replace(/<[^>]*>/g, "").replace(/&nbsp;/g, " ").replace(/\n{2,}/g, "\n").trim();
  }
  function count(text, counting) {
    text = plain(text);
    if (counting === "xWeighted") return weighted(text);
    // Grapheme clusters where the browser can, else code points.
    if (window.Intl && Intl.Segmenter) return Array.from(new Intl.Segmenter().segment(text)).length;
    return Array.from(text).length;
  }
  var forms = document.querySelectorAll("[data-limits]");
  for (var i = 0; i < forms.length; i++) {
    (function (form) {
      var counting = form.getAttribute("data-counting");
      var fields = form.querySelectorAll("[data-counted]");
      for (var j = 0; j < fields.length; j++) {
        (function (field) {
          var counter = field.parentNode.querySelector("[data-counter]");
          var max = parseInt(field.getAttribute("data-max"), 10);
          function update() {
            var n = count(field.value, counting);
            if (counter) counter.textContent = n + (isNaN(max) ? "" : " / " + max);
            var over = !isNaN(max) && n > max;
            field.classList.toggle("over-limit", over);
            if (counter) counter.classList.toggle("over-limit", over);
          }
          field.addEventListener("input", update);
          update();
        })(fields[j]);
      }
    })(forms[i]);
  }
})();

// Comment on a passage: selecting text in the master or a variant body fills the
// comment form's quote, target and code-point range.
(function () {
  "use strict";
  var form = document.querySelector("[data-comment-form]");
  if (!form) return;
  var areas = document.querySelectorAll("[data-quote-anchor]");
  function codePoints(text) { return Array.from(text).length; }
  for (var i = 0; i < areas.length; i++) {
    areas[i].addEventListener("select", function (event) {
      var area = event.target;
      var start = area.selectionStart, end = area.selectionEnd;
      if (end <= start) return;
      var quote = area.value.slice(start, end).slice(0, 500);
      form.querySelector("[name=quote]").value = quote;
      form.querySelector("[name=range_start]").value = codePoints(area.value.slice(0, start));
      form.querySelector("[name=range_end]").value = codePoints(area.value.slice(0, end));
      var anchor = form.querySelector("[name=anchor]");
      if (anchor) anchor.value = area.getAttribute("data-quote-anchor");
    });
  }
})();

// A select marked data-submit-on-change loads its form's choice at once
// (the button beside it does the same without script).
document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () { if (select.form) select.form.submit(); });
});

// A form larger than the server accepts is stopped here, with the server's own
// sentence, so the text stays in the editor instead of being lost to a 413.
(function () {
  var limit = parseInt(document.body.getAttribute("data-max-body") || "0", 10);
  if (!limit || !window.TextEncoder || !window.URLSearchParams || !window.FormData) return;
  var encoder = new TextEncoder();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || (form.method || "").toLowerCase() !== "post" || form.enctype === "multipart/form-data") return;
    var size = encoder.encode(new URLSearchParams(new FormData(form)).toString()).length;
    if (size <= limit) return;
    event.preventDefault();
    var message = document.body.getAttribute("data-too-large");
    var box = form.querySelector(".form-too-large");
    if (!box) {
      box = document.createElement("p");
      box.className = "alert form-too-large";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message;
    box.scrollIntoView({ block: "center" });
  }, true);
})();

// Phones: the menu button folds the navigation open and shut.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (!toggle) return;
  const sidebar = toggle.closest(".sidebar");
  const open = !sidebar.classList.contains("nav-open");
  sidebar.classList.toggle("nav-open", open);
  toggle.setAttribute("aria-expanded", String(open));
});

// A long <select> (time zones) gets a search box: typing hides the options that do not match.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-filter-select]");
  if (!box) return;
  const select = document.getElementById(box.dataset.filterSelect);
  if (!select) return;
  const needle = box.value.trim().toLowerCase();
  let first = null;
  for (const option of select.options) {
    const show = !needle || option.selected || option.textContent.toLowerCase().includes(needle) || option.value.toLowerCase().includes(needle);
    option.hidden = !show;
    if (show && !first && needle) first = option;
  }
  for (const group of select.querySelectorAll("optgroup")) group.hidden = ![...group.children].some((option) => !option.hidden);
  if (first && !select.options[select.selectedIndex]?.textContent.toLowerCase().includes(needle)) first.selected = true;
});

// A variant's preview follows what is typed: the title, and each line of the body as its own paragraph.
document.addEventListener("input", (event) => {
  const field = event.target;
  const form = field.closest("form[data-limits]");
  const preview = form?.parentElement?.querySelector(".preview");
  if (!preview) return;
  if (field.name === "title") {
    const title = preview.querySelector("[data-preview-title]");
    if (title) title.textContent = field.value;
  } else if (field.name === "body") {
    const body = preview.querySelector("[data-preview-body]");
    if (!body) return;
    body.replaceChildren(...field.value.split(/\n+/).map((line) => line.trim()).filter(Boolean).map((line) => {
      const paragraph = document.createElement("p");
      paragraph.textContent = line;
      return paragraph;
    }));
  }
});

// Alert rule form: show the fields, metrics and comparisons the chosen kind
// uses. Hidden fields are disabled so they are not sent.
(function () {
  "use strict";
  var select = document.querySelector("[data-alert-kind]");
  if (!select) return;
  var form = select.form;
  function sync() {
    var kind = select.value;
    var parts = form.querySelectorAll("[data-kinds]");
    for (var i = 0; i < parts.length; i++) {
      var kinds = parts[i].getAttribute("data-kinds").split(" ");
      var on = kinds.indexOf(kind) >= 0;
      parts[i].hidden = !on;
      if (parts[i].tagName === "OPTION") {
        parts[i].disabled = !on;
        if (!on && parts[i].selected) parts[i].selected = false;
      } else {
        var inputs = parts[i].querySelectorAll("input, select");
        for (var j = 0; j < inputs.length; j++) inputs[j].disabled = !on;
      }
    }
    // A comparison the kind does not allow gives way to its first allowed one.
    var comparison = form.querySelector("select[name=comparison]");
    if (comparison && comparison.selectedIndex >= 0 && comparison.options[comparison.selectedIndex].disabled) {
      for (var k = 0; k < comparison.options.length; k++) {
        if (!comparison.options[k].disabled) { comparison.selectedIndex = k; break; }
      }
    }
  }
  sync();
  select.addEventListener("change", sync);
})();
// Insights: the level suggestions follow the chosen grouping.
document.querySelectorAll('[data-level-lists]').forEach(function (select) {
  select.addEventListener('change', function () {
    var list = document.getElementById('levels-' + select.value) ? 'levels-' + select.value : '';
    ['group_a', 'group_b'].forEach(function (id) { var input = document.getElementById(id); if (input) input.setAttribute('list', list); });
  });
});
