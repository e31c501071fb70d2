// The page as a user meets it: Emotune's server on a free loopback port, serving a
// library this test writes itself, driven by playwright-core in Debian's chromium or,
// with EMOTUNE_BROWSER=firefox, in Debian's firefox-esr (over WebDriver BiDi, which
// stock Firefox speaks; no downloaded browser either way).
// Chromium's fake camera plays a Y4M made from a real smiling face, and its fake
// microphone a sentence espeak-ng speaks. Firefox's fake devices (its prefs
// media.navigator.streams.fake) cannot play files: they give a synthetic picture and a
// steady tone. So in Firefox the camera and microphone tests check what that allows
// (the stream starts, the page sends frames / a recording the server can decode, and
// shows the server's answer), and the face-shows-joy and voice-gives-a-mood checks on
// our files run in Chromium only.
//
// Environment (set by CTest, see tests/CMakeLists.txt):
//   EMOTUNE_BINARY      the emotune executable
//   EMOTUNE_MAKE_Y4M    the tool that turns the face picture into a Y4M video
//   EMOTUNE_SOURCE_DIR  the checkout (web/, tests/data/faces/)
//   EMOTUNE_ARTIFACTS   where a failing test leaves its screenshot
//   EMOTUNE_BROWSER     chromium (default) or firefox
//   CHROMIUM            the chromium executable (default /usr/bin/chromium)
//   FIREFOX             the firefox executable (default /usr/bin/firefox-esr)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, firefox } from "playwright-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest`);
  return value;
};
const emotune = env("EMOTUNE_BINARY");
const source = env("EMOTUNE_SOURCE_DIR");
const artifacts = process.env.EMOTUNE_ARTIFACTS || path.join(os.tmpdir(), "emotune-browser-artifacts");
const browserName = process.env.EMOTUNE_BROWSER || "chromium";
if (!["chromium", "firefox"].includes(browserName)) throw new Error(`EMOTUNE_BROWSER: chromium or firefox, not ${browserName}`);
const inFirefox = browserName === "firefox";
const faceImage = path.join(source, "tests/data/faces/smiling-face.jpg");

let work, downloads, server, url, browser;

