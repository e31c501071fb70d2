// The page as a user meets it: Emotune's server on a free loopback port, serving a
// library this test writes itself, driven in Debian's chromium by playwright-core.
// Chromium's fake camera plays a Y4M made from a real smiling face.
//
// Environment (set by CTest, see tests/CMakeLists.txt):
//   EMOTUNE_BINARY      the emotune executable
//   EMOTUNE_MAKE_Y4M    the tool that turns the face picture into a Y4M video
//   EMOTUNE_SOURCE_DIR  the checkout (web/, tests/data/faces/)
//   EMOTUNE_ARTIFACTS   where a failing test leaves its screenshot
//   CHROMIUM            the browser (default /usr/bin/chromium)
// Chromium's fake microphone plays a sentence espeak-ng speaks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest`);
  return value;
};
const emotune = env("EMOTUNE_BINARY");
const source = env("EMOTUNE_SOURCE_DIR");
const artifacts = process.env.EMOTUNE_ARTIFACTS || path.join(os.tmpdir(), "emotune-browser-artifacts");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const faceImage = path.join(source, "tests/data/faces/smiling-face.jpg");

let work, server, url, browser;

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

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "emotune-browser-"));
  fs.mkdirSync(artifacts, { recursive: true });
  const library = path.join(work, "music");
  fs.mkdirSync(library);
  for (const t of tracks) writeTrack(path.join(library, t.name), t);
  const y4m = path.join(work, "face.y4m");
  execFileSync(env("EMOTUNE_MAKE_Y4M"), [faceImage, y4m]);
  const speech = path.join(work, "speech.wav");
  execFileSync("espeak-ng", ["-w", speech, "Hello! I am so happy today. The sun is shining and everything went right."]);
  ({ child: server, url } = await startServer(path.join(work, "catalog.db"), library));
  browser = await chromium.launch({
    executablePath: browserPath,
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

test("the camera shows the detected face and its emotion", async () => {
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

test("the microphone records, shows that it is recording, and the voice gives a mood", async () => {
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

test("export downloads a valid M3U8 of the playlist", async () => {
  await onPage("export", async (page) => {
    await page.click('#quick-moods button[data-emotion="calm"]');
    await playlistItems(page).first().waitFor();
    const n = await playlistItems(page).count();
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-m3u8")]);
    assert.equal(download.suggestedFilename(), "emotune.m3u8");
    const file = path.join(work, "export.m3u8");
    await download.saveAs(file);
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
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
    await page.locator("#chat-input").focus();
    await page.keyboard.type("I feel calm and relaxed");
    await page.keyboard.press("Enter");
    await page.locator("#messages li.you").filter({ hasText: "calm and relaxed" }).waitFor();
  }, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
});
