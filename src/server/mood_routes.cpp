// Reading a mood: from typed text, from an image of faces or a voice recording
// (multipart upload or a raw body, kept in memory), and one turn of the chat, which
// answers with a playlist once it knows enough.
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "emotune/affect_json.h"
#include "emotune/recommend_json.h"
#include "server/routes.h"

namespace emotune::server {
namespace {

std::string NewSessionId() {
  static std::mutex mutex;
  static std::random_device device;
  std::lock_guard lock(mutex);
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}

void MoodFromText(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  FifoGate::Pass pass(ctx.compute_gate);
  auto body = JsonBody(req, res);
  if (!body) return;
  Fields f(*body);
  const std::string text = f.Require("text", f.String("text", 100 * 1024));
  if (f.error()) return SendError(res, *f.error());
  if (!ctx.readers.text) return SendError(res, {503, "no text model is loaded"});
  auto mood = ctx.readers.text->ReadMood(text);
  if (!mood.ok()) return SendError(res, FromStatus(mood.status()));
  SendJson(res, MoodToJson(*mood));
}

// What an upload route was sent: the multipart field `field`, or the raw body when
// `accepts` its content type. nullopt after answering 400 (no such field, or nothing
// in it) or 415 (`refusal`). `part` keeps a multipart upload alive: get_file_value
// returns a copy.
std::optional<std::string_view> UploadedBytes(const httplib::Request& req, httplib::Response& res, const char* field,
                                              bool (*accepts)(const std::string&), const char* refusal,
                                              const char* what, httplib::MultipartFormData* part) {
  std::string_view bytes;
  if (req.is_multipart_form_data()) {
    if (!req.has_file(field)) {
      SendError(res, {400, fmt::format("multipart field '{}' is missing", field)});
      return std::nullopt;
    }
    *part = req.get_file_value(field);
    bytes = part->content;
  } else {
    if (!accepts(req.get_header_value("Content-Type"))) {
      SendError(res, {415, refusal});
      return std::nullopt;
    }
    bytes = req.body;
  }
  if (bytes.empty()) {
    SendError(res, {400, fmt::format("the {} is empty", what)});
    return std::nullopt;
  }
  return bytes;
}

bool IsImageType(const std::string& type) { return type.rfind("image/", 0) == 0; }

void MoodFromImage(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  httplib::MultipartFormData part;
  const auto image = UploadedBytes(req, res, "image", IsImageType,
                                   "send an image/* body or multipart/form-data with an 'image' field", "image", &part);
  if (!image) return;
  if (!ctx.readers.face) return SendError(res, {503, "no face model is loaded"});
  std::lock_guard lock(ctx.face_mutex);
  auto mood = ctx.readers.face({reinterpret_cast<const std::uint8_t*>(image->data()), image->size()},
                               req.has_param("live"));
  if (!mood.ok()) {
    HttpError e = FromStatus(mood.status());
    if (e.status == 404 || e.status == 500) e.status = 422;  // no face, or an image the reader could not use
    return SendError(res, e);
  }
  SendJson(res, *mood);
}

// What a browser's MediaRecorder or an upload may call a recording.
bool IsAudioType(const std::string& type) {
  for (const char* prefix : {"audio/", "video/webm", "video/ogg", "video/mp4", "application/ogg", "application/octet-stream"})
    if (type.rfind(prefix, 0) == 0) return true;
  return false;
}

void MoodFromVoice(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  httplib::MultipartFormData part;
  const auto audio = UploadedBytes(
      req, res, "audio", IsAudioType,
      "send an audio/* body (or audio/webm from MediaRecorder) or multipart/form-data with an 'audio' field", "recording",
      &part);
  if (!audio) return;
  if (!ctx.readers.voice) return SendError(res, {503, "no voice model is loaded"});
  auto mood = ctx.readers.voice({reinterpret_cast<const std::uint8_t*>(audio->data()), audio->size()});
  if (!mood.ok()) {
    HttpError e = FromStatus(mood.status());
    if (e.status == 404 || e.status == 500) e.status = 422;  // no speech, or audio the reader could not use
    return SendError(res, e);
  }
  SendJson(res, *mood);
}

void Chat(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  FifoGate::Pass pass(ctx.compute_gate);
  auto body = JsonBody(req, res);
  if (!body) return;
  Fields f(*body);
  std::string session = f.String("session", 64).value_or("");
  const std::optional<std::string> message = f.String("message", 16 * 1024);
  const std::string user = f.String("user", 256).value_or("");
  const auto count = f.Integer("n", 1, 100);
  if (f.error()) return SendError(res, *f.error());
  if (!ctx.readers.text) return SendError(res, {503, "no text model is loaded"});
  // Unguessable, so one listener cannot read into another's conversation.
  if (session.empty()) session = NewSessionId();

  std::lock_guard chats(ctx.chats.mutex());
  ChatSession& s = ctx.chats.Get(session, [&] {
    ChatOptions chat;
    RecommendOptions rec;
    rec.count = static_cast<std::size_t>(count.value_or(12));
    rec.user = user;
    return ChatSession{std::make_unique<MoodChat>(*ctx.readers.text, chat), std::make_unique<ChatPlaylist>(rec)};
  });
  if (!message) {  // opening the conversation
    SendJson(res, {{"session", session}, {"turn", s.chat->turns()}, {"reply", s.chat->Greeting()}, {"ready", s.chat->ready()}});
    return;
  }
  auto turn = s.chat->Respond(*message);
  if (!turn.ok()) return SendError(res, FromStatus(turn.status()));
  nlohmann::json out = {{"session", session},      {"turn", turn->turn},  {"reply", turn->reply},
                        {"move", ChatMoveName(turn->move)}, {"ready", turn->ready}, {"mood", MoodToJson(turn->mood)}};
  if (turn->request) {
    out["request"] = PlaylistRequestToJson(*turn->request);
    std::lock_guard lock(ctx.store_mutex);
    auto index = ctx.CurrentIndex();
    if (!index.ok()) return SendError(res, FromStatus(index.status()));
    auto rec = s.playlists->Answer(*ctx.store, *turn->request, *index);
    if (!rec.ok()) return SendError(res, FromStatus(rec.status()));
    out["playlist"] = RecommendationToJson(*turn->request, *rec);
  }
  SendJson(res, out);
}

}  // namespace

void AddMoodRoutes(httplib::Server& http, ApiContext& ctx) {
  http.Post("/api/mood/text", [&ctx](const httplib::Request& req, httplib::Response& res) { MoodFromText(ctx, req, res); });
  http.Post("/api/mood/image", [&ctx](const httplib::Request& req, httplib::Response& res) { MoodFromImage(ctx, req, res); });
  http.Post("/api/mood/voice", [&ctx](const httplib::Request& req, httplib::Response& res) { MoodFromVoice(ctx, req, res); });
  http.Post("/api/chat", [&ctx](const httplib::Request& req, httplib::Response& res) { Chat(ctx, req, res); });
}

}  // namespace emotune::server
