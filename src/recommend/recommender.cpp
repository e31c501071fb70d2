#include "emotune/recommender.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emotune/hash64.h"
#include "emotune/mood_path.h"
#include "emotune/track_index.h"
#include "listener_taste.h"
#include "track_index_data.h"
#include "track_reason.h"

namespace emotune {
namespace {

using recommend::FeatureTree;
using recommend::ListenerTaste;
using recommend::MoodTree;
using recommend::SearchRank;
using recommend::SearchTrees;
using recommend::TrackIndexData;

// Distances are compared in steps of this size: audio features are rough, so a
// track 0.003 nearer than another is not really a better fit, and letting the
// seeded hash decide among such near-equals is what makes the seed matter.
constexpr double kTieResolution = 0.01;
// A tree's bounds are computed along other roundings than the distances they
// bound; this slack keeps a bound from landing a hair above a distance that sits
// on a step's edge.
constexpr double kBoundSlack = 1e-9;

double Step(double distance) { return std::floor(std::max(0.0, distance) / kTieResolution); }

// What a chosen playlist has used up so far.
struct Used {
  std::vector<std::uint32_t> rows;
  std::unordered_set<std::uint64_t> title_keys, files;
  std::unordered_map<std::uint32_t, std::size_t> per_artist;
  std::vector<std::uint32_t> previous_artists;
};

enum class Block { kNone, kDuplicate, kArtist };

// `space_artists` is off when the listener asked for one artist: then every track
// shares a credit, and spacing them out would leave a one-track playlist.
Block Blocked(const TrackIndexData& d, std::uint32_t row, const Used& used, std::size_t artist_cap,
              bool space_artists) {
  if (used.title_keys.count(d.title_keys[row]) || (d.files[row] != 0 && used.files.count(d.files[row])))
    return Block::kDuplicate;
  if (!space_artists) return Block::kNone;
  for (std::uint32_t i = d.artist_begin[row]; i < d.artist_begin[row + 1]; ++i) {
    const std::uint32_t a = d.artists[i];
    if (std::find(used.previous_artists.begin(), used.previous_artists.end(), a) != used.previous_artists.end())
      return Block::kArtist;
    if (auto it = used.per_artist.find(a); it != used.per_artist.end() && it->second >= artist_cap)
      return Block::kArtist;
  }
  return Block::kNone;
}

// Whether a row may be ranked at all; the playlist rules come after ranking.
struct Eligible {
  const TrackIndexData& data;
  const std::vector<bool>* selected;  // null: every row the trees hold
  const std::function<bool(std::uint32_t)>& test;  // empty: no per-row filter
  const std::vector<std::uint32_t>& left_out;  // rows of excluded and disliked ids, ascending
  const ListenerTaste& taste;
  const std::optional<int>& max_duration_s;
  const Used& used;

  bool Excluded(std::uint32_t row) const {
    return !left_out.empty() && std::binary_search(left_out.begin(), left_out.end(), row);
  }
  bool TooLong(std::uint32_t row) const {
    return max_duration_s && data.durations_ms[row] >= 0 &&
           data.durations_ms[row] > std::int64_t{*max_duration_s} * 1000;
  }
  // What a row is throughout one playlist (checked as a search reaches it) …
  bool Candidate(std::uint32_t row) const {
    return (!selected || (*selected)[row]) && (!test || test(row)) && !Excluded(row) && !TooLong(row);
  }
  // … and whether the playlist has taken it yet (checked as it reaches the front).
  bool Unused(std::uint32_t row) const { return std::find(used.rows.begin(), used.rows.end(), row) == used.rows.end(); }
  bool operator()(std::uint32_t row) const { return Candidate(row) && Unused(row); }
};

// The seeded tie-breaker: a hash of the id's decimal digits (no string made).
std::uint64_t TieBreak(std::int64_t id, std::uint64_t seed) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, id).ptr;
  return Hash64(std::string_view(digits, static_cast<std::size_t>(end - digits)), seed);
}

// Nearness to a waypoint in the affect plane, bent by the listener's taste.
struct WaypointRanker {
  const Eligible& eligible;
  const MoodTree& tree;
  AffectPoint waypoint;
  std::uint64_t seed;
  SearchRank NodeBound(const MoodTree::Node& n) const {
    const double near = std::sqrt(MoodTree::SquaredDistance({waypoint.valence, waypoint.arousal}, n.box));
    const double bend = eligible.taste.LowerBound({n.box.lo[0], n.box.lo[1]}, {n.box.hi[0], n.box.hi[1]});
    return {Step(near + bend - kBoundSlack), 0};
  }
  double PointPrimary(std::size_t pos) const {
    const std::uint32_t row = tree.row(pos);
    if (!eligible.Candidate(row)) return std::numeric_limits<double>::infinity();
    const AffectPoint p = eligible.data.moods[row];
    return Step(Distance(p, waypoint) + (eligible.taste.empty() ? 0.0 : eligible.taste.At(p, eligible.data.ids[row])));
  }
  bool PointSecondary(std::size_t pos, std::uint64_t& secondary) const {
    const std::uint32_t row = tree.row(pos);
    if (!eligible.Unused(row)) return false;
    secondary = TieBreak(eligible.data.ids[row], seed);
    return true;
  }
};