// A mono 16-bit WAV: a chord under a click at `bpm`, so the scan finds a tempo and a key.
function writeTrack(file, { bpm, root, minor, seconds = 6 }) {
  const rate = 22050, n = rate * seconds;
  const data = Buffer.alloc(n * 2);
  const third = minor ? 3 : 4;
  const freqs = [0, third, 7].map((s) => root * Math.pow(2, s / 12));
  const beat = Math.round(rate * 60 / bpm);
  for (let i = 0; i < n; ++i) {
    let x = 0.12 * freqs.reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * i / rate), 0);
    const sinceBeat = i % beat;
    if (sinceBeat < 400) x += 0.5 * Math.exp(-sinceBeat / 60) * Math.sin(2 * Math.PI * 1500 * i / rate);
    data.writeInt16LE(Math.max(-32767, Math.min(32767, Math.round(x * 32767))), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0); header.writeUInt32LE(36 + data.length, 4); header.write("WAVE", 8);
  header.write("fmt ", 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write("data", 36); header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

const tracks = [
  { name: "Bright Morning.wav", bpm: 128, root: 261.63, minor: false },
  { name: "Slow Rain.wav", bpm: 66, root: 220.0, minor: true },
  { name: "Run.wav", bpm: 150, root: 293.66, minor: false },
  { name: "Evening.wav", bpm: 84, root: 196.0, minor: false },
  { name: "Storm.wav", bpm: 140, root: 246.94, minor: true },
  { name: "Lullaby.wav", bpm: 72, root: 349.23, minor: false },
];

function startServer(db, library) {
  return new Promise((resolve, reject) => {
    const child = spawn(emotune, ["--db", db, "serve", "--port", "0", "-j", "2", "--library", library,
                                  "--web", path.join(source, "web")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    const timer = setTimeout(() => reject(new Error("the server did not start in 30 s: " + err)), 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({ child, url: `http://127.0.0.1:${m[1]}/` }); }
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${err}`)); });
  });
}

// Firefox over WebDriver BiDi: playwright-core takes a "moz-" channel to mean BiDi (its
// Juggler protocol needs a patched Firefox). Fake camera and microphone, no prompts, and
// audio may play without a gesture.
function launchFirefox() {
  return firefox.launch({
    channel: "moz-firefox",
    downloadsPath: downloads,
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    firefoxUserPrefs: {
      "media.navigator.streams.fake": true,
      "media.navigator.permission.disabled": true,
      "permissions.default.camera": 1,
      "permissions.default.microphone": 1,
      "media.autoplay.default": 0,
      "media.autoplay.blocking_policy": 0,
    },
  });
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "emotune-browser-"));
  fs.mkdirSync(artifacts, { recursive: true });
  downloads = path.join(work, "downloads");
  fs.mkdirSync(downloads);
  const library = path.join(work, "music");
  fs.mkdirSync(library);
  for (const t of tracks) writeTrack(path.join(library, t.name), t);
  const y4m = path.join(work, "face.y4m");
  execFileSync(env("EMOTUNE_MAKE_Y4M"), [faceImage, y4m]);
  const speech = path.join(work, "speech.wav");
  execFileSync("espeak-ng", ["-w", speech, "Hello! I am so happy today. The sun is shining and everything went right."]);
  ({ child: server, url } = await startServer(path.join(work, "catalog.db"), library));
  browser = inFirefox ? await launchFirefox() : await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
           `--use-file-for-fake-video-capture=${y4m}`, `--use-file-for-fake-audio-capture=${speech}`,
           "--autoplay-policy=no-user-gesture-required"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) { server.removeAllListeners("exit"); server.kill("SIGTERM"); }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// Opens the page in a fresh profile; a failure leaves a screenshot named after the test.
async function onPage(name, body, contextOptions = {}) {
  const context = await browser.newContext(Object.assign({ permissions: ["camera", "microphone"], acceptDownloads: true },
                                                         contextOptions));
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  try {
    await page.goto(url);
    await page.locator("#messages li.bot").first().waitFor();
    await body(page);
    assert.deepEqual(consoleErrors, [], "the page threw");
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

const playlistItems = (page) => page.locator("#playlist li");

test("the page shows the library scan's progress and its end", async () => {
  await onPage("scan-progress", async (page) => {
    await page.locator("#scan-status").filter({ hasText: "Library ready" }).waitFor({ timeout: 60000 });
    assert.match(await page.locator("#scan-status").textContent(), /6 new, 0 unchanged, 0 failed/);
  });
});

test("a chat conversation ends in a playlist", async () => {
  await onPage("chat", async (page) => {
    await page.fill("#chat-input", "I'm so happy today, the sun is out and I got the job!");
    await page.press("#chat-input", "Enter");
    await page.locator("#messages li.you").filter({ hasText: "the sun is out" }).waitFor();
    await playlistItems(page).first().waitFor();
    assert.equal(await page.locator("#mood-label").textContent(), "joy");
    assert.ok(await playlistItems(page).count() >= 3);
    assert.match(await page.locator("#mood-detail").textContent(), /from chat/);
  });
});

test("an uploaded photo of a smiling face shows joy", async () => {
  await onPage("upload", async (page) => {
    await page.setInputFiles("#upload", faceImage);
    await page.locator("#mood-detail").filter({ hasText: "from your upload" }).waitFor();
    assert.equal(await page.locator("#mood-label").textContent(), "joy");
    await playlistItems(page).first().waitFor();
    assert.match(await page.locator("#mood-detail").textContent(), /from your upload/);
  });
});

const chromiumOnly = inFirefox && "Firefox's fake camera and microphone cannot play our face video or speech clip";
const firefoxOnly = !inFirefox && "Chromium plays our own files to the page: the tests above check the real answers";

test("the camera shows the detected face and its emotion", { skip: chromiumOnly }, async () => {
  await onPage("camera", async (page) => {
    await page.click("#camera-button");
    await page.locator("#camera-mood").filter({ hasText: /joy \(\d+ %\)/ }).waitFor({ timeout: 20000 });
    // The face box is drawn on the overlay: some of its pixels are opaque.
    const painted = await page.evaluate(() => {
      const c = document.getElementById("camera-overlay");
      const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ++n;
      return n;
    });
    assert.ok(painted > 100, `face box pixels: ${painted}`);
    assert.equal(await page.locator("#mood-label").textContent(), "joy");
    await playlistItems(page).first().waitFor();
    await page.click("#camera-button");
    assert.equal(await page.locator("#camera").isHidden(), true);
  });
});

test("the microphone records, shows that it is recording, and the voice gives a mood", { skip: chromiumOnly }, async () => {
  await onPage("microphone", async (page) => {
    await page.click("#mic-button");
    await page.locator("#mic-status").filter({ hasText: /Recording/ }).waitFor();
    assert.equal(await page.locator("#mic-button").getAttribute("aria-pressed"), "true");
    await page.waitForTimeout(4000);
    await page.click("#mic-button");
    await page.locator("#mic-status").filter({ hasText: /\(\d+ %\)/ }).waitFor({ timeout: 20000 });
    assert.equal(await page.locator("#mic-button").getAttribute("aria-pressed"), "false");
    assert.match(await page.locator("#mood-detail").textContent(), /from your voice/);
    const emotion = await page.locator("#mood-label").textContent();
    assert.ok(["joy", "calm", "love", "surprise", "sadness", "anger", "fear", "disgust", "neutral"].includes(emotion), emotion);
  });
});

// Firefox's fake camera shows a plain coloured picture: the frames must reach the server
// as JPEGs it can read, and the page must show its answer (no face, or a face's emotion).
test("the camera starts, sends frames the server can read, and shows its answer (Firefox's fake camera)", { skip: firefoxOnly }, async () => {
  await onPage("camera-firefox", async (page) => {
    const answer = page.waitForResponse((r) => r.url().includes("/api/mood/image?live=1"), { timeout: 20000 });
    await page.click("#camera-button");
    await page.locator("#camera").waitFor();  // shown once getUserMedia has given a stream
    assert.equal(await page.locator("#camera-button").textContent(), "⏹ Stop camera");
    const response = await answer;
    assert.equal(response.request().headers()["content-type"], "image/jpeg");
    // 422 with "no face found" means the server decoded the frame and found no face in it.
    if (response.status() === 200) {
      await page.locator("#camera-mood").filter({ hasText: /^\w+ \(\d+ %\)$/ }).waitFor();
      assert.match(await page.locator("#mood-detail").textContent(), /from your face/);
    } else {
      assert.equal(response.status(), 422);
      await page.locator("#camera-mood").filter({ hasText: /no face found/ }).waitFor();
    }
    const frame = await page.evaluate(() => { const v = document.getElementById("camera-video"); return [v.videoWidth, v.videoHeight]; });
    assert.ok(frame[0] > 0 && frame[1] > 0, `video frame ${frame}`);
    await page.click("#camera-button");
    assert.equal(await page.locator("#camera").isHidden(), true);
    assert.equal(await page.evaluate(() => document.getElementById("camera-video").srcObject.getTracks()
                                               .every((t) => t.readyState === "ended")), true, "the camera still runs");
  });
});

// Firefox's fake microphone plays a steady tone: the recording must reach the server in a
// form it decodes, and the page must show its answer. A tone is not speech, so the server
// answers 422 "no speech found (…)", which it can only say of audio it has decoded.
test("the microphone records, posts a clip the server decodes, and shows its answer (Firefox's fake microphone)", { skip: firefoxOnly }, async () => {
  await onPage("microphone-firefox", async (page) => {
    await page.click("#mic-button");
    await page.locator("#mic-status").filter({ hasText: /Recording/ }).waitFor();
    assert.equal(await page.locator("#mic-button").getAttribute("aria-pressed"), "true");
    await page.waitForTimeout(3000);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/mood/voice"), { timeout: 20000 });
    await page.click("#mic-button");
    const response = await answer;
    assert.match(response.request().headers()["content-type"], /^audio\/(webm|ogg)/);
    if (response.status() === 200) {
      await page.locator("#mic-status").filter({ hasText: /\(\d+ %\)/ }).waitFor();
      assert.match(await page.locator("#mood-detail").textContent(), /from your voice/);
    } else {
      assert.equal(response.status(), 422);
      await page.locator("#mic-status").filter({ hasText: /no speech found/ }).waitFor();
    }
    assert.equal(await page.locator("#mic-button").getAttribute("aria-pressed"), "false");
  });
});

test("pressing play streams the track: the audio element's time advances", async () => {
  await onPage("play", async (page) => {
    await page.click('#quick-moods button[data-emotion="joy"]');
    await playlistItems(page).first().waitFor();
    const play = page.locator("#playlist .actions button[aria-label=Play]:not([disabled])").first();
    await play.click();
    await page.waitForFunction(() => document.getElementById("player").currentTime > 0.5, null, { timeout: 20000 });
    assert.equal(await play.textContent(), "⏸");
    assert.equal(await page.locator("#playlist li.playing").count(), 1);
  });
});

// Firefox over BiDi does not report a page's first blob: download in a fresh context as a
// download event, though it saves the file: so the file itself is awaited, in the
// downloads folder the browser was launched with, complete (no .part file beside it).
async function savedInFirefox(name, timeoutMs = 20000) {
  const file = path.join(downloads, name);
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (fs.existsSync(file) && !fs.existsSync(file + ".part") && fs.statSync(file).size > 0) return file;
  }
  throw new Error(`no ${name} was downloaded in ${timeoutMs / 1000} s (found: ${fs.readdirSync(downloads).join(", ") || "nothing"})`);
}

test("export downloads a valid M3U8 of the playlist", async () => {
  await onPage("export", async (page) => {
    await page.click('#quick-moods button[data-emotion="calm"]');
    await playlistItems(page).first().waitFor();
    const n = await playlistItems(page).count();
    const file = inFirefox ? savedInFirefox("emotune.m3u8") : page.waitForEvent("download").then(async (download) => {
      assert.equal(download.suggestedFilename(), "emotune.m3u8");
      const saved = path.join(work, "export.m3u8");
      await download.saveAs(saved);
      return saved;
    });
    await page.click("#export-m3u8");
    const lines = fs.readFileSync(await file, "utf8").split("\n").filter(Boolean);
    assert.equal(lines[0], "#EXTM3U");
    assert.equal(lines.filter((l) => l.startsWith("#EXTINF:")).length, n);
    const entries = lines.filter((l) => !l.startsWith("#"));
    assert.equal(entries.length, n);
    for (const entry of entries) assert.ok(tracks.some((t) => entry.endsWith(t.name)), `not a library file: ${entry}`);
  });
});

test("on a phone-sized screen nothing scrolls sideways and the keyboard reaches the chat", async () => {
  await onPage("phone", async (page) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    // … nor does a control stick out of its panel (a form control's intrinsic width
    // differs between browsers: Firefox's is wider).
    const sticking = await page.evaluate(() => [...document.querySelectorAll("section input, section select, section button")]
      .filter((el) => el.getBoundingClientRect().right > el.closest("section").getBoundingClientRect().right + 0.5)
      .map((el) => el.id || el.textContent));
    assert.deepEqual(sticking, [], "controls wider than their panel");
    await page.locator("#chat-input").focus();
    await page.keyboard.type("I feel calm and relaxed");
    await page.keyboard.press("Enter");
    await page.locator("#messages li.you").filter({ hasText: "calm and relaxed" }).waitFor();
  }, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
});
