// Emotune's page: talk, speak, show your face or pick a mood; see where you are on the
// affect plane; play the playlist. Plain JavaScript, no build step: the server
// serves this file as it is.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  session: null,          // chat session id from the server
  mood: null,             // {emotion, confidence, valence, arousal, distribution}
  playlist: null,         // the last /api/recommend answer
  lastRequest: null,      // what produced it: {emotion|va|text}, so strategy/filter changes can redo it
  playing: null,          // track id
  token: localStorage.getItem("emotune.token") || "",
};

// ---------- talking to the server ----------

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(options.json);
  }
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (res.status === 401) {
    const token = prompt("This Emotune server needs its access token:");
    if (token) {
      state.token = token;
      localStorage.setItem("emotune.token", token);
      return api(path, options);
    }
  }
  const type = res.headers.get("Content-Type") || "";
  const body = type.includes("application/json") ? await res.json() : await res.blob();
  if (!res.ok) throw new Error(body && body.error ? body.error : "HTTP " + res.status);
  return body;
}

function showError(e) {
  const box = $("error");
  box.textContent = e.message || String(e);
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (box.hidden = true), 5000);
}

function user() { return $("user").value.trim(); }

// A resource an <audio>/<img> loads cannot send headers: the token goes in the query.
function withToken(url) { return state.token ? url + "?access_token=" + encodeURIComponent(state.token) : url; }

// ---------- the conversation ----------

function say(who, text) {
  const li = document.createElement("li");
  li.className = who;
  li.textContent = text;
  $("messages").appendChild(li);
  li.scrollIntoView({ block: "nearest" });
}

async function startChat() {
  try {
    const turn = await api("/api/chat", { method: "POST", json: {} });
    state.session = turn.session;
    say("bot", turn.reply);
  } catch (e) { showError(e); }
}

async function sendMessage(text) {
  say("you", text);
  try {
    const body = { session: state.session, message: text, n: Number($("count").value) || 12 };
    if (user()) body.user = user();
    const turn = await api("/api/chat", { method: "POST", json: body });
    state.session = turn.session;
    say("bot", turn.reply);
    setMood(turn.mood, "chat");
    if (turn.playlist) {
      state.lastRequest = { va: [turn.playlist.mood.valence, turn.playlist.mood.arousal] };
      showPlaylist(turn.playlist);
    }
  } catch (e) { showError(e); }
}

// ---------- the mood ----------

function setMood(mood, source) {
  state.mood = mood;
  $("mood-label").textContent = mood.emotion;
  $("mood-detail").textContent =
    `confidence ${Math.round(mood.confidence * 100)} % · valence ${mood.valence.toFixed(2)} · arousal ${mood.arousal.toFixed(2)} · from ${source}`;
  rememberMood(mood);
  drawPlane();
}

function rememberMood(mood) {
  const history = JSON.parse(localStorage.getItem("emotune.history") || "[]");
  history.push({ t: Date.now(), v: mood.valence, a: mood.arousal, e: mood.emotion });
  localStorage.setItem("emotune.history", JSON.stringify(history.slice(-200)));
  drawHistory();
}

// The affect plane: valence across, arousal up, both −1..1.
function drawPlane() {
  const c = $("plane"), g = c.getContext("2d"), w = c.width, h = c.height;
  const x = (v) => (v + 1) / 2 * (w - 20) + 10, y = (a) => (1 - (a + 1) / 2) * (h - 20) + 10;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = "#2a3642"; g.lineWidth = 1;
  g.beginPath(); g.moveTo(x(-1), y(0)); g.lineTo(x(1), y(0)); g.moveTo(x(0), y(-1)); g.lineTo(x(0), y(1)); g.stroke();
  g.fillStyle = "#56687a"; g.font = "11px sans-serif";
  g.fillText("pleasant →", w - 70, y(0) - 4); g.fillText("↑ energetic", x(0) + 4, 20); g.fillText("calm ↓", x(0) + 4, h - 12);
  const rec = state.playlist;
  if (rec && rec.path.length) {
    g.strokeStyle = "#5ec2a0"; g.setLineDash([4, 4]); g.beginPath();
    rec.path.forEach(([v, a], i) => (i ? g.lineTo(x(v), y(a)) : g.moveTo(x(v), y(a))));
    g.stroke(); g.setLineDash([]);
    const [tv, ta] = rec.path[rec.path.length - 1];
    g.strokeStyle = "#f2cc8f"; g.beginPath(); g.arc(x(tv), y(ta), 8, 0, 2 * Math.PI); g.stroke();
    rec.tracks.forEach((t) => {
      g.fillStyle = t.id === state.playing ? "#f2cc8f" : "#8ecae6";
      g.beginPath(); g.arc(x(t.mood.valence), y(t.mood.arousal), 3.5, 0, 2 * Math.PI); g.fill();
    });
  }
  if (state.mood) {
    g.fillStyle = "#e07a5f";
    g.beginPath(); g.arc(x(state.mood.valence), y(state.mood.arousal), 7, 0, 2 * Math.PI); g.fill();
  }
}