// Standardised distances run to ~3 per feature; /sqrt(dims)/2 brings a typical one
// near the affect plane's, so ties and feedback weigh alike in both modes.
double Unlike(double squared_distance) { return std::sqrt(squared_distance / FeatureSpace::kDims) / 2; }

// "More like this": how differently a track sounds, bent by the listener's taste.
struct LikeRanker {
  const Eligible& eligible;
  const SearchTrees& trees;
  const FeatureSpace::Point& like;
  std::uint64_t seed;
  SearchRank NodeBound(const FeatureTree::Node& n) const {
    const MoodTree::Box& moods = trees.feature_node_moods[static_cast<std::size_t>(&n - trees.features.nodes().data())];
    const double bend = eligible.taste.LowerBound({moods.lo[0], moods.lo[1]}, {moods.hi[0], moods.hi[1]});
    return {Step(Unlike(FeatureTree::SquaredDistance(like, n.box)) + bend - kBoundSlack), 0};
  }
  double PointPrimary(std::size_t pos) const {
    const std::uint32_t row = trees.features.row(pos);
    if (!eligible.Candidate(row)) return std::numeric_limits<double>::infinity();
    const double unlike = Unlike(FeatureTree::SquaredDistance(trees.features.point(pos), like));
    // The listener's taste lives in the plane: read the track's place only for it.
    if (eligible.taste.empty()) return Step(unlike);
    return Step(unlike + eligible.taste.At(eligible.data.moods[row], eligible.data.ids[row]));
  }
  bool PointSecondary(std::size_t pos, std::uint64_t& secondary) const {
    const std::uint32_t row = trees.features.row(pos);
    if (!eligible.Unused(row)) return false;
    secondary = TieBreak(eligible.data.ids[row], seed);
    return true;
  }
};

Status CheckOptions(const RecommendOptions& o) {
  if (o.count == 0) return Status::InvalidArgument("recommend: ask for at least 1 track");
  if (!(o.max_artist_share > 0 && o.max_artist_share <= 1))
    return Status::InvalidArgument(fmt::format("recommend: max artist share {} is not in (0, 1]", o.max_artist_share));
  if (o.max_duration_s && *o.max_duration_s <= 0)
    return Status::InvalidArgument(fmt::format("recommend: max duration {} s is not positive", *o.max_duration_s));
  return Status::Ok();
}

std::string Tracks(std::size_t n) { return fmt::format("{} track{}", n, n == 1 ? "" : "s"); }

// Where the search runs: the index's own trees, or for a filter that leaves few
// rows, small trees over just those (cheaper than skipping past the rest).
struct SearchScope {
  const SearchTrees* trees = nullptr;
  std::optional<SearchTrees> local;
  std::vector<bool> selected;
  bool use_selected = false;
};

void ScopeSearch(const TrackIndexData& data, const recommend::RowSelection& selection, SearchScope& scope) {
  scope.trees = &data.trees;
  if (selection.all || selection.test) return;
  if (selection.rows.size() * 8 < data.size()) {
    std::vector<std::uint32_t> rows;
    std::vector<FeatureSpace::Point> features;
    for (std::uint32_t row : selection.rows)
      if (data.placed(row)) {
        rows.push_back(row);
        features.push_back(data.trees.features.point(data.feature_pos[row]));
      }
    scope.local = recommend::BuildSearchTrees(data, std::move(rows), std::move(features));
    scope.trees = &*scope.local;
    return;
  }
  scope.selected.assign(data.size(), false);
  for (std::uint32_t row : selection.rows) scope.selected[row] = true;
  scope.use_selected = true;
}

