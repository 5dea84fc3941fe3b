// Accessible names for what the admin's widgets draw in place of a labelled field: the rich
// text editor's editing area and an autocomplete's search box are named by their field's label.
"use strict";
(function () {
  function labelOf(field) {
    const label = field && field.id ? document.querySelector(`label[for="${field.id}"]`) : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  document.addEventListener("prose-editor:ready", function (event) {
    const name = labelOf(event.detail.textarea);
    if (name) event.detail.editor.view.dom.setAttribute("aria-label", name);
  });

  // select2 (Django's autocomplete) adds its search boxes after the page has loaded, and again
  // for each inline form added.
  function nameSearchBoxes() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      const container = box.closest(".select2-container");
      const name = labelOf(container && container.previousElementSibling);
      if (name) box.setAttribute("aria-label", name);
    });
  }
  new MutationObserver(nameSearchBoxes).observe(document.documentElement, { childList: true, subtree: true });
})();
