/* civicweave: small enhancements; every page works without this file. */
(function () {
  "use strict";

  /* Attendance: a search box that narrows the checkboxes, and a count of those ticked. */
  function attendance() {
    var list = document.getElementById("f-attendee");
    var search = document.getElementById("attendance-search");
    var filter = document.getElementById("attendance-filter");
    var count = document.getElementById("attendance-count");
    if (!list || !search || !filter) {
      return;
    }
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));

    function showCount() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = items.filter(function (item) { return !item.hidden; }).length;
      count.textContent = ticked + " ticked" + (words.length ? ", " + shown + " of " + items.length + " shown" : "");
    }

    function narrow() {
      var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        var text = item.getAttribute("data-search");
        item.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
      showCount();
    }

    search.hidden = false;
    filter.addEventListener("input", narrow);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); /* Enter narrows the list; it must not send the form */
      }
    });
    list.addEventListener("change", showCount);
    showCount();
  }

  /* The report: a button that opens the browser's print dialogue (print or save as PDF). */
  function printButton() {
    var button = document.getElementById("print-report");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  }

  /* After a form comes back with errors, start at the summary of them. */
  function focusErrors() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  function start() {
    attendance();
    printButton();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
