// The task board: drag a card onto another column to move it. Progressive
// enhancement only: the drop fills in and submits the card's own move form,
// the same form a keyboard or a phone uses, so the server sees one kind of move.
(function () {
  "use strict";
  if (window.__mediaopsWork) return;
  window.__mediaopsWork = true;

  var dragged = null;
  var cards = document.querySelectorAll(".task-card[draggable=true]");
  for (var i = 0; i < cards.length; i++) {
    cards[i].addEventListener("dragstart", function (event) {
      dragged = event.currentTarget;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.getAttribute("data-task") || "");
      dragged.classList.add("is-dragging");
    });
    cards[i].addEventListener("dragend", function (event) {
      event.currentTarget.classList.remove("is-dragging");
      dragged = null;
    });
  }

  var columns = document.querySelectorAll(".task-column[data-status]");
  for (var j = 0; j < columns.length; j++) {
    columns[j].addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.currentTarget.classList.add("is-drop-target");
    });
    columns[j].addEventListener("dragleave", function (event) {
      event.currentTarget.classList.remove("is-drop-target");
    });
    columns[j].addEventListener("drop", function (event) {
      event.preventDefault();
      var column = event.currentTarget;
      column.classList.remove("is-drop-target");
      if (!dragged) return;
      var form = dragged.querySelector("form.task-move");
      var select = form && form.querySelector("select[name=status]");
      var status = column.getAttribute("data-status");
      if (!form || !select || select.value === status) return;
      select.value = status;
      form.submit();
    });
  }
})();
