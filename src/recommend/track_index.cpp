#include "emotune/track_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/hash64.h"
#include "emotune/track_mood.h"
#include "track_index_data.h"

namespace emotune {
namespace recommend {

std::uint32_t Dictionary::Intern(const std::string& key) {
  return ids_.try_emplace(key, static_cast<std::uint32_t>(ids_.size())).first->second;
}

std::uint32_t Dictionary::Find(const std::string& key) const {
  const auto it = ids_.find(key);
  return it == ids_.end() ? kNoRow : it->second;
}

std::size_t Dictionary::MemoryBytes() const {
  std::size_t bytes = ids_.bucket_count() * sizeof(void*);
  for (const auto& [key, id] : ids_) bytes += sizeof(key) + key.capacity() + sizeof(id) + 2 * sizeof(void*);
  return bytes;
}

std::size_t SearchTrees::MemoryBytes() const {
  return moods.MemoryBytes() + features.MemoryBytes() + feature_node_moods.capacity() * sizeof(MoodTree::Box);
}

std::uint32_t TrackIndexData::RowOf(std::int64_t id) const {
  const auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                                   [&](std::uint32_t row, std::int64_t wanted) { return ids[row] < wanted; });
  return it != by_id.end() && ids[*it] == id ? *it : kNoRow;
}

std::string FoldedKey(std::string_view text) { return AsciiLower(TrimSpace(text)); }

std::string TitleKey(std::string_view title, std::string_view first_artist) {
  return FoldedKey(title) + '\x1f' + FoldedKey(first_artist);
}

SearchTrees BuildSearchTrees(const TrackIndexData& data, std::vector<std::uint32_t> rows,
                             std::vector<FeatureSpace::Point> features) {
  SearchTrees trees;
  std::vector<MoodTree::Point> places(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) places[i] = {data.moods[rows[i]].valence, data.moods[rows[i]].arousal};
  trees.moods = MoodTree::Build(rows, std::move(places));
  trees.features = FeatureTree::Build(std::move(rows), std::move(features));
  const auto& nodes = trees.features.nodes();
  trees.feature_node_moods.resize(nodes.size());
  // Children follow their parent, so walking backwards sees them first.
  for (std::size_t n = nodes.size(); n-- > 0;) {
    MoodTree::Box& box = trees.feature_node_moods[n];
    box.lo.fill(std::numeric_limits<double>::infinity());
    box.hi.fill(-std::numeric_limits<double>::infinity());
    const auto widen = [&box](const MoodTree::Box& part) {
      for (std::size_t d = 0; d < 2; ++d) {
        box.lo[d] = std::min(box.lo[d], part.lo[d]);
        box.hi[d] = std::max(box.hi[d], part.hi[d]);
      }
    };
    if (nodes[n].left != 0) {
      widen(trees.feature_node_moods[nodes[n].left]);
      widen(trees.feature_node_moods[nodes[n].right]);
      continue;
    }
    for (std::uint32_t pos = nodes[n].begin; pos < nodes[n].end; ++pos) {
      const AffectPoint p = data.moods[trees.features.row(pos)];
      widen({{p.valence, p.arousal}, {p.valence, p.arousal}});
    }
  }
  return trees;
}

}  // namespace recommend

using recommend::TrackIndexData;

TrackIndex::Builder::Builder(std::size_t expected_tracks) : data_(std::make_unique<TrackIndexData>()) {
  TrackIndexData& d = *data_;
  d.ids.reserve(expected_tracks);
  d.moods.reserve(expected_tracks);
  d.title_keys.reserve(expected_tracks);
  d.files.reserve(expected_tracks);
  d.artist_begin.reserve(expected_tracks + 1);
  d.artists.reserve(expected_tracks + expected_tracks / 4);
  d.genres.reserve(expected_tracks);
  d.languages.reserve(expected_tracks);
  d.given_moods.reserve(expected_tracks);
  d.years.reserve(expected_tracks);
  d.durations_ms.reserve(expected_tracks);
  measured_.reserve(expected_tracks);
  d.artist_begin.push_back(0);
}

