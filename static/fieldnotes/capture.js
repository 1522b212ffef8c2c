// Capture and transcript behaviour: browser recording in chunks, progress polling,
// click-to-seek with follow-along highlight, keyboard shortcuts, in-place line edits.
(function () {
  "use strict";
  if (window.fieldnotesCapture) return;
  window.fieldnotesCapture = true;

  const CHUNK_MS = 3000;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function post(url, body, headers) {
    const response = await fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: Object.assign({ "X-CSRFToken": csrfToken(), Accept: "application/json" }, headers || {}),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      const error = new Error(data.error || "The server answered " + response.status);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function clock(seconds) {
    const s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function pickMime() {
    const wanted = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
    if (!window.MediaRecorder) return null;
    for (const type of wanted) if (MediaRecorder.isTypeSupported(type)) return type;
    return "";
  }

  // ---- Recorder -------------------------------------------------------------------------
  function setupRecorder(root) {
    const button = root.querySelector("[data-record]");
    const label = root.querySelector("[data-record-label]");
    const state = root.querySelector("[data-rec-state]");
    const timer = root.querySelector("[data-rec-time]");
    let session = null;

    function say(text, bad) {
      state.textContent = text;
      state.classList.toggle("bad", !!bad);
    }

    async function startUrl() {
      if (root.dataset.startUrl) return root.dataset.startUrl;
      const form = document.querySelector(root.dataset.saveForm);
      const data = await post(form.action || location.href, new FormData(form));
      form.querySelector("[data-conversation]").value = data.conversation;
      form.dataset.conversationUrl = data.url;
      return data.start_url;
    }

    async function start() {
      const mime = pickMime();
      if (mime === null || !navigator.mediaDevices) {
        say("This browser cannot record audio; upload a file instead.", true);
        return;
      }
      button.disabled = true;
      say("Starting…");
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        button.disabled = false;
        say("No microphone access: " + error.message, true);
        return;
      }
      let recording;
      try {
        const url = await startUrl();
        const body = new FormData();
        body.append("mime", mime);
        recording = await post(url, body);
      } catch (error) {
        stream.getTracks().forEach((t) => t.stop());
        button.disabled = false;
        say(error.message, true);
        return;
      }
      const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : {});
      session = { recorder, stream, recording, queue: [], seq: 0, sending: false, began: Date.now(), failed: 0 };
      recorder.ondataavailable = (event) => {
        if (event.data && event.data.size) { session.queue.push(event.data); pump(session); }
      };
      recorder.start(CHUNK_MS);
      button.disabled = false;
      button.setAttribute("aria-pressed", "true");
      button.classList.add("recording");
      label.textContent = "Stop";
      timer.hidden = false;
      session.tick = setInterval(() => { timer.textContent = clock((Date.now() - session.began) / 1000); }, 500);
      say("Recording; audio is saved every few seconds.");
    }

    async function pump(s) {
      if (s.sending) return;
      s.sending = true;
      while (s.queue.length) {
        try {
          await post(s.recording.chunk_url + "?seq=" + s.seq, s.queue[0], { "Content-Type": "application/octet-stream" });
          s.queue.shift();
          s.seq += 1;
          s.failed = 0;
        } catch (error) {
          if (error.status && error.status < 500 && error.status !== 409) { say(error.message, true); break; }
          s.failed += 1;
          say("Connection trouble; retrying… (" + s.queue.length + " pieces waiting)", true);
          await new Promise((r) => setTimeout(r, Math.min(10000, 500 * 2 ** s.failed)));
        }
      }
      s.sending = false;
      if (s.onDrained && !s.queue.length) s.onDrained();
    }

    async function stop() {
      const s = session;
      button.disabled = true;
      say("Saving the last seconds…");
      await new Promise((resolve) => { s.recorder.onstop = resolve; s.recorder.stop(); });
      s.stream.getTracks().forEach((t) => t.stop());
      clearInterval(s.tick);
      await new Promise((resolve) => {
        if (!s.queue.length && !s.sending) return resolve();
        s.onDrained = resolve;
        pump(s);
      });
      try {
        await post(s.recording.finish_url, new FormData());
      } catch (error) {
        button.disabled = false;
        say(error.message, true);
        return;
      }
      session = null;
      say("Saved; transcription is queued.");
      const form = root.dataset.saveForm && document.querySelector(root.dataset.saveForm);
      if (form) {
        label.textContent = "Record";
        button.classList.remove("recording");
        button.setAttribute("aria-pressed", "false");
        button.disabled = false;
        say("Saved; add notes and tags, then Save visit.");
      } else {
        location.href = s.recording.conversation_url + "#recordings";
        location.reload();
      }
    }

    button.addEventListener("click", () => (session ? stop() : start()));
    window.addEventListener("beforeunload", (event) => {
      if (session) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // ---- Progress -------------------------------------------------------------------------
  function setupStatus(box) {
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

  // ---- Transcript -----------------------------------------------------------------------
  let lastPlayer = null;

  function setupTranscript(box) {
    const article = box.closest("[data-recording]");
    const player = article && article.querySelector("[data-player]");
    if (!player) return;
    const lines = Array.from(box.querySelectorAll(".line"));
    const follow = box.querySelector("[data-follow]");
    let current = null;
    player.addEventListener("play", () => { lastPlayer = player; });
    lastPlayer = lastPlayer || player;

    box.addEventListener("click", (event) => {
      if (event.target.closest("[data-edit], textarea, .editing")) return;
      const line = event.target.closest(".line");
      if (!line) return;
      player.currentTime = parseFloat(line.dataset.start);
      lastPlayer = player;
      player.play().catch(() => {});
    });

    player.addEventListener("timeupdate", () => {
      const t = player.currentTime;
      const line = lines.find((l) => t >= parseFloat(l.dataset.start) && t < parseFloat(l.dataset.end));
      if (line === current) return;
      if (current) current.classList.remove("current");
      current = line || null;
      if (!current) return;
      current.classList.add("current");
      if (follow && follow.checked && !box.querySelector(".editing")) {
        current.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    });

    box.querySelectorAll("[data-edit]").forEach((button) => {
      button.addEventListener("click", () => editLine(button));
    });
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
    }
    cancel.addEventListener("click", close);
    async function submit() {
      const data = new FormData();
      data.append("text", area.value);
      try {
        const result = await post(button.dataset.edit, data);
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

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const player = lastPlayer;
    if (!player) return;
    if (event.key === "k" || (event.key === " " && target === document.body)) {
      event.preventDefault();
      if (player.paused) player.play().catch(() => {}); else player.pause();
    } else if (event.key === "j" || event.key === "ArrowLeft" && target === document.body) {
      player.currentTime = Math.max(0, player.currentTime - 5);
    } else if (event.key === "l" || event.key === "ArrowRight" && target === document.body) {
      player.currentTime = player.currentTime + 5;
    }
  });

  function init() {
    document.querySelectorAll("[data-recorder]").forEach(setupRecorder);
    document.querySelectorAll("[data-status-url]").forEach(setupStatus);
    document.querySelectorAll("[data-transcript]").forEach(setupTranscript);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
