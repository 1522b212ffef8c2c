// Theme board: drag a card to another column to re-tag it (the card's Move form does the same
// without script); count the cards picked for a new insight.
(function () {
  "use strict";
  const board = document.querySelector("[data-board]");
  if (!board) return;
  const csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
  let dragged = null;

  function recount() {
    board.querySelectorAll("[data-column]").forEach((col) => {
      const count = col.querySelector("[data-count]");
      if (count) count.textContent = col.querySelectorAll("[data-card]").length;
    });
  }

  function move(card, from, to) {
    const body = new FormData();
    body.append("highlight", card.dataset.card);
    body.append("from", from.dataset.column);
    body.append("to", to.dataset.column);
    return fetch(board.dataset.moveUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    }).then((r) => {
      if (!r.ok) throw new Error(`Move failed (${r.status})`);
      return r.json();
    });
  }

  board.addEventListener("dragstart", (e) => {
    dragged = e.target.closest("[data-card]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.card);
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    board.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
  });
  board.addEventListener("dragover", (e) => {
    const col = e.target.closest("[data-column]");
    if (!col || !dragged) return;
    e.preventDefault();
    board.querySelectorAll(".drop-target").forEach((c) => c !== col && c.classList.remove("drop-target"));
    col.classList.add("drop-target");
  });
  board.addEventListener("drop", (e) => {
    const to = e.target.closest("[data-column]");
    if (!to || !dragged) return;
    e.preventDefault();
    to.classList.remove("drop-target");
    const from = dragged.closest("[data-column]");
    if (from === to) return;
    const card = dragged;
    const already = to.querySelector(`[data-card="${card.dataset.card}"]`);
    move(card, from, to)
      .then(() => {
        // The card now lives under the new tag; if it already had it, the columns merge.
        if (already) card.remove();
        else {
          to.querySelector(".cards").prepend(card);
          const hidden = card.querySelector("input[name=from]");
          if (hidden) hidden.value = to.dataset.column;
          const select = card.querySelector("select[name=to]");
          if (select) {
            select.innerHTML = "";
            board.querySelectorAll("[data-column]").forEach((col) => {
              if (col === to) return;
              select.add(new Option(`→ ${col.dataset.name}`, col.dataset.column));
            });
          }
        }
        const empty = to.querySelector("[data-empty]");
        if (empty) empty.remove();
        recount();
      })
      .catch((err) => window.alert(err.message));
  });

  const counter = document.querySelector("[data-picked-count]");
  document.addEventListener("change", (e) => {
    if (!counter || e.target.name !== "highlight") return;
    const n = new Set(
      Array.from(document.querySelectorAll("input[name=highlight][form=group-form]:checked")).map(
        (i) => i.value)
    ).size;
    counter.textContent = n ? `${n} picked:` : "Pick cards, then";
  });
})();
