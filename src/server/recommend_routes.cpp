// POST /api/recommend: a mood (emotion, VA point, text, or a track to sound like), a
// strategy and filters in; the playlist with its path and reasons out — the same
// JSON as `emotune recommend --json`.
#include <cmath>

#include "emotune/mood_chat.h"
#include "emotune/recommend_json.h"
#include "emotune/track_filter.h"
#include "emotune/track_mood.h"
#include "server/routes.h"

namespace emotune::server {
namespace {

// [valence, arousal], each in [-1, 1].
std::optional<AffectPoint> PointField(const nlohmann::json& body, const char* name, std::optional<HttpError>* error) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number() || !(*it)[1].is_number()) {
    *error = HttpError{400, std::string("field '") + name + "': expected [valence, arousal]"};
    return std::nullopt;
  }
  const AffectPoint p{(*it)[0].get<double>(), (*it)[1].get<double>()};
  if (!(std::abs(p.valence) <= 1 && std::abs(p.arousal) <= 1)) {
    *error = HttpError{400, std::string("field '") + name + "': valence and arousal lie in [-1, 1]"};
    return std::nullopt;
  }
  return p;
}

void Recommend(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  FifoGate::Pass pass(ctx.compute_gate);
  auto body = JsonBody(req, res);
  if (!body) return;
  Fields f(*body);
  const auto emotion = f.String("emotion", 32), text = f.String("text", 64 * 1024), strategy_name = f.String("strategy", 32);
  const auto like = f.Integer("like", 1, INT64_MAX);
  const auto count = f.Integer("n", 1, 500);
  const auto seed = f.Integer("seed", 0, INT64_MAX), max_duration = f.Integer("max_duration", 1, 24 * 3600);
  const auto history = f.Integer("history", 0, 100000);
  TrackFilter filter;
  filter.artist = f.String("artist", 256).value_or("");
  filter.genre = f.String("genre", 256).value_or("");
  filter.language = f.String("language", 64).value_or("");
  filter.year = f.String("year", 32).value_or("");
  filter.mood = f.String("mood", 64).value_or("");
  const std::string user = f.String("user", 256).value_or("");
  std::optional<HttpError> error = f.error();
  const auto va = PointField(*body, "va", &error);
  std::optional<AffectPoint> target_point;
  std::optional<Emotion> target_emotion;
  if (auto t = body->find("target"); t != body->end() && t->is_string()) {
    auto e = ParseEmotion(t->get<std::string>());
    if (e.ok()) target_emotion = *e, target_point = EmotionPlace(*e);
    else if (!error) error = HttpError{400, "field 'target': " + e.status().message()};
  } else {
    target_point = PointField(*body, "target", &error);
  }
  if (error) return SendError(res, *error);
  const int given = emotion.has_value() + va.has_value() + text.has_value() + like.has_value();
  if (given != 1) return SendError(res, {400, "give exactly one of 'emotion', 'va', 'text' or 'like'"});

  PlaylistRequest request;
  request.target = target_point;
  request.target_emotion = target_emotion;
  std::optional<MoodStrategy> strategy;
  if (strategy_name) {
    auto s = ParseMoodStrategy(*strategy_name);
    if (!s.ok()) return SendError(res, {400, "field 'strategy': " + s.status().message()});
    strategy = *s;
    if (*strategy == MoodStrategy::kTarget && !target_point)
      return SendError(res, {400, "strategy 'target' needs a 'target' (an emotion or [valence, arousal])"});
  } else if (target_point) {
    strategy = MoodStrategy::kTarget;
  }
  auto query = ParseTrackFilter(filter);
  if (!query.ok()) return SendError(res, FromStatus(query.status()));
  RecommendOptions options;
  options.count = static_cast<std::size_t>(count.value_or(20));
  options.filters = std::move(*query);
  options.seed = static_cast<std::uint64_t>(seed.value_or(0));
  options.user = user;
  if (history) options.history_window = static_cast<std::size_t>(*history);
  if (max_duration) options.max_duration_s = static_cast<int>(*max_duration);

  if (emotion) {
    auto e = ParseEmotion(*emotion);
    if (!e.ok()) return SendError(res, {400, "field 'emotion': " + e.status().message()});
    request.mood = MoodEstimate::FromPoint(EmotionPlace(*e), 1.0, "emotion");
  } else if (va) {
    request.mood = MoodEstimate::FromPoint(*va, 1.0, "valence/arousal");
  } else if (text) {
    if (!ctx.readers.text) return SendError(res, {503, "no text model is loaded"});
    auto mood = ctx.readers.text->ReadMood(*text);
    if (!mood.ok()) return SendError(res, FromStatus(mood.status()));
    request.mood = *mood;
  }
  std::unique_lock lock(ctx.store_mutex);
  if (like) {
    auto track = ctx.store->GetTrack(*like);
    if (!track.ok()) return SendError(res, FromStatus(track.status()));
    const TrackMood liked = TrackMoodFromFeatures(track->features);
    options.like_track_id = *like;
    request.mood = MoodEstimate::FromPoint(liked.point, liked.known ? 1.0 : 0.0, "like");
  }
  request.strategy = strategy.value_or(like ? MoodStrategy::kMatch : DefaultStrategy(request.mood));
  auto index = ctx.CurrentIndex();
  if (!index.ok()) return SendError(res, FromStatus(index.status()));
  auto rec = emotune::Recommend(**index, *ctx.store, request, options);
  // The answer is written without the store: other requests may use it meanwhile.
  lock.unlock();
  if (!rec.ok()) return SendError(res, FromStatus(rec.status()));
  JsonWriter out(1024 * (rec->slots.size() + 1));
  WriteRecommendation(out, request, *rec);
  SendJsonText(res, out.Take());
}

}  // namespace

void AddRecommendRoutes(httplib::Server& http, ApiContext& ctx) {
  http.Post("/api/recommend", [&ctx](const httplib::Request& req, httplib::Response& res) { Recommend(ctx, req, res); });
}

}  // namespace emotune::server
