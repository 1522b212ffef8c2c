// The players of a conversation's recordings: a line's time plays from there, the playing line
// follows the audio, #t=<seconds> seeks the player of `?recording=<uid>` (the first one when no
// recording is named) and marks that recording's line (`?segment=<index>` names it exactly), a
// highlight's clip plays its own range on its own recording, and the keys k (play/pause), j and
// l (5 s back/forward) drive the player used last. Selecting words never plays or seeks.
//
// Markup: `[data-recording]` articles, each with an `audio[data-player]` and a transcript of
// `.line[data-start][data-end]` lines, a line's time `[data-seek]`, a follow switch
// `[data-follow]`; clip links `[data-clip-start][data-clip-end]` anywhere on the page; a speaker
// strip `svg.speaker-strip` (viewBox width = seconds) plays from where it is clicked and shows
// the playhead `[data-playhead]`.
(function () {
  "use strict";
  if (window.fieldnotesPlayer) return;
  const LINE = ".line[data-start]";
  let lastPlayer = null;
  const players = () => Array.from(document.querySelectorAll("audio[data-player]"));
  const firstPlayer = () => players()[0] || null;
  const recordingBox = (uid) =>
    (uid && document.querySelector(`article[data-recording="${CSS.escape(uid)}"]`)) || null;
  function playerOf(uid) {
    const box = recordingBox(uid);
    return (box && box.querySelector("audio[data-player]")) || (uid ? null : firstPlayer());
  }
  const selecting = () => {
    const selection = window.getSelection();
    return Boolean(selection && !selection.isCollapsed && selection.toString().trim());
  };

  function whenReady(player, then) {
    if (player.readyState >= 1) then();
    else player.addEventListener("loadedmetadata", then, { once: true });
  }

  function play(player, from) {
    lastPlayer = player;
    whenReady(player, () => {
      player.currentTime = from;
      player.play().catch(() => {});
    });
  }

  function setupRecording(article) {
    const player = article.querySelector("audio[data-player]");
    const box = article.querySelector(".transcript");
    if (!player) return;
    player.addEventListener("play", () => { lastPlayer = player; });
    if (!box) return;
    const lines = Array.from(box.querySelectorAll(LINE));
    const follow = box.querySelector("[data-follow]");
    let current = null;

    const strip = box.querySelector("svg.speaker-strip");
    const playhead = strip && strip.querySelector("[data-playhead]");
    box.addEventListener("click", (event) => {
      if (event.target.closest("[data-edit], textarea, .editing, a, input, select, label")) return;
      // Selecting words makes a highlight; it must not jump the audio (a click on the time
      // button still plays).
      if (selecting() && !event.target.closest("[data-seek]")) return;
      if (strip && event.target.closest("svg.speaker-strip")) {
        const rect = strip.getBoundingClientRect();
        const seconds = strip.viewBox.baseVal.width;
        play(player, Math.max(0, ((event.clientX - rect.left) / rect.width) * seconds));
        return;
      }
      const line = event.target.closest(LINE);
      if (line) play(player, parseFloat(line.dataset.start));
    });

    player.addEventListener("timeupdate", () => {
      const t = player.currentTime;
      if (playhead) {
        playhead.setAttribute("x1", t);
        playhead.setAttribute("x2", t);
      }
      const line = lines.find((l) => t >= +l.dataset.start && t < +l.dataset.end);
      if (line === current) return;
      if (current) current.classList.remove("current");
      current = line || null;
      if (!current) return;
      current.classList.add("current");
      if (follow && follow.checked && !box.querySelector(".editing")) {
        current.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    });
  }

  // ---- #t=<seconds>: mark the line said then, and seek ---------------------------------
  function markMoment(t, scope, segment) {
    let target = null;
    document.querySelectorAll(`.transcript ${LINE}`).forEach((line) => line.classList.remove("here"));
    (scope || document).querySelectorAll(`.transcript ${LINE}`).forEach((line) => {
      if (segment != null && line.dataset.segment === segment) target = line;
    });
    (scope || document).querySelectorAll(`.transcript ${LINE}`).forEach((line) => {
      if (+line.dataset.start <= t + 0.01 && t < +line.dataset.end) target = target || line;
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
    const params = new URLSearchParams(window.location.search);
    const uid = params.get("recording");
    const box = recordingBox(uid);
    if (uid && !box) return; // a recording that is not on this page: mark nothing
    markMoment(t, box, params.get("segment"));
    const player = box ? box.querySelector("audio[data-player]") : firstPlayer();
    if (!player) return;
    lastPlayer = player;
    whenReady(player, () => { player.currentTime = t; });
  }

  // ---- A highlight's clip: play its range, then stop -----------------------------------
  function playClip(link) {
    const uid = link.dataset.clipRecording || "";
    const player = playerOf(uid);
    if (!player) return false;
    const start = parseFloat(link.dataset.clipStart);
    const end = parseFloat(link.dataset.clipEnd);
    markMoment(start, recordingBox(uid));
    const stop = () => {
      if (player.currentTime >= end) {
        player.pause();
        player.removeEventListener("timeupdate", stop);
      }
    };
    player.addEventListener("timeupdate", stop);
    play(player, start);
    return true;
  }

  document.addEventListener("click", (event) => {
    const clip = event.target.closest("[data-clip-start]");
    if (clip && playClip(clip)) event.preventDefault();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const player = lastPlayer || firstPlayer();
    if (!player) return;
    if (event.key === "k" || (event.key === " " && target === document.body)) {
      event.preventDefault();
      if (player.paused) player.play().catch(() => {}); else player.pause();
    } else if (event.key === "j" || (event.key === "ArrowLeft" && target === document.body)) {
      player.currentTime = Math.max(0, player.currentTime - 5);
    } else if (event.key === "l" || (event.key === "ArrowRight" && target === document.body)) {
      player.currentTime = player.currentTime + 5;
    }
  });

  function init() {
    window.fieldnotesPlayer = true;
    document.querySelectorAll("article[data-recording]").forEach(setupRecording);
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
