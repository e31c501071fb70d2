// emotune recommend: a playlist from the catalog for a mood given as text, an
// emotion name or a (valence, arousal) point, following a strategy (DESIGN.md,
// "Strategies"), printed as a list, as JSON or as a playlist file.
#include <charconv>
#include <cmath>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/mood_chat.h"
#include "emotune/playlist_export.h"
#include "emotune/recommender.h"
#include "emotune/track_mood.h"
#include "emotune/text_emotion_model.h"
#include "emotune/recommend_json.h"
#include "track_filter_options.h"

namespace emotune::cli {
namespace {

constexpr std::size_t kDefaultCount = 20;

struct RecommendArgs {
  CLI::Option* text_option = nullptr;
  CLI::Option* face_option = nullptr;
  std::string face;
  CLI::Option* voice_option = nullptr;
  std::string voice;
  CLI::Option* emotion_option = nullptr;
  CLI::Option* va_option = nullptr;
  CLI::Option* like_option = nullptr;
  std::int64_t like = 0;
  std::string text, emotion, va, strategy, target, model;
  TrackFilterOptions filters;
  std::optional<int> max_duration_s;
  std::uint64_t seed = 0;
  std::string user;
  std::size_t history_window = RecommendOptions{}.history_window;
  bool json = false;
  std::string format, output;
};

bool ParseDouble(std::string_view s, double* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// "0.3,-0.5" → a point; both numbers must lie in [-1, 1] (the plane's range, not
// Spotify's 0..1, which would silently mean something else).
Result<AffectPoint> ParsePoint(const std::string& flag, const std::string& text) {
  const std::size_t comma = text.find(',');
  AffectPoint p;
  if (comma == std::string::npos || !ParseDouble(std::string_view(text).substr(0, comma), &p.valence) ||
      !ParseDouble(std::string_view(text).substr(comma + 1), &p.arousal))
    return Status::InvalidArgument(fmt::format("{} '{}': expected VALENCE,AROUSAL such as 0.3,-0.5", flag, text));
  if (std::abs(p.valence) > 1 || std::abs(p.arousal) > 1)
    return Status::InvalidArgument(fmt::format("{} '{}': valence and arousal lie in [-1, 1]", flag, text));
  return p;
}

Result<MoodEstimate> ListenerMood(const RecommendArgs& args) {
  if (args.emotion_option->count()) {
    auto emotion = ParseEmotion(args.emotion);
    if (!emotion.ok()) return emotion.status().WithContext("--emotion: ");
    return MoodEstimate::FromPoint(EmotionPlace(*emotion), 1.0, "emotion");
  }
  if (args.va_option->count()) {
    auto point = ParsePoint("--va", args.va);
    if (!point.ok()) return point.status();
    return MoodEstimate::FromPoint(*point, 1.0, "valence/arousal");
  }
  if (args.face_option->count()) return ReadFaceMood(args.face);
  if (args.voice_option->count()) return ReadVoiceMood(args.voice);
  auto model = TextEmotionModel::Load(FindModel("text-emotion.bin", args.model));
  // A missing or broken model is a failure, not a usage error: say so distinctly.
  if (!model.ok()) return Status::NotFound(model.status().message());
  return (*model)->ReadMood(args.text);
}


int RunRecommend(const GlobalOptions& global, const RecommendArgs& args) {
  const int given = static_cast<int>(args.text_option->count() > 0) + static_cast<int>(args.face_option->count() > 0) +
                    static_cast<int>(args.voice_option->count() > 0) +
                    static_cast<int>(args.emotion_option->count() > 0) +
                    static_cast<int>(args.va_option->count() > 0) + static_cast<int>(args.like_option->count() > 0);
  if (given != 1) return UsageError("recommend: give exactly one of --text, --face, --voice, --emotion, --va or --like");
  if (args.json && (!args.format.empty() || !args.output.empty()))
    return UsageError("recommend: --json prints to standard output; use --format json -o FILE for a file");
  if (args.filters.filter.limit == 0) return UsageError("recommend: -n must be at least 1");

  PlaylistRequest request;
  if (!args.target.empty()) {
    if (auto emotion = ParseEmotion(args.target); emotion.ok()) {
      request.target_emotion = *emotion;
      request.target = EmotionPlace(*emotion);
    } else {
      auto point = ParsePoint("--target", args.target);
      if (!point.ok())
        return UsageError(fmt::format("--target '{}': expected an emotion name or VALENCE,AROUSAL", args.target));
      request.target = *point;
    }
  }
  std::optional<MoodStrategy> strategy;
  if (!args.strategy.empty()) {
    auto parsed = ParseMoodStrategy(args.strategy);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    strategy = *parsed;
    if (*strategy == MoodStrategy::kTarget && !request.target)
      return UsageError("recommend: --strategy target needs --target EMOTION or --target V,A");
  } else if (request.target) {
    strategy = MoodStrategy::kTarget;  // naming a target asks to go there
  }
  auto query = args.filters.ToQuery();
  if (!query.ok()) return UsageError(query.status().message());
  RecommendOptions options;
  options.count = query->limit;  // -n is the playlist's length here, not a cap on candidates
  query->limit = 0;
  options.filters = std::move(*query);
  options.seed = args.seed;
  options.user = args.user;
  options.history_window = args.history_window;
  options.max_duration_s = args.max_duration_s;

  std::optional<PlaylistFormat> format;
  if (!args.format.empty() || !args.output.empty()) {
    Result<PlaylistFormat> f = ChoosePlaylistFormat(args.format, args.output);
    if (!f.ok()) return UsageError(f.status().message());
    format = *f;
  }

  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  if (args.like_option->count()) {
    // "More like this": the mood is the liked track's own, and the strategy matches it.
    auto track = (*store)->GetTrack(args.like);
    if (!track.ok()) return Fail(track.status().WithContext("recommend --like: "));
    const TrackMood liked = TrackMoodFromFeatures(track->features);
    options.like_track_id = args.like;
    request.mood = MoodEstimate::FromPoint(liked.point, liked.known ? 1.0 : 0.0, "like");
    request.strategy = strategy.value_or(MoodStrategy::kMatch);
  }
  auto mood = args.like_option->count() ? Result<MoodEstimate>(request.mood) : ListenerMood(args);
  if (!mood.ok()) {
    if (mood.status().code() == Status::Code::kInvalidArgument && !args.text_option->count() && !args.face_option->count() &&
        !args.voice_option->count())
      return UsageError(mood.status().message());
    return Fail(mood.status());
  }
  request.mood = *mood;
  if (!args.like_option->count()) request.strategy = strategy.value_or(DefaultStrategy(*mood));

  auto rec = Recommend(**store, request, options);
  if (!rec.ok()) return Fail(rec.status());
  if (!rec->note.empty()) fmt::print(stderr, "emotune: {}\n", rec->note);

  if (args.json) {
    PrintJson(RecommendationToJson(request, *rec));
    return kExitOk;
  }
  if (format) {
    Playlist playlist;
    playlist.title = fmt::format("Emotune: {} from {}", MoodStrategyName(request.strategy),
                                 EmotionName(request.mood.dominant()));
    for (const PlaylistSlot& slot : rec->slots) playlist.entries.push_back({slot.track, slot.reason});
    return EmitPlaylist(playlist, *format, args.output);
  }
  for (std::size_t i = 0; i < rec->slots.size(); ++i) {
    const PlaylistSlot& slot = rec->slots[i];
    const std::string artist = slot.track.ArtistLine();
    fmt::print("{}. {}{}  ({})\n", i + 1, artist.empty() ? "" : artist + " — ", slot.track.title, slot.reason);
  }
  return kExitOk;
}

}  // namespace

void RegisterRecommendCommand(CommandRegistry& registry) {
  auto args = std::make_shared<RecommendArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "recommend", "A playlist from the catalog for a mood: match it, lift it, calm it, energize it or steer it");
  args->text_option = cmd->add_option("--text", args->text, "Read the mood from this message (the text model)");
  args->face_option = cmd->add_option("--face", args->face, "Read the mood from the faces in this picture, GIF or video (the face models)");
  args->voice_option = cmd->add_option("--voice", args->voice, "Read the mood from this spoken recording (the voice model)");
  args->emotion_option = cmd->add_option("--emotion", args->emotion, "The mood as an emotion: joy, love, calm, "
                                         "neutral, surprise, fear, anger, disgust or sadness");
  args->va_option = cmd->add_option("--va", args->va, "The mood as VALENCE,AROUSAL, each in [-1, 1] (e.g. 0.3,-0.5)");
  args->like_option = cmd->add_option("--like", args->like, "More like this track (catalog id): ranked by how alike they sound");
  cmd->add_option("--strategy", args->strategy, "match, uplift, calm, energize or target (default: uplift for a "
                  "clear negative mood, else match; target when --target is given)");
  cmd->add_option("--target", args->target, "Where to head: an emotion name or VALENCE,AROUSAL");
  cmd->add_option("--model", args->model, "Text model for --text (default: the shipped models/text-emotion.bin)");
  args->filters.AddTo(cmd, kDefaultCount);
  cmd->get_option("--limit")->description(fmt::format("Tracks in the playlist (default {})", kDefaultCount));
  cmd->add_option("--max-duration", args->max_duration_s, "Leave out tracks longer than this many seconds")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--user", args->user, "Shape the playlist by this listener's feedback (emotune feedback)");
  cmd->add_option("--history", args->history_window,
                  "With --user: hold back this many of their most recently played tracks (default 50; 0 = off)");
  cmd->add_option("--seed", args->seed, "Breaks ties between equally good tracks; the same seed gives the same "
                  "playlist (default 0)");
  cmd->add_flag("--json", args->json, "Print JSON: {mood, strategy, path, tracks (with mood, waypoint, reason), note}");
  cmd->add_option("--format", args->format, "Write a playlist: m3u8, xspf, json or csv (default: by -o's extension)");
  cmd->add_option("-o,--output", args->output, "Playlist file to write (default: standard output)");
  registry.Add(cmd, [&global = registry.global, args] { return RunRecommend(global, *args); });
}

}  // namespace emotune::cli