function drawHistory() {
  const c = $("history"), g = c.getContext("2d"), w = c.width, h = c.height;
  const history = JSON.parse(localStorage.getItem("emotune.history") || "[]");
  g.clearRect(0, 0, w, h);
  g.strokeStyle = "#2a3642"; g.beginPath(); g.moveTo(0, h / 2); g.lineTo(w, h / 2); g.stroke();
  if (history.length < 1) return;
  const x = (i) => history.length === 1 ? w / 2 : i / (history.length - 1) * (w - 10) + 5;
  const y = (v) => (1 - (v + 1) / 2) * (h - 10) + 5;
  [["v", "#e07a5f"], ["a", "#8ecae6"]].forEach(([key, colour]) => {
    g.strokeStyle = colour; g.beginPath();
    history.forEach((p, i) => (i ? g.lineTo(x(i), y(p[key])) : g.moveTo(x(i), y(p[key]))));
    g.stroke();
    history.forEach((p, i) => { g.fillStyle = colour; g.fillRect(x(i) - 1.5, y(p[key]) - 1.5, 3, 3); });
  });
  g.fillStyle = "#56687a"; g.font = "11px sans-serif";
  g.fillText("valence", 6, 12); g.fillStyle = "#8ecae6"; g.fillText("arousal", 60, 12);
}

// ---------- playlists ----------

function filters() {
  const f = { n: Number($("count").value) || 12 };
  for (const key of ["artist", "genre", "language", "year"]) if ($(key).value.trim()) f[key] = $(key).value.trim();
  if ($("strategy").value) f.strategy = $("strategy").value;
  if (user()) f.user = user();
  return f;
}

// `source` names where a new mood came from; without it the mood on the card stays
// (a filter change, or a photo whose mood is already shown).
async function recommend(request, source) {
  state.lastRequest = request;
  try {
    const rec = await api("/api/recommend", { method: "POST", json: Object.assign({}, request, filters()) });
    if (source) setMood(rec.mood, source);
    showPlaylist(rec);
  } catch (e) { showError(e); }
}

function showPlaylist(rec) {
  state.playlist = rec;
  $("playlist-note").textContent = rec.note || `${rec.tracks.length} tracks · ${rec.strategy}`;
  const list = $("playlist");
  list.replaceChildren();
  rec.tracks.forEach((t) => {
    const li = document.createElement("li");
    li.dataset.id = t.id;
    const img = document.createElement("img");
    img.alt = "";
    img.src = withToken(`/api/tracks/${t.id}/cover`);
    const text = document.createElement("div");
    const title = document.createElement("div");
    title.className = "title";
    title.textContent = t.title;
    const artist = document.createElement("div");
    artist.textContent = (t.artists || []).join(", ");
    const reason = document.createElement("div");
    reason.className = "reason";
    reason.textContent = t.reason;
    text.append(title, artist, reason);
    const actions = document.createElement("div");
    actions.className = "actions";
    const play = button("▶", "Play", () => togglePlay(t, play));
    play.disabled = !t.file_path;
    if (!t.file_path) play.title = "No local file for this track";
    actions.append(play, button("👍", "Like", (b) => feedback(t, "like", b)),
                   button("⏭", "Skip", (b) => feedback(t, "skip", b)));
    li.append(img, text, actions);
    list.appendChild(li);
  });
  $("export-m3u8").disabled = $("export-xspf").disabled = rec.tracks.length === 0;
  drawPlane();
}

function button(label, title, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.addEventListener("click", () => onClick(b));
  return b;
}

function togglePlay(track, playButton) {
  const player = $("player");
  if (state.playing === track.id && !player.paused) {
    player.pause();
    playButton.textContent = "▶";
    return;
  }
  document.querySelectorAll("#playlist li").forEach((li) => li.classList.remove("playing"));
  document.querySelectorAll("#playlist .actions button:first-child").forEach((b) => (b.textContent = "▶"));
  if (state.playing !== track.id) {
    player.src = withToken(`/api/tracks/${track.id}/audio`);
    state.playing = track.id;
    if (user()) api("/api/feedback", { method: "POST", json: { user: user(), track: track.id, kind: "play" } }).catch(() => {});
  }
  player.play().catch(showError);
  playButton.textContent = "⏸";
  document.querySelector(`#playlist li[data-id="${track.id}"]`).classList.add("playing");
  drawPlane();
}

