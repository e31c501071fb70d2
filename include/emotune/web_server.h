// WebServer: what `emotune serve` runs — the web page (web/) and the JSON API over
// one catalog: mood from text, a face picture or a voice recording, a chat turn,
// recommend, tracks and their cover art and audio (streamed by id with HTTP Range),
// feedback and plays, playlist export, clusters, /healthz, Prometheus /metrics and
// the OpenAPI document.
//
// Safety by default: it binds to 127.0.0.1; any other address needs a token, sent by
// clients as "Authorization: Bearer TOKEN", and Create refuses to start without one.
// Bodies are size-limited (413), JSON routes check the content type (415) and every
// field (400, naming the field), unknown routes are 404, and files are reached only
// by catalog id — no path from a request ever reaches the file system. Uploaded
// images and audio stay in memory.
//
// Thread-safety: the server answers on a pool of threads; the catalog it owns is
// used by one of them at a time. Stop() may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/mood_estimate.h"
#include "emotune/status.h"
#include "emotune/text_mood_reader.h"

namespace emotune {

struct ServerOptions {
  // Address to bind; default "127.0.0.1". Anything but a loopback address needs `token`.
  std::string host = "127.0.0.1";
  // TCP port; default 8080. 0 picks a free port (see WebServer::port()).
  int port = 8080;
  // Bearer token every /api and /metrics request must carry; default "" (none: only
  // allowed on loopback).
  std::string token;
  // Folder holding index.html and the page's assets; default "" (API only).
  std::string web_root;
  // Largest request body accepted; default 16 MiB (a camera frame or a short
  // recording fits). Larger bodies get 413.
  std::size_t max_body_bytes = 16u << 20;
  // Chat conversations kept at once; the least recently used is forgotten first.
  // Default 256.
  std::size_t max_chat_sessions = 256;
  // Threads answering requests; default 64. An open keep-alive connection holds one,
  // so this is how many clients (browsers, players streaming audio) are served at
  // once; the rest wait in the kernel's accept queue.
  std::size_t threads = 64;
  // Short computing requests (a playlist, a text reading, a chat turn) running at
  // once; the others wait their turn in arrival order. Default 0: one per hardware
  // thread. Keeps the slowest answers near the typical one under load.
  std::size_t compute_slots = 0;
};

// Progress of a library scan running beside the server (serve --library), written
// by the scanning thread and shown by GET /api/scan. Thread-safe.
class ScanStatus {
 public:
  struct Snapshot {
    bool running = false;
    std::int64_t done = 0, total = 0, analysed = 0, unchanged = 0, failed = 0;
    double eta_s = 0;
    std::string current, error;
  };
  void Set(Snapshot snapshot) {
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(snapshot);
  }
  Snapshot Get() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }

 private:
  mutable std::mutex mutex_;
  Snapshot snapshot_;
};

// What the API reads moods with, and what it reports on. Any of them may be empty:
// mood routes then answer 503 saying which model is missing.
struct ServerServices {
  std::shared_ptr<const TextMoodReader> text;
  // An image (JPEG, PNG, …) in memory → the mood of the faces in it, as the JSON
  // the API answers (MoodToJson's keys, plus `faces` with their boxes). NotFound
  // when no face is found. `live`: a webcam frame, read for speed (fewer
  // test-time views) rather than a photo's last point of accuracy. Called from one
  // request thread at a time.
  std::function<Result<nlohmann::json>(std::span<const std::uint8_t> image, bool live)> face;
  // A spoken recording (WAV, FLAC, MP3, Ogg/WebM Opus …) in memory → the speaker's
  // mood as the JSON the API answers (MoodToJson's keys, plus `utterances`, `audio`,
  // `notes`). NotFound when no speech is found. May be called from several request
  // threads at once.
  std::function<Result<nlohmann::json>(std::span<const std::uint8_t> audio)> voice;
  std::shared_ptr<const ScanStatus> scan;  // null: no scan beside the server
};

class WebServer {
 public:
  // Binds the socket. InvalidArgument for a non-loopback host without a token or a
  // missing web_root; IoError if the port cannot be bound.
  static Result<std::unique_ptr<WebServer>> Create(ServerOptions options, std::unique_ptr<CatalogStore> store,
                                                   ServerServices services);
  virtual ~WebServer() = default;

  // The port actually bound.
  virtual int port() const = 0;
  // Serves until Stop(); returns an error only if serving failed.
  virtual Status Run() = 0;
  virtual void Stop() = 0;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace emotune