TrackIndex::Builder::~Builder() = default;
TrackIndex::Builder::Builder(Builder&&) noexcept = default;
TrackIndex::Builder& TrackIndex::Builder::operator=(Builder&&) noexcept = default;

void TrackIndex::Builder::Add(const Track& t) {
  TrackIndexData& d = *data_;
  d.ids.push_back(t.id);
  const TrackMood mood = TrackMoodFromFeatures(t.features);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  d.moods.push_back(mood.known ? mood.point : AffectPoint{kNaN, kNaN});
  d.title_keys.push_back(Hash64(recommend::TitleKey(t.title, t.artists.empty() ? "" : t.artists.front())));
  d.files.push_back(t.file_path.empty() ? 0 : Hash64(t.file_path));
  const auto first = d.artists.size();
  for (const std::string& name : t.artists) {
    const std::string key = recommend::FoldedKey(name);
    if (key.empty()) continue;
    const std::uint32_t id = d.artist_keys.Intern(key);
    if (std::find(d.artists.begin() + static_cast<std::ptrdiff_t>(first), d.artists.end(), id) == d.artists.end())
      d.artists.push_back(id);
  }
  d.artist_begin.push_back(static_cast<std::uint32_t>(d.artists.size()));
  d.genres.push_back(d.genre_keys.Intern(AsciiLower(t.genre)));
  d.languages.push_back(d.language_keys.Intern(AsciiLower(t.language)));
  d.given_moods.push_back(d.mood_keys.Intern(AsciiLower(t.given_mood)));
  d.years.push_back(t.release_year ? static_cast<std::int16_t>(std::clamp(*t.release_year, -32767, 32767))
                                   : TrackIndexData::kNoYear);
  d.durations_ms.push_back(t.duration_ms.value_or(-1));
  measured_.push_back(FeatureSpace::Measure(t.features));
}

Result<TrackIndex> TrackIndex::Builder::Finish() && {
  TrackIndexData& d = *data_;
  if (d.ids.size() >= recommend::kNoRow)
    return Status::InvalidArgument(fmt::format("index: {} tracks are more than one index holds", d.ids.size()));
  FeatureSpace::Accumulator accumulator;
  for (const auto& m : measured_) accumulator.Add(m);
  d.space = accumulator.Fit();
  d.by_id.resize(d.ids.size());
  std::iota(d.by_id.begin(), d.by_id.end(), 0u);
  std::stable_sort(d.by_id.begin(), d.by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return d.ids[a] < d.ids[b]; });

  std::vector<std::uint32_t> placed;
  std::vector<FeatureSpace::Point> features;
  for (std::uint32_t row = 0; row < d.ids.size(); ++row)
    if (d.placed(row)) placed.push_back(row);
  features.reserve(placed.size());
  for (std::uint32_t row : placed) features.push_back(d.space.Standardise(measured_[row]));
  measured_ = {};
  d.trees = recommend::BuildSearchTrees(d, std::move(placed), std::move(features));
  d.feature_pos.assign(d.ids.size(), recommend::kNoRow);
  for (std::uint32_t pos = 0; pos < d.trees.features.size(); ++pos) d.feature_pos[d.trees.features.row(pos)] = pos;
  return TrackIndex(std::move(data_));
}

Result<TrackIndex> TrackIndex::Build(CatalogStore& store, const TrackQuery& query) {
  auto count = store.CountTracks(query);
  if (!count.ok()) return count.status().WithContext("index: ");
  std::size_t expected = static_cast<std::size_t>(*count);
  if (!query.ids.empty()) expected = std::min(expected, query.ids.size());
  if (query.limit > 0) expected = std::min(expected, query.limit);
  Builder builder(expected);
  Status read = store.ForEachTrack(query, [&](const Track& t) {
    builder.Add(t);
    return Status::Ok();
  });
  if (!read.ok()) return read.WithContext("index: ");
  return std::move(builder).Finish();
}

