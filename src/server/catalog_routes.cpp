// The catalog over HTTP: search and filter tracks, one track, its cover art, its
// audio (by id only, with HTTP Range), feedback and plays, playlist export, clusters.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "emotune/playlist_export.h"
#include "emotune/recommend_json.h"
#include "emotune/track_clusters.h"
#include "emotune/track_filter.h"
#include "emotune/track_json.h"
#include "server/routes.h"

namespace emotune::server {
namespace {

std::int64_t IdFrom(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

void Tracks(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  TrackFilter filter;
  filter.artist = req.get_param_value("artist");
  filter.genre = req.get_param_value("genre");
  filter.language = req.get_param_value("language");
  filter.year = req.get_param_value("year");
  filter.mood = req.get_param_value("mood");
  filter.ids = req.get_param_value("ids");
  std::size_t offset = 0;
  try {
    filter.limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 50;
    offset = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
  } catch (const std::exception&) {
    return SendError(res, {400, "'limit' and 'offset' must be whole numbers"});
  }
  if (filter.limit == 0 || filter.limit > 1000) return SendError(res, {400, "'limit' must be in 1..1000"});
  auto query = ParseTrackFilter(filter);
  if (!query.ok()) return SendError(res, FromStatus(query.status()));
  query->offset = offset;
  std::lock_guard lock(ctx.store_mutex);
  auto tracks = ctx.store->FindTracks(*query);
  if (!tracks.ok()) return SendError(res, FromStatus(tracks.status()));
  TrackQuery all = *query;
  all.limit = all.offset = 0;
  auto total = ctx.store->CountTracks(all);
  if (!total.ok()) return SendError(res, FromStatus(total.status()));
  JsonWriter out(768 * (tracks->size() + 1));
  out.BeginObject();
  out.Key("count").Integer(static_cast<std::int64_t>(tracks->size()));
  out.Key("total").Integer(static_cast<std::int64_t>(*total));
  out.Key("tracks").BeginArray();
  for (const Track& t : *tracks) WriteTrack(out, t);
  out.EndArray().EndObject();
  SendJsonText(res, out.Take());
}

void OneTrack(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(ctx.store_mutex);
  auto track = ctx.store->GetTrack(IdFrom(req));
  if (!track.ok()) return SendError(res, FromStatus(track.status()));
  JsonWriter out(768);
  WriteTrack(out, *track);
  SendJsonText(res, out.Take());
}

// A square of colour from the title, with its initials: every track gets a cover,
// and the same track always the same one.
std::string PlaceholderCover(const Track& t) {
  const std::uint64_t h = std::hash<std::string>{}(t.title + t.ArtistLine());
  std::string initials;
  for (std::size_t i = 0; i < t.title.size() && initials.size() < 2; ++i)
    if ((i == 0 || t.title[i - 1] == ' ') && std::isalnum(static_cast<unsigned char>(t.title[i])))
      initials += static_cast<char>(std::toupper(static_cast<unsigned char>(t.title[i])));
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\"><rect width=\"100\" height=\"100\" "
      "fill=\"hsl({},45%,40%)\"/><text x=\"50\" y=\"62\" font-family=\"sans-serif\" font-size=\"34\" "
      "text-anchor=\"middle\" fill=\"#fff\">{}</text></svg>",
      h % 360, initials.empty() ? "♪" : initials);
}

void Cover(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(ctx.store_mutex);
  const std::int64_t id = IdFrom(req);
  auto track = ctx.store->GetTrack(id);
  if (!track.ok()) return SendError(res, FromStatus(track.status()));
  res.set_header("Cache-Control", "max-age=3600");
  auto art = ctx.store->TrackCoverArt(id);
  if (!art.ok()) return SendError(res, FromStatus(art.status()));
  if (*art && !(*art)->bytes.empty()) {
    const auto& bytes = (*art)->bytes;
    res.set_content(std::string(bytes.begin(), bytes.end()), (*art)->mime_type);
    return;
  }
  res.set_content(PlaceholderCover(*track), "image/svg+xml");
}

std::string AudioMimeType(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".mp3", "audio/mpeg"}, {".ogg", "audio/ogg"},  {".oga", "audio/ogg"},   {".opus", "audio/ogg"},
      {".flac", "audio/flac"}, {".wav", "audio/wav"}, {".m4a", "audio/mp4"},   {".aac", "audio/aac"},
      {".aif", "audio/aiff"}, {".aiff", "audio/aiff"}, {".webm", "audio/webm"}};
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// Only a track's own stored file is ever opened: the request names an id, never a path.
void Audio(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  std::string path;
  {
    std::lock_guard lock(ctx.store_mutex);
    auto track = ctx.store->GetTrack(IdFrom(req));
    if (!track.ok()) return SendError(res, FromStatus(track.status()));
    path = track->file_path;
  }
  if (path.empty()) return SendError(res, {404, "this track has no local file to play"});
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return SendError(res, {404, "the track's file is missing: " + path});
  res.set_header("Accept-Ranges", "bytes");
  // cpp-httplib 0.11 neither refuses ranges past the end nor clamps an open-ended
  // last byte, so the ranges are checked and clamped here (RFC 9110 §14.1.2) before
  // it slices the content.
  auto& ranges = const_cast<httplib::Request&>(req).ranges;
  const auto total = static_cast<std::int64_t>(size);
  for (auto& [first, last] : ranges) {
    if (first < 0 && last > 0) continue;  // the last N bytes: always satisfiable
    if (first < 0 || first >= total || (last >= 0 && last < first)) {
      ranges.clear();
      res.set_header("Content-Range", fmt::format("bytes */{}", total));
      return SendError(res, {416, fmt::format("the file has {} bytes; that range is outside it", total)});
    }
    if (last < 0 || last >= total) last = total - 1;
  }
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  res.set_content_provider(
      static_cast<std::size_t>(size), AudioMimeType(path),
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        char buffer[64 * 1024];
        file->clear();
        file->seekg(static_cast<std::streamoff>(offset));
        const std::size_t want = std::min(length, sizeof buffer);
        file->read(buffer, static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(file->gcount());
        if (got == 0) return false;
        return sink.write(buffer, got);
      });
}

void Feedback(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = JsonBody(req, res);
  if (!body) return;
  Fields f(*body);
  const std::string user = f.Require("user", f.String("user", 256));
  const std::int64_t track = f.Require("track", f.Integer("track", 1, INT64_MAX));
  const std::string kind = f.Require("kind", f.String("kind", 16));
  if (f.error()) return SendError(res, *f.error());
  std::lock_guard lock(ctx.store_mutex);
  Status s;
  if (kind == "play") {
    s = ctx.store->AddPlay(user, track);
  } else {
    auto k = ParseFeedbackKind(kind);
    if (!k.ok()) return SendError(res, {400, "field 'kind': " + k.status().message() + " (or play)"});
    s = ctx.store->AddFeedback(user, track, *k);
  }
  if (!s.ok()) return SendError(res, FromStatus(s));
  SendJson(res, {{"user", user}, {"track", track}, {"kind", kind}});
}

void History(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const std::string user = req.get_param_value("user");
  if (user.empty()) return SendError(res, {400, "query parameter 'user' is required"});
  std::lock_guard lock(ctx.store_mutex);
  auto played = ctx.store->RecentlyPlayed(user, 100);
  if (!played.ok()) return SendError(res, FromStatus(played.status()));
  auto feedback = ctx.store->UserFeedback(user);
  if (!feedback.ok()) return SendError(res, FromStatus(feedback.status()));
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : *feedback) events.push_back({{"track", e.track_id}, {"kind", FeedbackKindName(e.kind)}, {"at", e.at}});
  SendJson(res, {{"user", user}, {"recently_played", *played}, {"feedback", std::move(events)}});
}

