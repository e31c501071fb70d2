// What every API route shares: the catalog (one thread at a time), the mood readers,
// the chat conversations, the request metrics, and one way to read a JSON body and
// to answer — so every route refuses bad input the same way.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/chat_playlist.h"
#include "emotune/mood_chat.h"
#include "emotune/track_index.h"
#include "emotune/web_server.h"
#include "server/fifo_gate.h"

namespace emotune::server {

// An answer that is not a success: the HTTP status and a message for {"error": …}.
struct HttpError {
  int status = 400;
  std::string message;
};

// One chat conversation of the web page.
struct ChatSession {
  std::unique_ptr<MoodChat> chat;
  std::unique_ptr<ChatPlaylist> playlists;
};

// Conversations by session id, the least recently used forgotten first.
class ChatSessions {
 public:
  explicit ChatSessions(std::size_t capacity) : capacity_(capacity) {}
  // The session `id`, made with `make` if it is new. The lock is held by the caller
  // for as long as it uses the session.
  ChatSession& Get(const std::string& id, const std::function<ChatSession()>& make);
  std::mutex& mutex() { return mutex_; }
  std::size_t size() const { return sessions_.size(); }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<std::string> order_;  // most recently used first
  std::unordered_map<std::string, std::pair<ChatSession, std::list<std::string>::iterator>> sessions_;
};

// Counters for /metrics, by route pattern and status.
class RequestMetrics {
 public:
  void Count(const std::string& route, int status, double seconds);
  std::string Prometheus(std::int64_t tracks, std::size_t chat_sessions) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::int64_t> requests_;
  std::map<std::string, std::pair<double, std::int64_t>> seconds_;  // route → (sum, count)
};

struct ApiContext {
  ServerOptions options;
  std::mutex store_mutex;  // guards `store` and the kept index
  std::mutex face_mutex;  // the face reader is not thread-safe
  std::unique_ptr<CatalogStore> store;
  ServerServices readers;
  ChatSessions chats;
  RequestMetrics metrics;

  FifoGate compute_gate;   // see ServerOptions::compute_slots

  ApiContext(ServerOptions o, std::unique_ptr<CatalogStore> s, ServerServices r)
      : options(std::move(o)),
        store(std::move(s)),
        readers(std::move(r)),
        chats(options.max_chat_sessions),
        compute_gate(options.compute_slots ? options.compute_slots
                                           : std::max(1u, std::thread::hardware_concurrency())) {}

  // The catalog's TrackIndex, built on first use and again whenever another
  // connection (the background library scan, an import) has changed the catalog, so
  // a playlist costs a search instead of a read of every track. Call with
  // store_mutex held; the pointer is good until the lock is released.
  Result<const TrackIndex*> CurrentIndex();

 private:
  std::optional<TrackIndex> index_;
  std::uint64_t index_stamp_ = 0;
};

// Answering.
void SendJson(httplib::Response& res, const nlohmann::json& body, int status = 200);
// A JSON answer already written as text (by a JsonWriter).
void SendJsonText(httplib::Response& res, std::string body, int status = 200);
void SendError(httplib::Response& res, const HttpError& error);
// A Status as an HTTP error: NotFound → 404, InvalidArgument → 400, else 500.
HttpError FromStatus(const Status& status);

// The request's JSON object body, or nullopt after answering 415 (the content type
// is not application/json) or 400 (invalid JSON, not an object).
std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res);

// Reads fields of a JSON object: an absent field is nullopt; the first field present
// with the wrong type or out of range is remembered as a 400 naming it.
class Fields {
 public:
  explicit Fields(const nlohmann::json& object) : object_(object) {}
  std::optional<std::string> String(const char* name, std::size_t max_bytes = 4096);
  std::optional<double> Number(const char* name, double min, double max);
  std::optional<std::int64_t> Integer(const char* name, std::int64_t min, std::int64_t max);
  // Fails `name` as required when it was absent.
  template <typename T>
  T Require(const char* name, std::optional<T> value) {
    if (!value && !error_) error_ = HttpError{400, std::string("field '") + name + "' is required"};
    return value.value_or(T{});
  }
  const std::optional<HttpError>& error() const { return error_; }

 private:
  void Fail(const char* name, const std::string& why);
  const nlohmann::json& object_;
  std::optional<HttpError> error_;
};

}  // namespace emotune::server
