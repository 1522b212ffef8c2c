// Highlights on the conversation page: turn a text selection in the transcript (words carry
// data-start/data-end) or in the notes into the highlight form's quote and time range; seek
// to #t=<seconds>; play a highlight's own clip; mark what is highlighted already.
//
// Markup it reads (any transcript view can offer it): `.transcript[data-transcript=<uid>]`
// holding `.seg[data-start][data-end]` lines whose words are `.w[data-start][data-end]`;
// notes in `#conversation-notes`; the form `[data-highlight-form]`.
(function () {
  "use strict";
  const form = document.querySelector("[data-highlight-form]");
  const field = (name) => (form ? form.querySelector(`[name="${name}"]`) : null);
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  const timecode = (s) => {
    s = Math.max(0, Math.floor(s));
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, "0")}`;
  };

  // ---- Selection to form -------------------------------------------------------------
  function fromTranscript(range, root) {
    const words = Array.from(root.querySelectorAll(".w")).filter((w) => range.intersectsNode(w));
    if (!words.length) return null;
    const first = words[0];
    const last = words[words.length - 1];
    const seg = first.closest(".seg");
    const speaker = seg && seg.querySelector(".spk");
    return {
      quote: squash(words.map((w) => w.textContent).join(" ")),
      start: first.dataset.start,
      end: last.dataset.end,
      transcript: root.dataset.transcript,
      where: `From ${timecode(+first.dataset.start)} to ${timecode(+last.dataset.end)}` +
        (speaker ? ` · ${speaker.textContent}` : ""),
    };
  }

  function captureSelection() {
    if (!form) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const node = range.commonAncestorContainer;
    const element = node.nodeType === 1 ? node : node.parentElement;
    let picked = null;
    // A selection running over two recordings keeps to the first one.
    const roots = Array.from(document.querySelectorAll(".transcript")).filter((t) =>
      range.intersectsNode(t));
    if (roots.length) {
      picked = fromTranscript(range, roots[0]);
    } else if (element.closest("#conversation-notes")) {
      picked = { quote: squash(selection.toString()), start: "", end: "", transcript: "",
        where: "From the notes" };
    }
    if (!picked || !picked.quote) return;
    field("quote").value = picked.quote;
    field("start").value = picked.start;
    field("end").value = picked.end;
    field("transcript").value = picked.transcript;
    const readout = form.querySelector("[data-readout]");
    if (readout) readout.textContent = `${picked.where}.`;
    form.classList.add("has-selection");
    showForm();
  }

  const dock = document.querySelector('[data-highlight-dock="float"]');
  if (dock) document.documentElement.classList.add("js-evidence");
  function showForm() {
    if (!dock || dock.classList.contains("open")) return;
    dock.classList.add("open");
  }

  if (form) {
    let timer = null;
    document.addEventListener("selectionchange", () => {
      clearTimeout(timer);
      timer = setTimeout(captureSelection, 250);
    });
    document.addEventListener("mouseup", () => setTimeout(captureSelection, 0));
    const clear = form.querySelector("[data-clear-selection]");
    if (clear) {
      clear.addEventListener("click", () => {
        ["quote", "start", "end", "transcript"].forEach((n) => (field(n).value = ""));
        const readout = form.querySelector("[data-readout]");
        if (readout) readout.textContent = "Select words in the transcript or the notes.";
        form.classList.remove("has-selection");
        if (dock) dock.classList.remove("open");
      });
    }
  }

  // ---- Seeking and clips -------------------------------------------------------------
  const audio = () => document.querySelector("audio");

  function seekTranscript(t) {
    let target = null;
    document.querySelectorAll(".transcript .seg").forEach((seg) => {
      seg.classList.remove("here");
      if (+seg.dataset.start <= t + 0.01 && t < +seg.dataset.end) target = target || seg;
    });
    if (target) {
      target.classList.add("here");
      target.scrollIntoView({ block: "center" });
    }
  }

  function fromHash() {
    const match = /^#t=([0-9.]+)/.exec(window.location.hash);
    if (!match) return;
    const t = parseFloat(match[1]);
    seekTranscript(t);
    // The recording's own player honours #t= too; seeking here as well is harmless and covers
    // a player that has not loaded its metadata yet.
    const player = audio();
    if (player) {
      const seek = () => { player.currentTime = t; };
      if (player.readyState >= 1) seek();
      else player.addEventListener("loadedmetadata", seek, { once: true });
    }
  }
  window.addEventListener("hashchange", fromHash);

  document.addEventListener("click", (event) => {
    const play = event.target.closest("[data-clip-start]");
    const player = audio();
    if (play && player) {
      event.preventDefault();
      const start = parseFloat(play.dataset.clipStart);
      const end = parseFloat(play.dataset.clipEnd);
      seekTranscript(start);
      player.currentTime = start;
      const stop = () => {
        if (player.currentTime >= end) {
          player.pause();
          player.removeEventListener("timeupdate", stop);
        }
      };
      player.addEventListener("timeupdate", stop);
      player.play().catch(() => {});
      return;
    }
    const confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) event.preventDefault();
  });

  // ---- Mark what is highlighted ------------------------------------------------------
  function markNotes(li) {
    const notes = document.getElementById("conversation-notes");
    const quote = squash(li.dataset.notesQuote || "");
    if (!notes || !quote) return;
    const walker = document.createTreeWalker(notes, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = squash(node.nodeValue).indexOf(quote);
      const raw = node.nodeValue.indexOf(quote);
      if (at < 0 || raw < 0) continue;
      const range = document.createRange();
      range.setStart(node, raw);
      range.setEnd(node, raw + quote.length);
      const mark = document.createElement("mark");
      mark.id = `mark-${li.dataset.highlight}`;
      range.surroundContents(mark);
      return mark;
    }
    return null;
  }

  const focusUid = new URLSearchParams(window.location.search).get("highlight");
  document.querySelectorAll("li.hl[data-highlight]").forEach((li) => {
    if (li.dataset.start) {
      const start = +li.dataset.start;
      const end = +li.dataset.end;
      document.querySelectorAll(".transcript .w").forEach((w) => {
        if (+w.dataset.start < end && +w.dataset.end > start) {
          w.classList.add("marked");
          if (li.dataset.highlight === focusUid) w.classList.add("focus");
        }
      });
    } else {
      const mark = markNotes(li);
      if (mark && li.dataset.highlight === focusUid) {
        mark.classList.add("focus");
        mark.scrollIntoView({ block: "center" });
      }
    }
  });
  fromHash();
})();
