/* Viber Review: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Copy buttons: <button data-copy="text" hidden>Copy</button>, shown only when scripts run.
  function setUpCopy(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var label = button.textContent;
          button.textContent = "Copied";
          button.setAttribute("aria-live", "polite");
          window.setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  // Long values are clamped by CSS (html.js .clamp); a "Show more" button appears only where
  // the text really overflows, and toggles the full text.
  function setUpClamps(root) {
    root.querySelectorAll(".clamp").forEach(function (box) {
      var button = document.getElementById(box.id + "-toggle");
      if (!button) return;
      if (box.scrollHeight <= box.clientHeight + 2) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = box.classList.toggle("clamp-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "Show less" : "Show more";
      });
    });
  }

  // GET filter forms marked data-drop-empty leave their empty fields out of the URL.
  function setUpFilterForms(root) {
    root.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && !field.disabled && field.value === "") field.disabled = true;
        });
        // Re-enable after the browser has read the form (for the back/forward cache).
        window.setTimeout(function () {
          Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
        }, 0);
      });
    });
  }

  ready(function () {
    setUpCopy(document);
    setUpClamps(document);
    setUpFilterForms(document);
  });
})();
