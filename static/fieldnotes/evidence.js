// Highlights on the conversation page: turn a text selection in the transcript or in the notes
// into the highlight form's quote and time range; seek to #t=<seconds>; play a highlight's
// own clip; mark what is highlighted already.
//
// Markup it reads, so any transcript view can offer selection: `.transcript[data-transcript=
// <uid>]` holding lines (`.seg` or `.line`) with data-start/data-end, their spoken text in
// `.said` or `[data-text]`, optionally split into words `.w[data-start][data-end]` for
// word-exact ranges, and the speaker in `.spk` or `.speaker`. Notes are `#conversation-notes`;
// the form is `[data-highlight-form]`.
(function () {
  "use strict";
  const LINE = ".seg[data-start], .line[data-start]";
  const SAID = ".said, [data-text]";
  const form = document.querySelector("[data-highlight-form]");
  const field = (name) => (form ? form.querySelector(`[name="${name}"]`) : null);
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  const timecode = (s) => {
    s = Math.max(0, Math.floor(s));
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, "0")}`;
  };

  // When the page shows the same transcript twice (the recording's own transcript view and
  // the evidence panel's), keep the recording's and drop the copy.
  document.querySelectorAll("#transcript-select .transcript[data-transcript]").forEach((mine) => {
    const uid = mine.dataset.transcript;
    const other = Array.from(document.querySelectorAll(`.transcript[data-transcript="${uid}"]`))
      .some((t) => !t.closest("#transcript-select"));
    if (other) mine.remove();
  });
  const panel = document.getElementById("transcript-select");
  if (panel && !panel.querySelector(".transcript")) panel.hidden = true;

  // ---- Selection to form -------------------------------------------------------------
  function clipped(range, element) {
    // The part of `element`'s text that lies inside the selection.
    const part = document.createRange();
    part.selectNodeContents(element);
    if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) {
      part.setStart(range.startContainer, range.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) {
      part.setEnd(range.endContainer, range.endOffset);
    }
    return part.toString();
  }

  function fromTranscript(range, root) {
    const hit = (el) => range.intersectsNode(el);
    const words = Array.from(root.querySelectorAll(".w")).filter(hit);
    const said = Array.from(root.querySelectorAll(SAID)).filter(hit);
    let first, last, quote;
    if (words.length) {
      // Whole words: a quote never starts or ends in the middle of one.
      [first, last] = [words[0], words[words.length - 1]];
      quote = words.map((w) => w.textContent).join(" ");
    } else if (said.length) {
      first = said[0].closest(LINE);
      last = said[said.length - 1].closest(LINE);
      quote = said.map((el) => clipped(range, el)).join(" ");
    }
    if (!first || !last) return null;
    const line = first.closest(LINE);
    const speaker = line && line.querySelector(".spk, .speaker");
    return {
      quote: squash(quote),
      start: first.dataset.start,
      end: last.dataset.end,
      transcript: root.dataset.transcript,
      where: `From ${timecode(+first.dataset.start)} to ${timecode(+last.dataset.end)}` +
        (speaker ? ` · ${squash(speaker.textContent)}` : ""),
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
    const roots = Array.from(document.querySelectorAll(".transcript[data-transcript]")).filter(
      (t) => range.intersectsNode(t));
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
    document.querySelectorAll(`.transcript :is(${LINE})`).forEach((seg) => {
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
      // Words where the transcript has them, else whole lines.
      const pieces = Array.from(document.querySelectorAll(".transcript[data-transcript]"))
        .flatMap((t) => Array.from(t.querySelectorAll(t.querySelector(".w") ? ".w" : LINE)));
      pieces.forEach((w) => {
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
