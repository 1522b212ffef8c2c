// Capture that cannot lose a second: every recorded piece sits in IndexedDB until the server
// confirmed it whole (length and SHA-256), so a closed tab, a reload or a dead connection
// loses at most the piece being recorded. Loaded on every page: it finds what is waiting,
// says so at the top of the page, and uploads it in the background, one tab per recording
// (Web Locks); a recording whose tab is gone is finished once its pieces are all sent.
(function () {
  "use strict";
  if (window.fieldnotesCapture) return;

  const DB_NAME = "fieldnotes-capture";
  const RETRY_MAX_MS = 1500;
  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("recordings", { keyPath: "id" });
          db.createObjectStore("pieces", { keyPath: ["id", "seq"] });
          db.createObjectStore("visits", { keyPath: "id" });
          db.createObjectStore("photos", { keyPath: ["visit", "id"] });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // One transaction: ``work`` queues requests (it may await them); resolves once committed.
  async function tx(stores, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const t = db.transaction(stores, mode);
      let result;
      Promise.resolve(work(t)).then((value) => { result = value; }, (error) => { try { t.abort(); } catch (e) { /* done */ } reject(error); });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error("The device's storage refused the write."));
    });
  }

  const store = {
    all: (name) => tx([name], "readonly", (t) => done(t.objectStore(name).getAll())),
    get: (name, key) => tx([name], "readonly", (t) => done(t.objectStore(name).get(key))),
    put: (name, value) => tx([name], "readwrite", (t) => done(t.objectStore(name).put(value))),
    async update(name, key, changes) {
      return tx([name], "readwrite", async (t) => {
        const os = t.objectStore(name);
        const value = await done(os.get(key));
        if (!value) return null;
        Object.assign(value, typeof changes === "function" ? changes(value) : changes);
        os.put(value);
        return value;
      });
    },
  };

  function piecesOf(id) {
    return IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]);
  }

  // A recorded piece, written with the recording's counters in one transaction.
  function addPiece(id, seq, blob, atMs) {
    return tx(["recordings", "pieces"], "readwrite", async (t) => {
      const recordings = t.objectStore("recordings");
      const rec = await done(recordings.get(id));
      if (!rec) return null; // finished already (the cap was reached): nothing more is stored
      t.objectStore("pieces").put({ id, seq, blob, size: blob.size, atMs });
      rec.pieces = seq + 1;
      rec.deviceBytes += blob.size;
      rec.deviceMs = atMs;
      recordings.put(rec);
      return rec;
    });
  }

  function firstPiece(id) {
    return tx(["pieces"], "readonly", async (t) => {
      const cursor = await done(t.objectStore("pieces").openCursor(piecesOf(id)));
      return cursor ? cursor.value : null;
    });
  }

  function confirmPiece(piece, answer) {
    return tx(["recordings", "pieces"], "readwrite", async (t) => {
      t.objectStore("pieces").delete([piece.id, piece.seq]);
      const recordings = t.objectStore("recordings");
      const rec = await done(recordings.get(piece.id));
      if (!rec) return null;
      rec.sentBytes = (rec.sentBytes || 0) + piece.size;
      rec.serverBytes = answer.bytes;
      rec.serverMs = Math.max(rec.serverMs || 0, piece.atMs);
      recordings.put(rec);
      return rec;
    });
  }

  function forget(id) {
    return tx(["recordings", "pieces"], "readwrite", (t) => {
      t.objectStore("recordings").delete(id);
      t.objectStore("pieces").delete(piecesOf(id));
    });
  }

  function dropPieces(id) {
    return tx(["pieces"], "readwrite", (t) => { t.objectStore("pieces").delete(piecesOf(id)); });
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  class HttpError extends Error {
    constructor(message, status) { super(message); this.status = status; }
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
    if (!response.ok) throw new HttpError(data.error || "The server answered " + response.status, response.status);
    return data;
  }

  async function sha256Hex(buffer) {
    const digest = await crypto.subtle.digest("SHA-256", buffer);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function emit(type, detail) {
    window.dispatchEvent(new CustomEvent("fieldnotes:" + type, { detail }));
  }

  // Retries wait at most RETRY_MAX_MS, and not at all once the browser says it is online.
  const sleepers = new Set();
  function sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); sleepers.delete(wake); resolve(); };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }
  window.addEventListener("online", () => { sleepers.forEach((wake) => wake()); kick(); });

  // Recordings whose recorder page is open (in any tab) hold the lock "fieldnotes-rec-<id>".
  async function recorderAlive(rec) {
    if (navigator.locks && navigator.locks.query) return lockHeld("fieldnotes-rec-" + rec.id);
    return Date.now() - (rec.beat || 0) < 4000;
  }

  const trouble = new Map(); // recording id -> message, while its uploads fail
  const sending = new Set();

  async function sendPiece(rec, piece) {
    const buffer = await piece.blob.arrayBuffer();
    const headers = {
      "Content-Type": "application/octet-stream",
      "X-Chunk-Length": String(buffer.byteLength),
      "X-Chunk-SHA256": await sha256Hex(buffer),
    };
    const answer = await post(rec.server.chunk_url + "?seq=" + piece.seq, buffer, headers);
    const updated = await confirmPiece(piece, answer);
    if (updated) emit("capture-progress", updated);
  }

  async function startOnServer(rec) {
    const body = new FormData();
    body.append("mime", rec.mime || "");
    const server = await post(rec.start_url, body);
    return store.update("recordings", rec.id, { server, conversation_url: server.conversation_url });
  }

  async function finishOnServer(rec) {
    let error = "";
    try {
      await post(rec.server.finish_url, new FormData());
    } catch (e) {
      if (!e.status || e.status >= 500) throw e;
      error = e.message; // refused (too long, no audio): the server keeps it, marked failed
    }
    await forget(rec.id);
    finished.push({ id: rec.id, title: rec.title, url: rec.conversation_url, error });
    emit("capture-finished", Object.assign({}, rec, { error }));
  }

  // Everything one recording has waiting, in order, until none is left (or it must wait).
  async function sendAll(id) {
    let failures = 0;
    for (;;) {
      let rec = await store.get("recordings", id);
      if (!rec || rec.error) return;
      try {
        if (!rec.server) {
          if (!rec.start_url) break; // a visit not created yet: visits.js sets start_url
          rec = await startOnServer(rec);
        }
        const piece = await firstPiece(id);
        if (piece) await sendPiece(rec, piece);
        else if (rec.state === "recording" && (await recorderAlive(rec))) break;
        else { await finishOnServer(rec); break; }
        failures = 0;
        if (trouble.delete(id)) emit("capture-progress", rec);
      } catch (error) {
        if (error.status === 413 && rec.server) {
          // The byte cap: what the server holds is kept; the rest can never be stored.
          await dropPieces(id);
          await store.update("recordings", id, { state: "stopped", capped: error.message });
          emit("capture-capped", Object.assign({}, rec, { message: error.message }));
          continue;
        }
        if (error.status && error.status < 500 && error.status !== 400 && error.status !== 429) {
          await store.update("recordings", id, { error: error.message });
          trouble.delete(id);
          emit("capture-failed", Object.assign({}, rec, { error: error.message }));
          return;
        }
        failures += 1;
        trouble.set(id, error.status ? error.message : "no connection");
        emit("capture-progress", rec);
        await sleep(Math.min(RETRY_MAX_MS, 200 * 2 ** failures));
      }
    }
    if (trouble.delete(id)) emit("capture-progress", await store.get("recordings", id));
  }

  function sendOne(id) {
    if (sending.has(id)) return;
    sending.add(id);
    const run = () => sendAll(id);
    const locked = navigator.locks
      ? navigator.locks.request("fieldnotes-send-" + id, { ifAvailable: true }, (lock) => (lock ? run() : null))
      : run();
    Promise.resolve(locked).catch(() => {}).finally(() => { sending.delete(id); render(); });
  }

  async function kick(id) {
    if (id) { sendOne(id); return; }
    let recs = [];
    try { recs = await store.all("recordings"); } catch (e) { return; }
    recs.forEach((rec) => sendOne(rec.id));
    render();
  }

  // The banner at the top of every page: what waits on this device, what was interrupted,
  // what has just been uploaded. Recordings of this tab's recorder are shown by the recorder.
  const finished = [];
  const ownIds = new Set();

  function humanBytes(n) {
    if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
    if (n >= 1024) return Math.round(n / 1024) + " KB";
    return n + " bytes";
  }

  function link(url, text) {
    const a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  async function render() {
    const banner = document.querySelector("[data-capture-banner]");
    if (!banner) return;
    let recs = [];
    try { recs = await store.all("recordings"); } catch (e) { return; }
    const waiting = [];
    for (const rec of recs) {
      if (ownIds.has(rec.id)) continue;
      rec.alive = rec.state === "recording" && (await recorderAlive(rec));
      waiting.push(rec);
    }
    banner.replaceChildren();
    const lines = [];
    if (waiting.length) {
      const bytes = waiting.reduce((sum, r) => sum + r.deviceBytes - (r.sentBytes || 0), 0);
      const n = waiting.length;
      const p = document.createElement("p");
      const troubled = waiting.some((r) => trouble.has(r.id)) || !navigator.onLine;
      p.textContent = n + " recording" + (n > 1 ? "s" : "") + " waiting to upload, " + humanBytes(bytes) +
        (troubled ? " — no connection; it uploads on its own when the connection returns." : "; uploading…");
      lines.push(p);
      for (const rec of waiting) {
        const item = document.createElement("p");
        item.className = "small";
        const what = rec.error ? "could not be uploaded: " + rec.error
          : rec.alive ? "is being recorded in another tab"
          : !rec.server && !rec.start_url ? "waits for its site visit to be sent"
          : rec.state === "recording" ? "was interrupted; what was saved on this device is being uploaded"
          : "is waiting to upload";
        item.append((rec.title || "A recording") + " " + what + " ");
        if (rec.conversation_url) item.append(link(rec.conversation_url + "#recordings", "Open it"));
        lines.push(item);
      }
    }
    for (const item of finished) {
      const p = document.createElement("p");
      p.className = "small";
      p.append((item.title || "A recording") + (item.error ? " was received but refused: " + item.error + " " : " is uploaded. "));
      if (item.url) p.append(link(item.url + "#recordings", "Open it"));
      lines.push(p);
    }
    banner.append(...lines);
    banner.hidden = !lines.length;
    banner.classList.toggle("trouble", waiting.some((r) => trouble.has(r.id)));
  }

  async function lockHeld(name) {
    if (!navigator.locks || !navigator.locks.query) return false;
    const state = await navigator.locks.query();
    return state.held.some((lock) => lock.name === name);
  }

  window.fieldnotesCapture = {
    tx, done, store, addPiece, forget, kick, post, csrfToken, trouble, ownIds, render, lockHeld, sleep, humanBytes,
  };

  function init() {
    const banner = document.querySelector("[data-capture-banner]");
    if (banner && banner.dataset.worker && navigator.serviceWorker) {
      navigator.serviceWorker.register(banner.dataset.worker, { scope: "/" }).catch(() => {});
    }
    // Signing out forgets the offline copy of the visit page (it names the team's people);
    // recordings still waiting stay on the device and upload at the next sign-in.
    document.addEventListener("submit", (event) => {
      if (!event.target.matches("[data-sign-out]") || !window.caches) return;
      caches.keys().then((keys) => keys.filter((k) => k.startsWith("fieldnotes-")).forEach((k) => caches.delete(k)));
    });
    if (!window.indexedDB) return;
    kick();
    setInterval(() => kick(), 1000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