async function feedback(track, kind, b) {
  if (!user()) {
    showError(new Error("Type your name under Listener first, so your likes shape your playlists."));
    $("user").focus();
    return;
  }
  try {
    await api("/api/feedback", { method: "POST", json: { user: user(), track: track.id, kind } });
    b.classList.add("chosen");
    if (kind === "skip" && state.playing === track.id) playNext();
  } catch (e) { showError(e); }
}

function playNext() {
  const rec = state.playlist;
  if (!rec) return;
  const i = rec.tracks.findIndex((t) => t.id === state.playing);
  const next = rec.tracks.slice(i + 1).find((t) => t.file_path);
  if (!next) return;
  const b = document.querySelector(`#playlist li[data-id="${next.id}"] .actions button`);
  togglePlay(next, b);
}

async function exportPlaylist(format) {
  try {
    const blob = await api("/api/export", { method: "POST", json: { format, title: "Emotune", tracks: state.playlist.tracks.map((t) => t.id) } });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `emotune.${format}`;
    a.click();
    // Not revoked at once: Firefox reads the blob after click() returns, and a URL revoked
    // in the same task can cancel the download there.
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  } catch (e) { showError(e); }
}

// ---------- faces: camera and uploads (frames stay in memory) ----------

let cameraTimer = null;

async function toggleCamera() {
  const video = $("camera-video");
  if (cameraTimer) {
    clearInterval(cameraTimer);
    cameraTimer = null;
    video.srcObject && video.srcObject.getTracks().forEach((t) => t.stop());
    $("camera").hidden = true;
    $("camera-button").textContent = "📷 Camera";
    return;
  }
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
    $("camera").hidden = false;
    $("camera-button").textContent = "⏹ Stop camera";
    cameraTimer = setInterval(() => sendFrame(video, true), 1500);
  } catch (e) { showError(new Error("No camera: " + e.message)); }
}

