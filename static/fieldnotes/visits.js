// Site visits that work with no network. The visit (fields, photos) is kept on the device
// (IndexedDB, beside the recordings of capture.js) under the device's id for it, and sent
// when the network is there: the first post creates the conversation (the server finds it
// again by that id, so a resend is the same visit), then its recordings start uploading and
// its photos follow. Loaded on every page, so a visit left waiting is sent from any page.
(function () {
  "use strict";
  const capture = window.fieldnotesCapture;
  if (!capture || window.fieldnotesVisits) return;
  window.fieldnotesVisits = true;
  const { store, tx, done } = capture;
  const KEEP_DONE_MS = 24 * 3600 * 1000;

  function photosOf(visit) {
    return IDBKeyRange.bound([visit, ""], [visit, "\uffff"]);
  }
  function visitPhotos(visit) {
    return tx(["photos"], "readonly", (t) => done(t.objectStore("photos").getAll(photosOf(visit))));
  }
  function newId() {
    return crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  async function visitRecordings(visit) {
    return (await store.all("recordings")).filter((rec) => rec.visit === visit);
  }

  // The form as it stands, kept on the device; ``state`` is "draft" or "saved".
  async function saveLocal(form, state, extra) {
    const id = form.querySelector("[data-client-id]").value;
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "conversation") fields.push([name, value]);
    }
    const title = form.querySelector("[name=title]").value || "Site visit";
    const keep = form.querySelector("[name=keep_location]");
    const current = (await store.get("visits", id)) || { id, version: 0, sentVersion: 0, createdAt: Date.now() };
    const next = Object.assign(current, extra || {}, {
      url: form.getAttribute("action") || location.pathname, fields, title,
      keepLocation: !!(keep && keep.checked), version: current.version + 1, error: "",
      state: current.state === "saved" || current.state === "done" ? current.state : state,
    });
    if (state === "saved") next.state = "saved";
    await store.put("visits", next);
    return next;
  }

  const failing = new Set();
  const sending = new Set();

  async function sendVisit(id) {
    let failures = 0;
    for (;;) {
      let visit = await store.get("visits", id);
      if (!visit || visit.state === "done" || visit.error) return;
      const pageOpen = await capture.lockHeld("fieldnotes-visit-page-" + id);
      if (visit.state === "draft" && pageOpen && !visit.hasRecording) return;
      try {
        if (visit.version > visit.sentVersion) {
          const body = new FormData();
          visit.fields.forEach(([name, value]) => body.append(name, value));
          body.set("client_id", id);
          const version = visit.version;
          const data = await capture.post(visit.url, body);
          visit = await store.update("visits", id, (cur) => ({
            sentVersion: Math.max(cur.sentVersion, version), conversationUrl: data.url,
            startUrl: data.start_url, photosUrl: data.photos_url,
          }));
          for (const rec of await visitRecordings(id)) {
            if (rec.start_url) continue;
            await store.update("recordings", rec.id, { start_url: data.start_url, conversation_url: data.url, title: visit.title });
            capture.kick(rec.id);
          }
        } else {
          const photos = await visitPhotos(id);
          if (photos.length && (visit.state === "saved" || !pageOpen)) {
            const photo = photos[0];
            const body = new FormData();
            body.append("photo", photo.blob, photo.name || "photo.jpg");
            body.append("client_id", photo.id);
            if (visit.keepLocation) body.append("keep_location", "on");
            try {
              await capture.post(visit.photosUrl, body);
            } catch (error) {
              if (!error.status || error.status >= 500 || error.status === 429) throw error;
              await store.update("visits", id, (cur) => ({ photoErrors: (cur.photoErrors || []).concat([(photo.name || "A photo") + ": " + error.message]) }));
            }
            await tx(["photos"], "readwrite", (t) => { t.objectStore("photos").delete([id, photo.id]); });
            await store.update("visits", id, (cur) => ({ photosSent: (cur.photosSent || 0) + 1 }));
          } else {
            if ((visit.state === "saved" || !pageOpen) && !photos.length && !(await visitRecordings(id)).length) {
              await store.update("visits", id, { state: "done", doneAt: Date.now() });
            }
            break;
          }
        }
        failures = 0;
        failing.delete(id);
      } catch (error) {
        if (error.status && error.status < 500 && error.status !== 429) {
          const fields = error.message === "Check the form." ? " (check the title and project)" : "";
          await store.update("visits", id, { error: error.message + fields });
          break;
        }
        failures += 1;
        failing.add(id);
        render();
        await capture.sleep(Math.min(1500, 200 * 2 ** failures));
      }
    }
    failing.delete(id);
    render();
  }

  function kick() {
    store.all("visits").then((visits) => {
      for (const visit of visits) {
        if (visit.state === "done") {
          if (Date.now() - (visit.doneAt || 0) > KEEP_DONE_MS) tx(["visits"], "readwrite", (t) => { t.objectStore("visits").delete(visit.id); });
          continue;
        }
        if (sending.has(visit.id)) continue;
        sending.add(visit.id);
        const run = () => sendVisit(visit.id);
        const locked = navigator.locks
          ? navigator.locks.request("fieldnotes-visit-send-" + visit.id, { ifAvailable: true }, (lock) => (lock ? run() : null))
          : run();
        Promise.resolve(locked).catch(() => {}).finally(() => sending.delete(visit.id));
      }
      render();
    }).catch(() => {});
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // What waits and what is done: a line on every page, the whole queue on the visit page.
  async function render() {
    let visits = [];
    let recordings = [];
    try {
      visits = await store.all("visits");
      recordings = await store.all("recordings");
    } catch (e) { return; }
    const openPage = document.querySelector("[data-client-id]");
    const thisVisit = openPage ? openPage.value : "";
    const waiting = visits.filter((v) => v.state !== "done" && !(v.id === thisVisit && v.state === "draft"));
    const banner = document.querySelector("[data-visit-banner]");
    if (banner) {
      banner.replaceChildren();
      if (waiting.length) {
        const n = waiting.length;
        banner.append(n + " site visit" + (n > 1 ? "s" : "") + " waiting to upload" +
          (failing.size || !navigator.onLine ? " — no connection; they are sent when it returns." : "; sending…"));
      }
      banner.hidden = !waiting.length;
    }
    const queue = document.querySelector("[data-visit-queue]");
    if (!queue) return;
    const list = queue.querySelector("ul");
    const items = [];
    const shown = visits.filter((v) => !(v.id === thisVisit && v.state === "draft"));
    shown.sort((a, b) => b.createdAt - a.createdAt);
    for (const visit of shown) {
      const item = el("li", "visit-item " + visit.state);
      const photos = (await visitPhotos(visit.id)).length;
      const recs = recordings.filter((r) => r.visit === visit.id);
      const seconds = recs.reduce((sum, r) => sum + (r.deviceMs || 0), 0) / 1000;
      let what;
      if (visit.error) what = "not sent: " + visit.error;
      else if (visit.state === "done") what = "uploaded";
      else if (failing.has(visit.id) || !navigator.onLine) what = "waiting for the network";
      else what = "sending…";
      const parts = [];
      if (recs.length) parts.push("recording " + Math.round(seconds) + " s to upload");
      if (photos) parts.push(photos + " photo" + (photos > 1 ? "s" : "") + " to upload");
      item.append(el("strong", "", visit.title), " — " + what + (parts.length ? " (" + parts.join(", ") + ")" : ""));
      if (visit.conversationUrl && visit.state === "done") {
        const a = el("a", "", "Open");
        a.href = visit.conversationUrl;
        item.append(" ", a);
      }
      (visit.photoErrors || []).forEach((message) => item.append(el("div", "small bad", message)));
      items.push(item);
    }
    list.replaceChildren(...items); // at once: renders overlap (they await the device's store)
    queue.hidden = !shown.length;
  }

  // The visit page: a new id for each visit, held (Web Lock) while the page is open.
  function setupPage(form) {
    const idInput = form.querySelector("[data-client-id]");
    const photoInput = form.querySelector("[data-visit-photos]");
    const photoList = form.querySelector("[data-photo-list]");
    const status = form.querySelector("[data-visit-status]");
    let pageLock = null;

    function begin() {
      idInput.value = newId();
      if (pageLock) pageLock();
      if (navigator.locks) {
        navigator.locks.request("fieldnotes-visit-page-" + idInput.value, () => new Promise((release) => { pageLock = release; }));
      }
      if (photoList) photoList.replaceChildren();
      window.dispatchEvent(new CustomEvent("fieldnotes:visit-new"));
    }
    begin();

    function say(text, bad) {
      status.textContent = text;
      status.classList.toggle("bad", !!bad);
    }

    window.addEventListener("fieldnotes:recording-started", (event) => {
      if (event.detail.visit !== idInput.value) return;
      saveLocal(form, "draft", { hasRecording: true }).then(kick);
    });
    form.addEventListener("input", async (event) => {
      if (event.target === photoInput) return;
      if (await store.get("visits", idInput.value)) saveLocal(form, "draft");
    });
    if (photoInput) {
      photoInput.addEventListener("change", async () => {
        const visit = idInput.value;
        for (const file of photoInput.files) {
          const id = newId();
          await store.put("photos", { visit, id, blob: file, name: file.name, type: file.type, size: file.size });
          const thumb = el("img", "thumb");
          thumb.alt = file.name;
          thumb.src = URL.createObjectURL(file);
          photoList.append(thumb);
        }
        photoInput.value = "";
        await saveLocal(form, "draft");
        say(photoList.children.length + " photo" + (photoList.children.length > 1 ? "s" : "") + " kept on this device.");
      });
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const title = form.querySelector("[name=title]");
      const project = form.querySelector("[name=project]");
      if (!title.value.trim() || !project.value) {
        say("Give the visit a title and a project.", true);
        (title.value.trim() ? project : title).focus();
        return;
      }
      const submit = form.querySelector("[type=submit]");
      submit.disabled = true;
      const recorder = form.querySelector("[data-recorder]");
      if (recorder && recorder.fieldnotesStop) {
        say("Saving the recording first…");
        await recorder.fieldnotesStop();
      }
      const visit = await saveLocal(form, "saved");
      say("Saved on this device; sending…");
      kick();
      const end = Date.now() + 20000;
      while (navigator.onLine && Date.now() < end) {
        const now = await store.get("visits", visit.id);
        if (now && now.state === "done") { location.href = now.conversationUrl; return; }
        if (now && now.error) break;
        await capture.sleep(250);
      }
      submit.disabled = false;
      const now = await store.get("visits", visit.id);
      say(now && now.error ? "Not sent: " + now.error
        : "Saved on this device; it is sent when the network returns. You can log the next visit.", !!(now && now.error));
      if (!(now && now.error)) {
        form.reset();
        begin();
      }
      render();
    });
  }

  function init() {
    const form = document.querySelector("[data-visit-form]");
    if (form) setupPage(form);
    kick();
    setInterval(kick, 1000);
    window.addEventListener("online", kick);
    window.addEventListener("fieldnotes:capture-finished", kick);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
