// Recording in the browser: MediaRecorder gives a piece every second; each piece is written
// to the device (IndexedDB, capture.js) before it is sent, and capture.js uploads, verifies
// and finishes the recording, even from another page later. The recorder stops by itself
// before the byte or duration cap, and Stop always returns the button.
(function () {
  "use strict";
  if (window.fieldnotesRecorder) return;
  window.fieldnotesRecorder = true;

  const PIECE_MS = 1000;
  const STOP_WAIT_MS = 3000; // the last piece; never wait longer for the browser
  const UPLOAD_WAIT_MS = 15000; // then the page says the rest uploads on its own

  function clock(seconds) {
    const s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function duration(seconds) {
    if (seconds >= 3600) return +(seconds / 3600).toFixed(2) + " h";
    if (seconds >= 60) return +(seconds / 60).toFixed(1) + " min";
    return Math.round(seconds) + " s";
  }

  function pickMime() {
    const wanted = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
    if (!window.MediaRecorder) return null;
    for (const type of wanted) if (MediaRecorder.isTypeSupported(type)) return type;
    return "";
  }

  function timeout(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // When to warn and when to stop, ahead of the caps, from the rate seen so far.
  function capCheck(s, elapsed) {
    const maxSeconds = s.limits.seconds;
    const maxBytes = s.limits.bytes;
    const stopAt = maxSeconds - Math.min(3, maxSeconds * 0.05);
    const warnAt = maxSeconds - Math.min(120, Math.max(5, maxSeconds * 0.25));
    const rate = elapsed > 2 ? s.deviceBytes / elapsed : 0; // bytes per second
    const bytesLeft = maxBytes - s.deviceBytes;
    const secondsByBytes = rate ? bytesLeft / rate : Infinity;
    if (elapsed >= stopAt) return { stop: "the length limit of " + duration(maxSeconds) };
    if (secondsByBytes < 4) return { stop: "the size limit of " + window.fieldnotesCapture.humanBytes(maxBytes) };
    const left = Math.min(stopAt - elapsed, secondsByBytes - 4);
    if (elapsed >= warnAt || secondsByBytes - 4 < Math.min(120, Math.max(5, maxSeconds * 0.25))) {
      return { warn: "Near the limit: recording stops by itself in " + Math.max(0, Math.floor(left)) + " s." };
    }
    return {};
  }

  function setupRecorder(root) {
    const capture = window.fieldnotesCapture;
    const button = root.querySelector("[data-record]");
    const label = root.querySelector("[data-record-label]");
    const state = root.querySelector("[data-rec-state]");
    const timer = root.querySelector("[data-rec-time]");
    const saved = root.querySelector("[data-rec-saved]");
    let session = null;

    function say(text, bad) {
      state.textContent = text;
      state.classList.toggle("bad", !!bad);
    }

    function showSaved(rec) {
      if (!session || !rec || rec.id !== session.id) return;
      session.serverMs = rec.serverMs || session.serverMs;
      const waiting = session.deviceBytes - (rec.sentBytes || 0);
      let text = Math.floor(session.deviceMs / 1000) + " s saved on this device, " +
        Math.floor(session.serverMs / 1000) + " s on the server";
      if (capture.trouble.has(session.id)) {
        text += " — connection trouble; " + Math.max(0, Math.round((session.deviceMs - session.serverMs) / 1000)) +
          " s (" + capture.humanBytes(Math.max(0, waiting)) + ") waiting on this device, retrying…";
      }
      saved.textContent = text;
      saved.classList.toggle("bad", capture.trouble.has(session.id));
    }

    // A site visit's recording needs no network: it waits on the device for its visit
    // (visits.js), which gives it the conversation to belong to once it is sent.
    function visitForm() {
      return root.dataset.saveForm ? document.querySelector(root.dataset.saveForm) : null;
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
      if (mime === null || !navigator.mediaDevices || !window.indexedDB) {
        say("This browser cannot record audio; upload a file instead.", true);
        return;
      }
      button.disabled = true;
      say("Starting…");
      // A site visit records with no network at all, so its form is checked here, before the
      // microphone: an empty field is marked and named ("Fill in first: Title").
      const visitFields = visitForm();
      if (visitFields) {
        const missing = {};
        const names = [];
        visitFields.querySelectorAll("input[required], select[required], textarea[required]").forEach((input) => {
          if (input.type === "checkbox" || input.type === "hidden" || input.value.trim()) return;
          const label = visitFields.querySelector(`label[for="${input.id}"]`);
          missing[input.name] = "This field is required.";
          names.push(label ? label.textContent.replace(/[:*]/g, "").trim() : input.name);
        });
        markFields(visitFields, missing);
        if (names.length) {
          button.disabled = false;
          say("Fill in first: " + names.join(", "), true);
          return;
        }
        // The server refuses a recording of people who did not agree; say so before recording.
        const chosen = visitFields.querySelectorAll('input[name="who"]:checked, select[name="who"] option:checked');
        const agreed = visitFields.querySelector('input[name="verbal_consent"]');
        if (chosen.length && agreed && !agreed.checked) {
          markFields(visitFields, { verbal_consent: "Tick this once everyone here agreed." });
          button.disabled = false;
          say("Not recording: the people chosen have not agreed to be recorded.", true);
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
      const id = newId();
      const form = visitForm();
      const visit = form ? form.querySelector("[data-client-id]").value : "";
      const title = form ? form.querySelector("[name=title]").value || "Site visit" : root.dataset.title;
      let released;
      try {
        await capture.store.put("recordings", {
          id, start_url: root.dataset.startUrl || "", visit, server: null, mime, state: "recording", title: title || document.title.split(" · ")[0],
          conversation_url: root.dataset.conversationUrl || "", pieces: 0, deviceBytes: 0, deviceMs: 0,
          sentBytes: 0, serverBytes: 0, serverMs: 0, startedAt: Date.now(), beat: Date.now(),
        });
        // Held while this page records: another page finishes the recording only once it is gone.
        if (navigator.locks) {
          await new Promise((acquired) => {
            navigator.locks.request("fieldnotes-rec-" + id, () => { acquired(); return new Promise((r) => { released = r; }); });
          });
        }
      } catch (error) {
        stream.getTracks().forEach((t) => t.stop());
        button.disabled = false;
        say(error.message, true);
        return;
      }
      capture.ownIds.add(id);
      window.dispatchEvent(new CustomEvent("fieldnotes:recording-started", { detail: { id, visit } }));
      const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : {});
      const s = {
        id, recorder, stream, released, seq: 0, writes: Promise.resolve(), began: Date.now(),
        deviceBytes: 0, deviceMs: 0, serverMs: 0, stopping: false,
        limits: { bytes: Number(root.dataset.maxBytes), seconds: Number(root.dataset.maxSeconds) },
      };
      session = s;
      recorder.ondataavailable = (event) => {
        if (!event.data || !event.data.size) return;
        const seq = s.seq++;
        const atMs = Date.now() - s.began;
        s.writes = s.writes.then(async () => {
          try {
            const rec = await capture.addPiece(id, seq, event.data, atMs);
            if (!rec) return;
            s.deviceBytes = rec.deviceBytes;
            s.deviceMs = atMs;
            capture.kick(id);
          } catch (error) {
            say("This device refused to store the audio (" + error.message + "); stopping.", true);
            stop();
          }
        });
      };
      recorder.start(PIECE_MS);
      button.disabled = false;
      button.setAttribute("aria-pressed", "true");
      button.classList.add("recording");
      label.textContent = "Stop";
      timer.hidden = false;
      saved.hidden = false;
      say("Recording; every second is saved on this device, then on the server.");
      s.tick = setInterval(() => {
        const elapsed = (Date.now() - s.began) / 1000;
        timer.textContent = clock(elapsed);
        // The record also says what another tab may have uploaded for this recording.
        capture.store.update("recordings", id, { beat: Date.now() }).then(showSaved, () => {});
        const cap = capCheck(s, elapsed);
        if (cap.stop) stop("Stopped before " + cap.stop + "; everything recorded is kept.");
        else if (cap.warn) say(cap.warn, true);
      }, 250);
    }

    async function stop(reason) {
      const s = session;
      if (!s || s.stopping) return;
      s.stopping = true;
      button.disabled = true;
      clearInterval(s.tick);
      say(reason || "Saving the last second…", !!reason);
      if (s.recorder.state !== "inactive") {
        const stopped = new Promise((resolve) => { s.recorder.addEventListener("stop", resolve, { once: true }); });
        s.recorder.stop();
        await Promise.race([stopped, timeout(STOP_WAIT_MS)]);
      }
      s.stream.getTracks().forEach((t) => t.stop());
      await Promise.race([s.writes, timeout(STOP_WAIT_MS)]);
      try {
        await capture.store.update("recordings", s.id, { state: "stopped" });
      } catch (e) { /* the lock's release below also lets it be finished */ }
      if (s.released) s.released();
      session = null;
      label.textContent = "Record";
      button.classList.remove("recording");
      button.setAttribute("aria-pressed", "false");
      button.disabled = false;
      if (!reason) say("Saved on this device; uploading…");
      capture.kick(s.id);
      if (visitForm()) {
        capture.ownIds.delete(s.id);
        say((reason ? reason + " " : "") + "Saved on this device; add notes and tags, then Save visit.", !!reason);
        return;
      }
      const result = await waitFinished(s.id);
      capture.ownIds.delete(s.id);
      if (!result) {
        say((reason ? reason + " " : "") + "Saved on this device; it uploads on its own when the connection returns — you can leave this page.", true);
        capture.render();
        return;
      }
      if (result.error) { say("The recording was refused: " + result.error, true); return; }
      say((reason ? reason + " " : "") + "Saved; transcription is queued.", !!reason);
      if (!reason) {
        location.href = result.conversation_url + "#recordings";
        location.reload();
      }
    }

    function waitFinished(id) {
      return new Promise((resolve) => {
        const onFinished = (event) => {
          if (event.detail.id !== id) return;
          window.removeEventListener("fieldnotes:capture-finished", onFinished);
          resolve(event.detail);
        };
        window.addEventListener("fieldnotes:capture-finished", onFinished);
        setTimeout(() => { window.removeEventListener("fieldnotes:capture-finished", onFinished); resolve(null); }, UPLOAD_WAIT_MS);
      });
    }

    window.addEventListener("fieldnotes:capture-progress", (event) => showSaved(event.detail));
    window.addEventListener("fieldnotes:capture-capped", (event) => {
      if (session && event.detail.id === session.id) stop(event.detail.message);
    });
    window.addEventListener("fieldnotes:capture-failed", (event) => {
      if (session && event.detail.id === session.id) stop("The server refused the recording: " + event.detail.error);
    });
    window.addEventListener("fieldnotes:visit-new", () => {
      if (session) return;
      timer.hidden = true;
      saved.hidden = true;
      say("");
    });
    // A phone may kill a hidden page without warning: keep what is buffered right away.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && session && session.recorder.state === "recording") {
        session.recorder.requestData();
      }
    });
    button.addEventListener("click", () => (session ? stop() : start()));
    root.fieldnotesStop = () => (session ? stop() : Promise.resolve());
    window.addEventListener("beforeunload", (event) => {
      if (session) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  function init() {
    if (!window.fieldnotesCapture) return;
    document.querySelectorAll("[data-recorder]").forEach(setupRecorder);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