// Why a playlist came back short, in words a user can act on.
Result<std::string> ShortNote(const TrackIndexData& data, CatalogStore& store, const recommend::RowSelection& selection,
                              const Eligible& eligible, const RecommendOptions& options, std::size_t chosen,
                              std::size_t artist_cap, bool artist_limited) {
  std::size_t matching = selection.all ? data.size() : selection.rows.size();
  if (selection.test) {
    matching = 0;
    for (std::uint32_t row = 0; row < data.size(); ++row) matching += selection.test(row);
  }
  if (matching == 0) {
    auto total = store.CountTracks(TrackQuery{});
    if (!total.ok()) return total.status();
    return std::string(*total == 0 ? "the catalog is empty — import tracks first" : "no tracks match the filters");
  }
  std::size_t unplaced = 0, too_long = 0, candidates = 0;
  const auto count = [&](std::uint32_t row) {
    if (eligible.Excluded(row)) return;
    if (!data.placed(row)) ++unplaced;
    else if (eligible.TooLong(row)) ++too_long;
    else ++candidates;
  };
  if (selection.all || selection.test) {
    for (std::uint32_t row = 0; row < data.size(); ++row)
      if (!selection.test || selection.test(row)) count(row);
  } else {
    for (std::uint32_t row : selection.rows) count(row);
  }
  std::vector<std::string> why;
  if (unplaced) why.push_back(fmt::format("{} without valence or energy", unplaced));
  if (too_long) why.push_back(fmt::format("{} longer than {} s", too_long, *options.max_duration_s));
  if (artist_limited) why.push_back(fmt::format("at most {} per artist, none twice in a row", Tracks(artist_cap)));
  const std::size_t duplicates = candidates - chosen;
  if (!artist_limited && duplicates) why.push_back(fmt::format("{} near-duplicates", duplicates));
  const std::string because = why.empty() ? "" : fmt::format(" ({})", fmt::join(why, "; "));
  return matching < options.count
             ? fmt::format("only {} match the filters{}{}", Tracks(matching),
                           chosen == matching ? "" : fmt::format("; {} chosen", chosen), because)
             : fmt::format("only {} of the {} asked for could be chosen{}", Tracks(chosen), options.count, because);
}