void Export(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = JsonBody(req, res);
  if (!body) return;
  Fields f(*body);
  const std::string format_name = f.String("format", 16).value_or("m3u8");
  const std::string title = f.String("title", 256).value_or("Emotune");
  if (f.error()) return SendError(res, *f.error());
  auto format = ParsePlaylistFormat(format_name);
  if (!format.ok()) return SendError(res, {400, "field 'format': " + format.status().message()});
  auto ids = body->find("tracks");
  if (ids == body->end() || !ids->is_array() || ids->empty() || ids->size() > 1000)
    return SendError(res, {400, "field 'tracks': expected 1..1000 track ids"});
  Playlist playlist;
  playlist.title = title;
  std::lock_guard lock(ctx.store_mutex);
  for (const auto& id : *ids) {
    if (!id.is_number_integer()) return SendError(res, {400, "field 'tracks': ids are integers"});
    auto track = ctx.store->GetTrack(id.get<std::int64_t>());
    if (!track.ok()) return SendError(res, FromStatus(track.status()));
    playlist.entries.push_back({std::move(*track), ""});
  }
  static const std::map<PlaylistFormat, const char*> kTypes = {{PlaylistFormat::kM3u8, "audio/x-mpegurl"},
                                                               {PlaylistFormat::kXspf, "application/xspf+xml"},
                                                               {PlaylistFormat::kJson, "application/json"},
                                                               {PlaylistFormat::kCsv, "text/csv"}};
  res.set_header("Content-Disposition", fmt::format("attachment; filename=\"emotune.{}\"", PlaylistFormatName(*format)));
  res.set_content(RenderPlaylist(playlist, *format), kTypes.at(*format));
}

void Clusters(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ClusterOptions options;
  try {
    if (req.has_param("k")) options.k = std::stoi(req.get_param_value("k"));
    if (req.has_param("seed")) options.seed = std::stoull(req.get_param_value("seed"));
  } catch (const std::exception&) {
    return SendError(res, {400, "'k' and 'seed' must be whole numbers"});
  }
  std::lock_guard lock(ctx.store_mutex);
  auto tracks = ctx.store->FindTracks({});
  if (!tracks.ok()) return SendError(res, FromStatus(tracks.status()));
  auto clustering = ClusterTracks(*tracks, options);
  if (!clustering.ok()) return SendError(res, FromStatus(clustering.status()));
  SendJson(res, ClusteringToJson(options, *clustering));
}

template <typename Fn>
httplib::Server::Handler Bind(ApiContext& ctx, Fn fn) {
  return [&ctx, fn](const httplib::Request& req, httplib::Response& res) { fn(ctx, req, res); };
}

}  // namespace

void AddCatalogRoutes(httplib::Server& http, ApiContext& ctx) {
  http.Get("/api/tracks", Bind(ctx, Tracks));
  http.Get(R"(/api/tracks/(\d{1,18}))", Bind(ctx, OneTrack));
  http.Get(R"(/api/tracks/(\d{1,18})/cover)", Bind(ctx, Cover));
  http.Get(R"(/api/tracks/(\d{1,18})/audio)", Bind(ctx, Audio));
  http.Post("/api/feedback", Bind(ctx, Feedback));
  http.Get("/api/history", Bind(ctx, History));
  http.Post("/api/export", Bind(ctx, Export));
  http.Get("/api/clusters", Bind(ctx, Clusters));
}

}  // namespace emotune::server
