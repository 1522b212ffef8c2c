// Recording in the browser: MediaRecorder chunks uploaded as they come (a retried chunk is
// stored once), then the recording is finished and queued. On the site-visit screen the form
// is saved first, so the recording has a conversation to belong to.
(function () {
  "use strict";
  if (window.fieldnotesRecorder) return;
  window.fieldnotesRecorder = true;

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
      error.fields = data.fields || null;
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

    // The site visit's fields the server refused: marked, with the reason under each.
    function markFields(form, fields) {
      form.querySelectorAll("[data-js-error]").forEach((el) => el.remove());
      form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
      let first = null;
      Object.entries(fields || {}).forEach(([name, message]) => {
        const input = form.querySelector(`[name="${name}"]`);
        if (!input) return;
        const box = input.closest(".field") || input.parentElement;
        input.setAttribute("aria-invalid", "true");
        const note = document.createElement("p");
        note.className = "errorlist";
        note.dataset.jsError = "";
        note.id = `${name}-js-error`;
        note.textContent = message;
        input.setAttribute("aria-describedby", note.id);
        box.append(note);
        first = first || input;
      });
      if (first) first.focus();
    }

    async function start() {
      const mime = pickMime();
      if (mime === null || !navigator.mediaDevices) {
        say("This browser cannot record audio; upload a file instead.", true);
        return;
      }
      button.disabled = true;
      say("Starting…");
      const form = root.dataset.saveForm && document.querySelector(root.dataset.saveForm);
      let saved = null;
      if (form && !root.dataset.startUrl) {
        // Save the visit before asking for the microphone: an empty form says what is missing.
        try {
          saved = await startUrl();
          markFields(form, {});
        } catch (error) {
          button.disabled = false;
          markFields(form, error.fields);
          say(error.message, true);
          return;
        }
      }
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
        const url = saved || (await startUrl());
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

  function init() {
    document.querySelectorAll("[data-recorder]").forEach(setupRecorder);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