// The one recommender: `query` selects from `index` unless `prefiltered` says the
// index holds exactly what it selects already.
Result<Recommendation> RecommendFromIndex(const TrackIndex& index, CatalogStore& store, const PlaylistRequest& request,
                                          const RecommendOptions& options, const TrackQuery& query, bool prefiltered) {
  const TrackIndexData& data = index.data();
  Recommendation out;
  out.path = PlanMoodPath(request, options.count);
  auto taste = recommend::LoadListenerTaste(store, options.user, options.history_window);
  if (!taste.ok()) return taste.status().WithContext("recommend: ");
  std::unordered_set<std::int64_t> excluded(options.exclude_ids.begin(), options.exclude_ids.end());
  std::optional<Track> liked;
  if (options.like_track_id) {
    auto track = store.GetTrack(*options.like_track_id);
    if (!track.ok()) return track.status().WithContext("recommend --like: ");
    liked = std::move(*track);
    excluded.insert(liked->id);
  }
  const FeatureSpace::Point like_point = liked ? data.space.Standardise(liked->features) : FeatureSpace::Point{};

  recommend::RowSelection selection;
  if (prefiltered) selection.all = true;
  else selection = recommend::SelectRows(data, query);
  SearchScope scope;
  ScopeSearch(data, selection, scope);
  Used used;
  // Rows never to choose, found by bisection: a search checks every track it
  // reaches, and looking up each one's id (a cache miss, then a hash) was most of
  // a "more like this" search.
  std::vector<std::uint32_t> left_out;
  for (const auto* ids : {&excluded, &taste->disliked})
    for (std::int64_t id : *ids)
      if (const std::uint32_t row = data.RowOf(id); row != recommend::kNoRow) left_out.push_back(row);
  std::sort(left_out.begin(), left_out.end());
  const Eligible eligible{data, scope.use_selected ? &scope.selected : nullptr, selection.test, left_out, *taste,
                          options.max_duration_s, used};

  const std::size_t artist_cap = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::floor(options.max_artist_share * static_cast<double>(options.count))));
  const bool space_artists = query.artist.empty();
  bool artist_limited = false;
  std::vector<AffectPoint> filled;  // the waypoints that got a track, in order
  // Candidates arrive best first; the first the playlist's rules allow wins. A
  // ranking that does not change from one slot to the next ("more like this", or a
  // path that stays put, as `match` does) is searched once and read on: what an
  // artist rule held back is kept, in rank order, to be offered again first, and
  // what a near-duplicate blocked never comes back (used titles and files only
  // grow). That picks exactly what a fresh search per slot would.
  const auto take = [&](auto& cursor, auto row_of, std::vector<std::uint32_t>& held) -> std::optional<std::uint32_t> {
    for (auto it = held.begin(); it != held.end();) {
      const Block block = Blocked(data, *it, used, artist_cap, space_artists);
      if (block == Block::kNone) {
        const std::uint32_t row = *it;
        held.erase(it);
        return row;
      }
      if (block == Block::kArtist) artist_limited = true, ++it;
      else it = held.erase(it);
    }
    std::uint32_t pos;
    SearchRank rank;
    while (cursor.Next(pos, rank)) {
      const std::uint32_t row = row_of(pos);
      const Block block = Blocked(data, row, used, artist_cap, space_artists);
      if (block == Block::kNone) return row;
      if (block == Block::kArtist) artist_limited = true, held.push_back(row);
    }
    return std::nullopt;
  };
  using LikeCursor = FeatureTree::Cursor<LikeRanker>;
  using WaypointCursor = MoodTree::Cursor<WaypointRanker>;
  std::optional<LikeCursor> like_cursor;
  std::optional<WaypointCursor> waypoint_cursor;
  std::optional<AffectPoint> cursor_waypoint;
  std::vector<std::uint32_t> held;
  for (const AffectPoint& waypoint : out.path) {
    std::optional<std::uint32_t> best;
    if (liked) {
      if (!like_cursor) like_cursor.emplace(scope.trees->features, LikeRanker{eligible, *scope.trees, like_point, options.seed});
      best = take(*like_cursor, [&](std::uint32_t pos) { return scope.trees->features.row(pos); }, held);
    } else {
      if (!cursor_waypoint || cursor_waypoint->valence != waypoint.valence || cursor_waypoint->arousal != waypoint.arousal) {
        waypoint_cursor.reset();
        waypoint_cursor.emplace(scope.trees->moods, WaypointRanker{eligible, scope.trees->moods, waypoint, options.seed});
        cursor_waypoint = waypoint;
        held.clear();
      }
      best = take(*waypoint_cursor, [&](std::uint32_t pos) { return scope.trees->moods.row(pos); }, held);
    }
    // No allowed track for this waypoint (one artist left, say): skip it rather
    // than break a rule; a later waypoint may still be fillable.
    if (!best) continue;
    const std::uint32_t row = *best;
    used.rows.push_back(row);
    used.title_keys.insert(data.title_keys[row]);
    if (data.files[row] != 0) used.files.insert(data.files[row]);
    used.previous_artists.assign(data.artists.begin() + data.artist_begin[row],
                                 data.artists.begin() + data.artist_begin[row + 1]);
    for (std::uint32_t a : used.previous_artists) ++used.per_artist[a];
    filled.push_back(waypoint);
  }

  // The chosen tracks in full, in one read.
  TrackQuery chosen;
  for (std::uint32_t row : used.rows) chosen.ids.push_back(data.ids[row]);
  auto tracks = chosen.ids.empty() ? Result<std::vector<Track>>(std::vector<Track>{}) : store.FindTracks(chosen);
  if (!tracks.ok()) return tracks.status().WithContext("recommend: ");
  if (tracks->size() != chosen.ids.size())
    return Status::NotFound("recommend: a chosen track is gone from the catalog; rebuild the index");
  for (std::size_t i = 0; i < tracks->size(); ++i) {
    Track& track = (*tracks)[i];
    const TrackMood mood = TrackMoodFromFeatures(track.features);
    std::string reason = recommend::TrackReason(track, mood);
    if (taste->At(mood.point, track.id) < -0.05) reason += "; close to tracks you liked";
    if (taste->recent.count(track.id)) reason += "; played recently, but nothing else fits";
    if (liked) reason += fmt::format("; sounds like \"{}\"", liked->title);
    out.slots.push_back({std::move(track), mood, filled[i], std::move(reason)});
  }

  if (out.slots.size() < options.count) {
    auto note = ShortNote(data, store, selection, eligible, options, out.slots.size(), artist_cap, artist_limited);
    if (!note.ok()) return note.status().WithContext("recommend: ");
    out.note = std::move(*note);
  }
  return out;
}

// The request's genre and artist stand in for filters the options leave empty.
TrackQuery Filters(const PlaylistRequest& request, const RecommendOptions& options) {
  TrackQuery query = options.filters;
  if (query.genre.empty()) query.genre = request.genre;
  if (query.artist.empty()) query.artist = request.artist;
  return query;
}

}  // namespace

bool NearDuplicates(const Track& a, const Track& b) {
  if (!a.file_path.empty() && a.file_path == b.file_path) return true;
  const auto first = [](const Track& t) { return t.artists.empty() ? std::string() : t.artists.front(); };
  return recommend::TitleKey(a.title, first(a)) == recommend::TitleKey(b.title, first(b));
}

Result<Recommendation> Recommend(CatalogStore& store, const PlaylistRequest& request,
                                 const RecommendOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  const TrackQuery query = Filters(request, options);
  auto index = TrackIndex::Build(store, query);
  if (!index.ok()) return index.status().WithContext("recommend: ");
  return RecommendFromIndex(*index, store, request, options, query, /*prefiltered=*/true);
}

Result<Recommendation> Recommend(const TrackIndex& index, CatalogStore& store, const PlaylistRequest& request,
                                 const RecommendOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  return RecommendFromIndex(index, store, request, options, Filters(request, options), /*prefiltered=*/false);
}

}  // namespace emotune
