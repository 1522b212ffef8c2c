// Tag fields: names separated by commas (a name may contain spaces: "mobile access" is one
// tag). Under each field, the tags it will save are shown as chips while typing, and the
// team's vocabulary is offered for the name being typed.
(function () {
  "use strict";
  const list = document.getElementById("team-tags");
  const names = list ? Array.from(list.options).map((o) => o.value) : [];

  // The same rule as the server (research.services.tags.tags_from_string).
  function parse(text) {
    const seen = new Map();
    text.split(",").forEach((part) => {
      const name = part.trim().replace(/^"+|"+$/g, "").split(/\s+/).join(" ").trim();
      if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
    });
    return Array.from(seen.values());
  }

  function chipsFor(input) {
    const box = document.createElement("div");
    box.className = "tag-chips";
    box.setAttribute("aria-live", "polite");
    box.id = `${input.id || input.name}-chips`;
    input.setAttribute("aria-describedby",
      [input.getAttribute("aria-describedby"), box.id].filter(Boolean).join(" "));
    input.after(box);
    const render = () => {
      const tags = parse(input.value);
      box.replaceChildren();
      if (!tags.length) return;
      const label = document.createElement("span");
      label.className = "small muted";
      label.textContent = tags.length === 1 ? "Saves 1 tag:" : `Saves ${tags.length} tags:`;
      box.append(label);
      tags.forEach((name) => {
        const chip = document.createElement("span");
        chip.className = "tag chip";
        chip.textContent = name;
        box.append(" ", chip);
      });
    };
    input.addEventListener("input", render);
    render();
  }

  function suggest(input) {
    if (!list) return;
    const parts = input.value.split(",");
    const current = parts.pop().trim().toLowerCase();
    const prefix = parts.length ? parts.join(",") + ", " : "";
    list.innerHTML = "";
    names
      .filter((n) => !current || n.toLowerCase().startsWith(current))
      .slice(0, 20)
      .forEach((n) => {
        const option = document.createElement("option");
        option.value = prefix + n;
        list.appendChild(option);
      });
  }

  function init() {
    document.querySelectorAll("input[data-tag-input]").forEach((input) => {
      chipsFor(input);
      input.addEventListener("input", () => suggest(input));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
