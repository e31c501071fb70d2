// TrackIndex: a catalog held in memory in the compact form the recommender searches,
// so that a playlist from a million tracks takes milliseconds, not a scan of a
// million Track objects (which would not fit in memory anyway).
//
// It keeps no Track objects: per track only what the recommender's rules and the
// TrackQuery filters read (id, place in the affect plane, standardised audio
// features, interned artist/genre/language/mood-label ids, title-key and file
// hashes, year, duration), plus two exact k-d trees: one over the affect plane for
// "the nearest track to this waypoint" and one over the standardised features
// (FeatureSpace, fitted over the indexed tracks) for "more like this" and
// Nearest(). Tracks the recommender cannot place (TrackMood::known false) are kept
// for counting but are in neither tree.
//
// Thread-safety: build once, then every method is const and may be called from
// many threads at once. The index is a snapshot: tracks added to the store later
// are not in it until it is rebuilt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/feature_space.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

namespace recommend {
struct TrackIndexData;
}

// How TrackIndex::Build reads a store.
struct IndexBuildOptions {
  // Connections reading the store at once, each over its own id range on its own
  // thread (CatalogStore::ForEachTrackInParts); default 0: one per hardware
  // thread. 1, a store that cannot open more, or a query by ids or by page: one
  // connection, its rows added on a second thread.
  unsigned read_parts = 0;
  // Fewer tracks than this are read and added on the calling thread alone: threads
  // and connections would cost more than they save. Default 65,536.
  std::size_t parallel_from = 1 << 16;
};

class TrackIndex {
 public:
  // Adds tracks one at a time (a generator, a stream of rows) without holding them.
  class Builder {
   public:
    // `expected_tracks` (0 = unknown) reserves room up front, so a large build does
    // not pass through reallocation peaks.
    explicit Builder(std::size_t expected_tracks = 0);
    ~Builder();
    Builder(Builder&&) noexcept;
    Builder& operator=(Builder&&) noexcept;
    // Tracks beyond 2^32 - 1 are an error for Finish().
    void Add(const Track& track);
    // Adds every track `later` holds, in its order, after this builder's own: the
    // index is the one a single builder given both runs of tracks would make.
    // Builders filled at once on separate threads (parts of a catalog) are joined
    // this way, in the parts' order. `later` is left empty.
    void Append(Builder&& later);
    Result<TrackIndex> Finish() &&;

   private:
    std::unique_ptr<recommend::TrackIndexData> data_;
    std::vector<FeatureSpace::Point> measured_;  // in the features' own units until Finish
    std::string scratch_[2];                     // keys are folded here, not in new strings
  };

  // The tracks `query` selects, streamed from `store` (CatalogStore::ForEachTrack,
  // or ForEachTrackInParts on a large catalog: the index is the same either way).
  static Result<TrackIndex> Build(CatalogStore& store, const TrackQuery& query = {},
                                  const IndexBuildOptions& options = {});
  static Result<TrackIndex> Build(std::span<const Track> tracks);

  TrackIndex(TrackIndex&&) noexcept;
  TrackIndex& operator=(TrackIndex&&) noexcept;
  ~TrackIndex();

  std::size_t size() const;
  // The space the features are standardised in: fitted over the indexed tracks.
  const FeatureSpace& space() const;
  // Bytes the index holds (columns, trees, dictionaries), for capacity planning.
  std::size_t MemoryBytes() const;

  struct Neighbour {
    std::int64_t id = 0;
    double distance = 0;  // Euclidean, in the standardised feature space
  };
  // The `k` placed tracks nearest to `standardised` (a point in space()), nearest
  // first; equal distances in ascending id. Exact.
  std::vector<Neighbour> Nearest(const FeatureSpace::Point& standardised, std::size_t k) const;
  // The `k` placed tracks that sound most like track `id`, leaving it out. NotFound
  // if the track is not in the index or cannot be placed.
  Result<std::vector<Neighbour>> NearestTo(std::int64_t id, std::size_t k) const;

  // For the recommend module's own use.
  const recommend::TrackIndexData& data() const { return *data_; }

 private:
  explicit TrackIndex(std::unique_ptr<recommend::TrackIndexData> data);
  std::unique_ptr<recommend::TrackIndexData> data_;
};

}  // namespace emotune
