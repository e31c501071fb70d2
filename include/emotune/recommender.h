// Recommender: answers a PlaylistRequest from the user's catalog. It plans a mood
// path for the request's strategy (mood_path.h), places every candidate track in the
// affect plane (track_mood.h) and fills each waypoint with the nearest track the
// playlist's rules allow, explaining each choice in a short reason.
//
// It searches a TrackIndex of the filtered catalog exactly (the same picks as a
// scan of every track), bending distances by the listener's feedback (likes pull,
// skips push away) and holding back what they played recently.
//
// Thread-safety: Recommend is a free function with no state of its own; it uses the
// CatalogStore it is given, so the store's rule applies (one thread at a time per
// store). A TrackIndex may serve many threads at once, each with its own store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/emotion.h"
#include "emotune/playlist_request.h"
#include "emotune/status.h"
#include "emotune/track.h"
#include "emotune/track_index.h"
#include "emotune/track_mood.h"

namespace emotune {

struct RecommendOptions {
  // Tracks wanted; default 20. Must be >= 1.
  std::size_t count = 20;
  // Breaks ties between equally near tracks: the same seed gives the same playlist,
  // another seed may pick other tracks among the equally good. Default 0.
  std::uint64_t seed = 0;
  // The most of the playlist one artist may fill, as a share of `count` (rounded
  // down, but at least 1 track per artist). Default 1/3. Must be in (0, 1].
  double max_artist_share = 1.0 / 3;
  // Leave out tracks longer than this many seconds; tracks of unknown length stay
  // in. Default none. Must be > 0 when set.
  std::optional<int> max_duration_s;
  // Which tracks may be chosen at all (artist, genre, language, years, mood label,
  // ids). Its limit and offset apply to the candidates, so leave them 0 for the
  // whole catalog. The request's genre and artist are used where these are empty.
  // Default: the whole catalog.
  TrackQuery filters;
  // Tracks not to choose (already played, or on the last playlist when the listener
  // asked for "something else"). Default empty.
  std::vector<std::int64_t> exclude_ids;
  // "More like this": rank by how alike the tracks sound to this one (standardised
  // audio features, see FeatureSpace) instead of by the mood path; the track itself
  // is left out. NotFound if it is not in the catalog. Default none.
  std::optional<std::int64_t> like_track_id;
  // Whose feedback shapes the playlist: their likes pull tracks near the liked ones
  // up, skips push near tracks down a little and dislikes a lot, and disliked tracks
  // are never chosen. Default "" (nobody's).
  std::string user;
  // How many of the user's most recently played tracks (CatalogStore::AddPlay) to
  // hold back: they are chosen only when nothing else can fill a slot. Default 50;
  // 0 = ignore history.
  std::size_t history_window = 50;
};

struct PlaylistSlot {
  Track track;
  TrackMood mood;         // where the track sits in the plane
  AffectPoint waypoint;   // where the path wanted this slot to be
  std::string reason;     // "valence 0.81, energy 0.74, 128 BPM, A major — bright and upbeat, near joy"
};

struct Recommendation {
  std::vector<AffectPoint> path;    // one waypoint per requested slot (options.count)
  std::vector<PlaylistSlot> slots;  // in play order; fewer than count when `note` says why
  // Empty when every slot was filled; otherwise why not, in words a user can act on:
  // "the catalog is empty — import tracks first", "only 7 tracks match the filters".
  std::string note;
};

// Near-duplicates count once in a playlist: tracks with the same title and first
// artist (ASCII case-insensitive, surrounding space ignored) — the single, the album
// version, the remaster — or the same local file.
bool NearDuplicates(const Track& a, const Track& b);

// The playlist for `request`. For each waypoint it picks the nearest unused
// candidate (Euclidean distance in the plane; distances within 0.01 of each other
// count as ties, broken by a hash of the track id seeded with options.seed) such
// that no artist plays twice in a row, no artist exceeds the share cap, and no
// near-duplicate of a chosen track is chosen. Tracks with too few features to place
// (TrackMood::known false) and, with max_duration_s, longer tracks are left out.
//
// A short playlist is not an error: it comes back with `note` set. Errors are bad
// options (InvalidArgument) and store failures (passed on).
//
// This form indexes the filtered catalog for the one request.
Result<Recommendation> Recommend(CatalogStore& store, const PlaylistRequest& request,
                                 const RecommendOptions& options);

// The same from an index a long-lived process keeps (the HTTP server): the filters
// select from the indexed tracks, "more like this" measures in the index's feature
// space (fitted over the whole index rather than the filtered part), and `store`
// supplies the chosen tracks, the listener's feedback and history. A track removed
// from the store since the index was built is an error: rebuild the index.
Result<Recommendation> Recommend(const TrackIndex& index, CatalogStore& store, const PlaylistRequest& request,
                                 const RecommendOptions& options);

}  // namespace emotune
