// Transcripts on a conversation page: a selection of words (or of notes) fills the highlight
// form with the quote and its time range; highlights are marked where they were cut; a line is
// edited in place; a transcription's progress is polled until it is done.
//
// Markup it reads: `.transcript[data-transcript=<uid>]` holding `.line[data-start][data-end]`
// lines, their words `.w[data-start][data-end]` inside `[data-text]` (a hand-edited line is one
// piece), the speaker in `.speaker`; notes in `#conversation-notes`; the form
// `[data-highlight-form]`; highlights `li.hl[data-highlight]`; progress boxes `[data-status-url]`.
(function () {
  "use strict";
  if (window.fieldnotesTranscript) return;
  window.fieldnotesTranscript = true;
  const LINE = ".line[data-start]";
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  const timecode = (s) => {
    s = Math.max(0, Math.floor(s));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // ---- Selection to the highlight form ------------------------------------------------
  const form = document.querySelector("[data-highlight-form]");
  const field = (name) => (form ? form.querySelector(`[name="${name}"]`) : null);

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
    let first, last, quote;
    if (words.length) {
      // Whole words: a quote never starts or ends in the middle of one.
      [first, last] = [words[0], words[words.length - 1]];
      quote = words.map((w) => w.textContent).join(" ");
    } else {
      const said = Array.from(root.querySelectorAll("[data-text]")).filter(hit);
      if (!said.length) return null;
      first = said[0].closest(LINE);
      last = said[said.length - 1].closest(LINE);
      quote = said.map((el) => clipped(range, el)).join(" ");
    }
    if (!first || !last) return null;
    const line = first.closest(LINE);
    const speaker = line && line.querySelector(".speaker");
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
    if (dock) dock.classList.add("open");
  }

  const dock = document.querySelector('[data-highlight-dock="float"]');
  if (dock) document.documentElement.classList.add("js-evidence");

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

  // ---- Marks: where each highlight was cut --------------------------------------------
  function markNotes(li) {
    const notes = document.getElementById("conversation-notes");
    const quote = squash(li.dataset.notesQuote || "");
    if (!notes || !quote) return null;
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

  function markHighlights() {
    const focusUid = new URLSearchParams(window.location.search).get("highlight");
    document.querySelectorAll("li.hl[data-highlight]").forEach((li) => {
      if (li.dataset.start) {
        const start = +li.dataset.start;
        const end = +li.dataset.end;
        // Only on the recording it was cut from (another recording of the conversation may
        // have words at the same time); words where the transcript has them, else whole lines.
        const all = Array.from(document.querySelectorAll(".transcript[data-transcript]"));
        const own = li.dataset.cutFrom
          ? all.filter((t) => t.closest(`[data-recording="${CSS.escape(li.dataset.cutFrom)}"]`))
          : all.length === 1 ? all : [];
        const pieces = own
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
  }

  // ---- Editing a line in place ----------------------------------------------------------
  async function postLine(url, text) {
    const data = new FormData();
    data.append("text", text);
    const response = await fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) throw new Error(body.error || "The server answered " + response.status);
    return body;
  }

  function editLine(button) {
    const body = button.closest(".body");
    const text = body.querySelector("[data-text]");
    if (body.classList.contains("editing")) return;
    body.classList.add("editing");
    const area = document.createElement("textarea");
    area.value = text.textContent.trim();
    area.rows = 2;
    area.setAttribute("aria-label", "Line text");
    const save = document.createElement("button");
    save.type = "button"; save.className = "btn"; save.textContent = "Save";
    const cancel = document.createElement("button");
    cancel.type = "button"; cancel.className = "btn secondary"; cancel.textContent = "Cancel";
    const note = document.createElement("span");
    note.className = "small bad"; note.setAttribute("role", "alert");
    const bar = document.createElement("div");
    bar.className = "edit-bar";
    bar.append(save, cancel, note);
    text.hidden = true;
    button.hidden = true;
    text.after(area, bar);
    area.focus();
    function close() {
      area.remove(); bar.remove(); text.hidden = false; button.hidden = false;
      body.classList.remove("editing");
      // Keyboard users carry on from the line they edited, not from the top of the page.
      button.focus();
    }
    cancel.addEventListener("click", close);
    async function submit() {
      try {
        const result = await postLine(button.dataset.edit, area.value);
        text.textContent = result.text;
        let mark = body.querySelector(".edited");
        if (!mark) {
          mark = document.createElement("span");
          mark.className = "edited small muted";
          text.after(mark);
        }
        mark.textContent = "edited by " + result.edited_by;
        close();
      } catch (error) {
        note.textContent = error.message;
      }
    }
    save.addEventListener("click", submit);
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); submit(); }
      if (event.key === "Escape") close();
    });
  }

  // ---- A transcription's progress -------------------------------------------------------
  function pollStatus(box) {
    let wasActive = false;
    async function poll() {
      const job = box.querySelector("[data-job-state]");
      const active = job && job.dataset.active === "1";
      if (!active) {
        if (wasActive) location.reload();
        return;
      }
      wasActive = true;
      try {
        const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
        if (response.ok) box.innerHTML = await response.text();
      } catch (e) { /* try again on the next tick */ }
      setTimeout(poll, 2000);
    }
    setTimeout(poll, 1000);
  }

  function init() {
    document.querySelectorAll("[data-edit]").forEach((button) => {
      button.addEventListener("click", () => editLine(button));
    });
    document.querySelectorAll("[data-status-url]").forEach(pollStatus);
    markHighlights();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
