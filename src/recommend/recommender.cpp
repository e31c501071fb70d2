#include "emotune/recommender.h"

#include <algorithm>
#include <unordered_set>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emotune/ascii_text.h"
#include "emotune/feature_space.h"
#include "emotune/hash64.h"
#include "emotune/mood_path.h"
#include "track_reason.h"

namespace emotune {
namespace {

// Distances are compared in steps of this size: audio features are rough, so a
// track 0.003 nearer than another is not really a better fit, and letting the
// seeded hash decide among such near-equals is what makes the seed matter.
constexpr double kTieResolution = 0.01;

std::string Folded(std::string_view text) { return AsciiLower(TrimSpace(text)); }

std::string TitleKey(const Track& t) {
  return Folded(t.title) + '\x1f' + (t.artists.empty() ? std::string() : Folded(t.artists.front()));
}

std::vector<std::string> ArtistKeys(const Track& t) {
  std::vector<std::string> keys;
  for (const auto& a : t.artists)
    if (std::string k = Folded(a); !k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end())
      keys.push_back(std::move(k));
  return keys;
}

struct Candidate {
  const Track* track;
  TrackMood mood;
  std::string title_key;
  std::vector<std::string> artists;
  std::uint64_t tie_hash;
  double taste = 0;  // from the listener's feedback: < 0 pulls the track nearer, > 0 pushes it away
  double unlike = 0;  // with like_track_id: how differently it sounds, on the affect plane's scale
};

// How feedback bends distances in the affect plane. A liked track pulls the tracks
// around it (within ~0.2) up to 0.15 nearer every waypoint; a dislike pushes them up
// to 0.25 away, a skip 0.08. Sized against the plane's scale: 0.15 is about the gap
// between neighbouring emotions' places.
constexpr double kTasteRadius = 0.2, kLikePull = 0.15, kDislikePush = 0.25, kSkipPush = 0.08;
// A recently played track is pushed further than any two points of the plane are
// apart (2√2), so it is chosen only when nothing else can fill the slot.
constexpr double kRecentPush = 3.0;

struct Taste {
  std::vector<std::pair<AffectPoint, double>> marks;  // a feedback track's place and its weight
  std::unordered_set<std::int64_t> disliked;
  std::unordered_set<std::int64_t> recent;  // played lately: a last resort
  double At(AffectPoint p) const {
    double sum = 0;
    for (const auto& [q, weight] : marks) {
      const double d = Distance(p, q) / kTasteRadius;
      sum += weight * std::exp(-d * d);
    }
    return sum;
  }
};

// The listener's feedback as marks in the plane; the latest word on a track counts.
Result<Taste> LoadTaste(CatalogStore& store, const std::string& user, std::size_t history_window) {
  Taste taste;
  if (user.empty()) return taste;
  if (history_window > 0) {
    auto played = store.RecentlyPlayed(user, history_window);
    if (!played.ok()) return played.status();
    taste.recent.insert(played->begin(), played->end());
  }
  auto events = store.UserFeedback(user);
  if (!events.ok()) return events.status();
  std::map<std::int64_t, FeedbackKind> latest;
  for (const auto& e : *events) latest[e.track_id] = e.kind;
  for (const auto& [id, kind] : latest) {
    auto track = store.GetTrack(id);
    if (!track.ok()) continue;  // feedback on a track since removed
    const TrackMood mood = TrackMoodFromFeatures(track->features);
    if (kind == FeedbackKind::kDislike) taste.disliked.insert(id);
    if (!mood.known) continue;
    const double weight = kind == FeedbackKind::kLike ? -kLikePull : kind == FeedbackKind::kDislike ? kDislikePush : kSkipPush;
    taste.marks.emplace_back(mood.point, weight);
  }
  return taste;
}

// What a chosen playlist has used up so far.
struct Used {
  std::set<std::string> title_keys;
  std::set<std::string> files;
  std::map<std::string, std::size_t> per_artist;
  std::vector<std::string> previous_artists;
};

enum class Block { kNone, kDuplicate, kArtist };

// `space_artists` is off when the listener asked for one artist: then every track
// shares a credit, and spacing them out would leave a one-track playlist.
Block Blocked(const Candidate& c, const Used& used, std::size_t artist_cap, bool space_artists) {
  if (used.title_keys.count(c.title_key) ||
      (!c.track->file_path.empty() && used.files.count(c.track->file_path)))
    return Block::kDuplicate;
  if (!space_artists) return Block::kNone;
  for (const auto& a : c.artists) {
    if (std::find(used.previous_artists.begin(), used.previous_artists.end(), a) != used.previous_artists.end())
      return Block::kArtist;
    if (auto it = used.per_artist.find(a); it != used.per_artist.end() && it->second >= artist_cap)
      return Block::kArtist;
  }
  return Block::kNone;
}

Status CheckOptions(const RecommendOptions& o) {
  if (o.count == 0) return Status::InvalidArgument("recommend: ask for at least 1 track");
  if (!(o.max_artist_share > 0 && o.max_artist_share <= 1))
    return Status::InvalidArgument(fmt::format("recommend: max artist share {} is not in (0, 1]", o.max_artist_share));
  if (o.max_duration_s && *o.max_duration_s <= 0)
    return Status::InvalidArgument(fmt::format("recommend: max duration {} s is not positive", *o.max_duration_s));
  return Status::Ok();
}

std::string Tracks(std::size_t n) { return fmt::format("{} track{}", n, n == 1 ? "" : "s"); }

}  // namespace

bool NearDuplicates(const Track& a, const Track& b) {
  if (!a.file_path.empty() && a.file_path == b.file_path) return true;
  return TitleKey(a) == TitleKey(b);
}

Result<Recommendation> Recommend(CatalogStore& store, const PlaylistRequest& request,
                                 const RecommendOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  TrackQuery query = options.filters;
  if (query.genre.empty()) query.genre = request.genre;
  if (query.artist.empty()) query.artist = request.artist;
  auto tracks = store.FindTracks(query);
  if (!tracks.ok()) return tracks.status().WithContext("recommend: ");

  Recommendation out;
  out.path = PlanMoodPath(request, options.count);

  // Place every candidate once; the per-waypoint scan below only compares numbers.
  std::vector<Candidate> candidates;
  std::size_t unplaced = 0, too_long = 0;
  auto taste = LoadTaste(store, options.user, options.history_window);
  if (!taste.ok()) return taste.status().WithContext("recommend: ");
  std::unordered_set<std::int64_t> excluded(options.exclude_ids.begin(), options.exclude_ids.end());
  std::optional<Track> liked;
  if (options.like_track_id) {
    auto track = store.GetTrack(*options.like_track_id);
    if (!track.ok()) return track.status().WithContext("recommend --like: ");
    liked = std::move(*track);
    excluded.insert(liked->id);
  }
  const FeatureSpace space = FeatureSpace::Fit(*tracks);
  const FeatureSpace::Point like_point = liked ? space.Standardise(liked->features) : FeatureSpace::Point{};
  for (const Track& t : *tracks) {
    if (excluded.count(t.id) || taste->disliked.count(t.id)) continue;
    TrackMood mood = TrackMoodFromFeatures(t.features);
    if (!mood.known) {
      ++unplaced;
      continue;
    }
    if (options.max_duration_s && t.duration_ms && *t.duration_ms > std::int64_t{*options.max_duration_s} * 1000) {
      ++too_long;
      continue;
    }
    // Standardised distances run to ~3 per feature; /sqrt(dims)/2 brings a typical
    // one near the affect plane's, so ties and feedback weigh alike in both modes.
    const double unlike =
        liked ? std::sqrt(FeatureSpace::SquaredDistance(space.Standardise(t.features), like_point) /
                          FeatureSpace::kDims) / 2
              : 0.0;
    candidates.push_back({&t, mood, TitleKey(t), ArtistKeys(t), Hash64(std::to_string(t.id), options.seed),
                          taste->At(mood.point) + (taste->recent.count(t.id) ? kRecentPush : 0.0), unlike});
  }

  const std::size_t artist_cap = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::floor(options.max_artist_share * static_cast<double>(options.count))));
  std::vector<bool> taken(candidates.size(), false);
  Used used;
  bool artist_limited = false;
  for (const AffectPoint& waypoint : out.path) {
    std::size_t best = candidates.size();
    std::int64_t best_bucket = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (taken[i]) continue;
      const Candidate& c = candidates[i];
      const double base = liked ? c.unlike : Distance(c.mood.point, waypoint);
      const double distance = std::max(0.0, base + c.taste);
      const auto bucket = static_cast<std::int64_t>(std::floor(distance / kTieResolution));
      // Check the cheap order first; the playlist rules only for a would-be winner.
      if (best < candidates.size() &&
          (bucket > best_bucket || (bucket == best_bucket && c.tie_hash >= candidates[best].tie_hash)))
        continue;
      const Block block = Blocked(c, used, artist_cap, query.artist.empty());
      if (block == Block::kArtist) artist_limited = true;
      if (block != Block::kNone) continue;
      best = i;
      best_bucket = bucket;
    }
    // No allowed track for this waypoint (one artist left, say): skip it rather
    // than break a rule; a later waypoint may still be fillable.
    if (best == candidates.size()) continue;
    taken[best] = true;
    const Candidate& c = candidates[best];
    used.title_keys.insert(c.title_key);
    if (!c.track->file_path.empty()) used.files.insert(c.track->file_path);
    for (const auto& a : c.artists) ++used.per_artist[a];
    used.previous_artists = c.artists;
    std::string reason = recommend::TrackReason(*c.track, c.mood);
    if (c.taste < -0.05) reason += "; close to tracks you liked";
    if (taste->recent.count(c.track->id)) reason += "; played recently, but nothing else fits";
    if (liked) reason += fmt::format("; sounds like \"{}\"", liked->title);
    out.slots.push_back({*c.track, c.mood, waypoint, std::move(reason)});
  }

  if (out.slots.size() < options.count) {
    if (tracks->empty()) {
      auto total = store.CountTracks(TrackQuery{});
      if (!total.ok()) return total.status().WithContext("recommend: ");
      out.note = *total == 0 ? "the catalog is empty — import tracks first" : "no tracks match the filters";
    } else {
      std::vector<std::string> why;
      if (unplaced) why.push_back(fmt::format("{} without valence or energy", unplaced));
      if (too_long) why.push_back(fmt::format("{} longer than {} s", too_long, *options.max_duration_s));
      if (artist_limited)
        why.push_back(fmt::format("at most {} per artist, none twice in a row", Tracks(artist_cap)));
      const std::size_t duplicates = candidates.size() - out.slots.size();
      if (!artist_limited && duplicates) why.push_back(fmt::format("{} near-duplicates", duplicates));
      const std::string because = why.empty() ? "" : fmt::format(" ({})", fmt::join(why, "; "));
      out.note = tracks->size() < options.count
                     ? fmt::format("only {} match the filters{}{}", Tracks(tracks->size()),
                                   out.slots.size() == tracks->size() ? "" : fmt::format("; {} chosen", out.slots.size()),
                                   because)
                     : fmt::format("only {} of the {} asked for could be chosen{}", Tracks(out.slots.size()),
                                   options.count, because);
    }
  }
  return out;
}

}  // namespace emotune
