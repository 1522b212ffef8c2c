// Tag fields hold comma-separated names; offer the team's vocabulary for the word being typed.
(function () {
  const list = document.getElementById("team-tags");
  if (!list) return;
  const names = Array.from(list.options).map((o) => o.value);
  document.querySelectorAll("input[data-tag-input]").forEach((input) => {
    input.addEventListener("input", () => {
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
    });
  });
})();
