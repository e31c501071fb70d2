// What a TrackIndex holds, column by column (one entry per indexed track, a "row"),
// and the search trees over it. Internal to the recommend module: the recommender
// reads these columns directly. Immutable once built; thread-safe to read.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/emotion.h"
#include "emotune/feature_space.h"
#include "kd_tree.h"

namespace emotune::recommend {

using MoodTree = KdTree<2>;
using FeatureTree = KdTree<FeatureSpace::kDims>;

inline constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();

// Strings seen in a column, each given a small id; 0 is the empty string. An
// open-addressing table of (hash, id) beside the strings in id order: a lookup
// touches one slot and, on a hash match, one string (a node-based map would chase
// two pointers first, which is most of an index build's cost per artist).
class Dictionary {
 public:
  Dictionary();
  std::uint32_t Intern(std::string_view key);
  // kNoRow when the key was never seen.
  std::uint32_t Find(std::string_view key) const;
  std::size_t MemoryBytes() const;
  // Every key, by id: the order they were first seen.
  const std::vector<std::string>& keys() const { return keys_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kNoRow;  // kNoRow: empty
  };
  std::size_t SlotOf(std::string_view key, std::uint64_t hash) const;
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::vector<std::string> keys_;
};

// The trees a search walks: over all placed rows of an index, or over the few a
// selective filter leaves.
struct SearchTrees {
  MoodTree moods;
  FeatureTree features;
  // Per feature-tree node, the box of its tracks' places in the affect plane: the
  // listener's taste lives in the plane, so a "more like this" search bounds it there.
  std::vector<MoodTree::Box> feature_node_moods;

  std::size_t MemoryBytes() const;
};

struct TrackIndexData {
  FeatureSpace space;
  std::vector<std::int64_t> ids;
  std::vector<AffectPoint> moods;           // NaN valence: not placed (TrackMood::known false)
  std::vector<std::uint64_t> title_keys;    // Hash64 of the near-duplicate title key
  std::vector<std::uint64_t> files;         // Hash64 of the file path; 0 without a file
  std::vector<std::uint32_t> artist_begin;  // row's artists: artists[artist_begin[r] .. artist_begin[r+1])
  std::vector<std::uint32_t> artists;       // folded artist keys, each once per track, credit order
  std::vector<std::uint32_t> genres, languages, given_moods;  // ASCII-lowercased
  std::vector<std::int16_t> years;          // kNoYear when unknown
  std::vector<std::int64_t> durations_ms;   // -1 when unknown
  std::vector<std::uint32_t> by_id;         // rows in ascending id
  std::vector<std::uint32_t> feature_pos;   // row → position in trees.features; kNoRow if not placed
  Dictionary artist_keys, genre_keys, language_keys, mood_keys;
  SearchTrees trees;

  static constexpr std::int16_t kNoYear = std::numeric_limits<std::int16_t>::min();

  std::size_t size() const { return ids.size(); }
  bool placed(std::uint32_t row) const { return moods[row].valence == moods[row].valence; }
  std::uint32_t RowOf(std::int64_t id) const;  // kNoRow if absent
};

// The folded form artists and titles are compared in: ASCII-lowercased, trimmed.
std::string FoldedKey(std::string_view text);
// The near-duplicate key of a title and its first artist (see NearDuplicates).
std::string TitleKey(std::string_view title, std::string_view first_artist);

// Search trees over `rows` (placed rows of `data`), taking their features from
// data.trees when `rows` is a subset of an index already built.
SearchTrees BuildSearchTrees(const TrackIndexData& data, std::vector<std::uint32_t> rows,
                             std::vector<FeatureSpace::Point> features);

// Which rows `query` selects: `all` when it filters nothing; `test` alone when
// each row can be judged by itself (genre, language, years, mood label), so a
// search checks only the rows it reaches; else `rows`, in the order FindTracks
// would return them (artist, ids, paging).
struct RowSelection {
  bool all = false;
  std::function<bool(std::uint32_t)> test;
  std::vector<std::uint32_t> rows;
};
RowSelection SelectRows(const TrackIndexData& data, const TrackQuery& query);

}  // namespace emotune::recommend