function frameBlob(source, width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  canvas.getContext("2d").drawImage(source, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
}

// `live`: a camera frame, read quickly (another follows in a moment).
async function readFace(blob, live) {
  return api("/api/mood/image" + (live ? "?live=1" : ""), { method: "POST", body: blob, headers: { "Content-Type": "image/jpeg" } });
}

async function sendFrame(video, live) {
  if (!video.videoWidth) return;
  try {
    const mood = await readFace(await frameBlob(video, video.videoWidth, video.videoHeight), live);
    drawFaces(mood.faces || [], video.videoWidth, video.videoHeight);
    $("camera-mood").textContent = `${mood.emotion} (${Math.round(mood.confidence * 100)} %)`;
    const changed = !state.mood || state.mood.emotion !== mood.emotion || !state.playlist;
    setMood(mood, live ? "your face" : "the photo");
    // A new playlist when the face shows a different emotion, not on every frame.
    if (changed) recommend({ va: [mood.valence, mood.arousal] });
  } catch (e) {
    $("camera-mood").textContent = e.message;
    drawFaces([], video.videoWidth, video.videoHeight);
  }
}

function drawFaces(faces, width, height) {
  const c = $("camera-overlay"), g = c.getContext("2d");
  c.width = width; c.height = height;
  g.clearRect(0, 0, width, height);
  g.strokeStyle = "#5ec2a0"; g.lineWidth = 3; g.fillStyle = "#5ec2a0"; g.font = "18px sans-serif";
  faces.forEach((f) => {
    const b = f.box || {};
    g.strokeRect(b.x, b.y, b.width, b.height);
    g.fillText(`${f.emotion} ${Math.round((f.confidence || 0) * 100)}%`, b.x, Math.max(18, b.y - 6));
  });
}

async function upload(file) {
  try {
    let mood;
    if (file.type.startsWith("video/")) {
      mood = await videoMood(file);
    } else {
      if (file.size > 16 * 1024 * 1024) throw new Error("That image is larger than 16 MB.");
      mood = await api("/api/mood/image", { method: "POST", body: file, headers: { "Content-Type": file.type || "image/jpeg" } });
    }
    setMood(mood, "your upload");
    await recommend({ va: [mood.valence, mood.arousal] });
  } catch (e) { showError(e); }
}

// A video is read a frame a second (at most 20), each frame's mood weighted by its
// confidence; the frames never leave memory.
async function videoMood(file) {
  const video = document.createElement("video");
  video.muted = true;
  video.src = URL.createObjectURL(file);
  await new Promise((ok, fail) => { video.onloadedmetadata = ok; video.onerror = () => fail(new Error("This video cannot be read here.")); });
  let sum = 0, v = 0, a = 0, best = null;
  for (let t = 0; t < Math.min(video.duration, 20); t += 1) {
    video.currentTime = t;
    await new Promise((ok) => (video.onseeked = ok));
    try {
      const m = await readFace(await frameBlob(video, video.videoWidth, video.videoHeight));
      sum += m.confidence; v += m.valence * m.confidence; a += m.arousal * m.confidence;
      if (!best || m.confidence > best.confidence) best = m;
    } catch (e) { /* a frame without a face */ }
  }
  URL.revokeObjectURL(video.src);
  if (!best || sum === 0) throw new Error("No face found in the video.");
  return Object.assign({}, best, { valence: v / sum, arousal: a / sum, confidence: sum / Math.ceil(Math.min(video.duration, 20)) });
}

// ---------- voice: the microphone (the recording stays in memory) ----------

const MIC_LIMIT_S = 15;                  // a recording stops by itself after this
const MIC_LIMIT_BYTES = 4 * 1024 * 1024;  // … or at this size, well under the server's limit
const mic = { recorder: null, chunks: [], bytes: 0, timer: null, started: 0 };

function micState(recording, text) {
  const b = $("mic-button");
  b.classList.toggle("recording", recording);
  b.setAttribute("aria-pressed", String(recording));
  b.textContent = recording ? "⏹ Stop" : "🎤 Speak";
  $("mic-status").textContent = text || "";
}

async function toggleMic() {
  if (mic.recorder) { mic.recorder.stop(); return; }
  if (!navigator.mediaDevices || !window.MediaRecorder) { showError(new Error("This browser cannot record audio.")); return; }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (e) { showError(new Error("No microphone: " + e.message)); return; }
  const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"]
    .find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  Object.assign(mic, { recorder, chunks: [], bytes: 0, started: Date.now() });
  recorder.ondataavailable = (e) => {
    if (!e.data || !e.data.size) return;
    mic.chunks.push(e.data);
    mic.bytes += e.data.size;
    if (mic.bytes >= MIC_LIMIT_BYTES && recorder.state === "recording") recorder.stop();
  };
  recorder.onstop = async () => {
    clearInterval(mic.timer);
    stream.getTracks().forEach((t) => t.stop());
    const blob = new Blob(mic.chunks, { type: recorder.mimeType || type || "audio/webm" });
    mic.recorder = null;
    mic.chunks = [];
    micState(false, "Listening to what you said…");
    await sendVoice(blob);
  };
  recorder.start(250);  // chunks every 250 ms, so the size limit is checked as it grows
  micState(true, `Recording… ${MIC_LIMIT_S} s left`);
  mic.timer = setInterval(() => {
    const left = MIC_LIMIT_S - Math.floor((Date.now() - mic.started) / 1000);
    if (left <= 0 && recorder.state === "recording") recorder.stop();
    else $("mic-status").textContent = `Recording… ${left} s left`;
  }, 250);
}

async function sendVoice(blob) {
  try {
    if (!blob.size) throw new Error("Nothing was recorded.");
    const mood = await api("/api/mood/voice", { method: "POST", body: blob, headers: { "Content-Type": blob.type || "audio/webm" } });
    micState(false, `${mood.emotion} (${Math.round(mood.confidence * 100)} %)`);
    setMood(mood, "your voice");
    await recommend({ va: [mood.valence, mood.arousal] });
  } catch (e) {
    micState(false, e.message);
    showError(e);
  }
}

// ---------- the library scan ----------

async function pollScan() {
  try {
    const s = await api("/api/scan");
    const el = $("scan-status");
    if (!s.scanning) return;
    el.hidden = false;
    if (s.running) {
      el.textContent = `Scanning your library: ${s.done} / ${s.total}` + (s.eta_s ? ` · ${Math.round(s.eta_s)} s left` : "");
      setTimeout(pollScan, 1000);
    } else {
      el.textContent = s.error ? `Library scan failed: ${s.error}` : `Library ready: ${s.analysed} new, ${s.unchanged} unchanged, ${s.failed} failed`;
    }
  } catch (e) { /* the page works without it */ }
}

// ---------- wiring ----------

$("user").value = localStorage.getItem("emotune.user") || "";
$("user").addEventListener("change", () => localStorage.setItem("emotune.user", user()));
$("chat-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("chat-input").value.trim();
  if (!text) return;
  $("chat-input").value = "";
  sendMessage(text);
});
document.querySelectorAll("#quick-moods button").forEach((b) =>
  b.addEventListener("click", () => recommend({ emotion: b.dataset.emotion }, "your pick")));
$("controls").addEventListener("change", () => state.lastRequest && recommend(state.lastRequest));
$("controls").addEventListener("submit", (e) => e.preventDefault());
$("export-m3u8").addEventListener("click", () => exportPlaylist("m3u8"));
$("export-xspf").addEventListener("click", () => exportPlaylist("xspf"));
$("camera-button").addEventListener("click", toggleCamera);
$("mic-button").addEventListener("click", toggleMic);
$("upload").addEventListener("change", (e) => e.target.files[0] && upload(e.target.files[0]));
$("player").addEventListener("ended", playNext);
drawPlane();
drawHistory();
startChat();
pollScan();