Result<TrackIndex> TrackIndex::Build(std::span<const Track> tracks) {
  Builder builder(tracks.size());
  for (const Track& t : tracks) builder.Add(t);
  return std::move(builder).Finish();
}

TrackIndex::TrackIndex(std::unique_ptr<TrackIndexData> data) : data_(std::move(data)) {}
TrackIndex::TrackIndex(TrackIndex&&) noexcept = default;
TrackIndex& TrackIndex::operator=(TrackIndex&&) noexcept = default;
TrackIndex::~TrackIndex() = default;

std::size_t TrackIndex::size() const { return data_->size(); }
const FeatureSpace& TrackIndex::space() const { return data_->space; }

std::size_t TrackIndex::MemoryBytes() const {
  const TrackIndexData& d = *data_;
  const auto bytes = [](const auto& column) { return column.capacity() * sizeof(column[0]); };
  return bytes(d.ids) + bytes(d.moods) + bytes(d.title_keys) + bytes(d.files) + bytes(d.artist_begin) +
         bytes(d.artists) + bytes(d.genres) + bytes(d.languages) + bytes(d.given_moods) + bytes(d.years) +
         bytes(d.durations_ms) + bytes(d.by_id) + bytes(d.feature_pos) + d.artist_keys.MemoryBytes() +
         d.genre_keys.MemoryBytes() + d.language_keys.MemoryBytes() + d.mood_keys.MemoryBytes() +
         d.trees.MemoryBytes();
}

namespace {

// Plain Euclidean nearness; equal distances in ascending id so the answer does not
// depend on how the tree happened to split.
struct NearestRanker {
  const recommend::TrackIndexData& data;
  const FeatureSpace::Point& query;
  std::uint32_t left_out;
  recommend::SearchRank NodeBound(const recommend::FeatureTree::Node& node) const {
    return {recommend::FeatureTree::SquaredDistance(query, node.box), 0};
  }
  bool PointRank(std::size_t pos, recommend::SearchRank& rank) const {
    const std::uint32_t row = data.trees.features.row(pos);
    if (row == left_out) return false;
    rank = {recommend::FeatureTree::SquaredDistance(data.trees.features.point(pos), query),
            static_cast<std::uint64_t>(data.ids[row]) ^ (std::uint64_t{1} << 63)};
    return true;
  }
};

std::vector<TrackIndex::Neighbour> NearestExcept(const TrackIndexData& data, const FeatureSpace::Point& query,
                                                 std::size_t k, std::uint32_t left_out) {
  std::vector<TrackIndex::Neighbour> out;
  if (k == 0) return out;
  out.reserve(k);
  data.trees.features.BestFirst(NearestRanker{data, query, left_out}, [&](std::size_t pos, recommend::SearchRank rank) {
    out.push_back({data.ids[data.trees.features.row(pos)], std::sqrt(rank.primary)});
    return out.size() < k;
  });
  return out;
}

}  // namespace

std::vector<TrackIndex::Neighbour> TrackIndex::Nearest(const FeatureSpace::Point& standardised, std::size_t k) const {
  return NearestExcept(*data_, standardised, k, recommend::kNoRow);
}

Result<std::vector<TrackIndex::Neighbour>> TrackIndex::NearestTo(std::int64_t id, std::size_t k) const {
  const std::uint32_t row = data_->RowOf(id);
  if (row == recommend::kNoRow || data_->feature_pos[row] == recommend::kNoRow)
    return Status::NotFound(fmt::format("no placed track with id {} in the index", id));
  return NearestExcept(*data_, data_->trees.features.point(data_->feature_pos[row]), k, row);
}

}  // namespace emotune
