// What every page needs from script, with no inline script or style (the
// Content-Security-Policy forbids both): a tag's colour from data-colour, a chart bar's height
// from data-height (percent), and the phone menu button that shows the sections.
(function () {
  "use strict";
  const COLOUR = /^#[0-9a-fA-F]{6}$/;

  function paint(root) {
    root.querySelectorAll("[data-colour]").forEach((el) => {
      if (COLOUR.test(el.dataset.colour)) el.style.backgroundColor = el.dataset.colour;
    });
    root.querySelectorAll("[data-height]").forEach((el) => {
      const h = parseFloat(el.dataset.height);
      if (!Number.isNaN(h)) el.style.height = `${Math.max(0, Math.min(100, h))}%`;
    });
  }

  function menu() {
    const button = document.querySelector("[data-menu-button]");
    const nav = document.getElementById(button ? button.getAttribute("aria-controls") : "");
    if (!button || !nav) return;
    document.documentElement.classList.add("js-menu");
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("open");
        button.focus();
      }
    });
  }

  function selectAll() {
    // A read-only field to copy (an invitation link): focusing or clicking it selects it all.
    const pick = (event) => {
      if (event.target.matches && event.target.matches("input[data-select-all]")) event.target.select();
    };
    document.addEventListener("focusin", pick);
    document.addEventListener("click", pick);
  }

  function init() {
    paint(document);
    menu();
    selectAll();
  }
  window.fieldnotesPaint = paint;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
