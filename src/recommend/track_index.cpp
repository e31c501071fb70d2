#include "emotune/track_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>
#include <type_traits>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/hash64.h"
#include "emotune/track_mood.h"
#include "track_index_data.h"

namespace emotune {
namespace recommend {

Dictionary::Dictionary() : slots_(16) { Intern(""); }

std::size_t Dictionary::SlotOf(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == kNoRow || (slot.hash == hash && keys_[slot.id] == key)) return i;
  }
}

std::uint32_t Dictionary::Intern(std::string_view key) {
  const std::uint64_t hash = Hash64(key);
  std::size_t at = SlotOf(key, hash);
  if (slots_[at].id != kNoRow) return slots_[at].id;
  const auto id = static_cast<std::uint32_t>(keys_.size());
  keys_.emplace_back(key);
  if (2 * keys_.size() > slots_.size()) {  // grow, then find the new key's place
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old)
      if (slot.id != kNoRow) slots_[SlotOf(keys_[slot.id], slot.hash)] = slot;
    at = SlotOf(key, hash);
  }
  slots_[at] = {hash, id};
  return id;
}

std::uint32_t Dictionary::Find(std::string_view key) const { return slots_[SlotOf(key, Hash64(key))].id; }

std::size_t Dictionary::MemoryBytes() const {
  std::size_t bytes = slots_.capacity() * sizeof(Slot) + keys_.capacity() * sizeof(std::string);
  for (const std::string& key : keys_)
    if (key.capacity() > 15) bytes += key.capacity() + 1;  // beyond the inline buffer
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

// Fewer rows than this are built on the calling thread: threads cost more than
// they save on a filter's few hundred rows.
constexpr std::size_t kParallelBuild = 1 << 16;

SearchTrees BuildSearchTrees(const TrackIndexData& data, std::vector<std::uint32_t> rows,
                             std::vector<FeatureSpace::Point> features) {
  SearchTrees trees;
  std::vector<MoodTree::Point> places(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) places[i] = {data.moods[rows[i]].valence, data.moods[rows[i]].arousal};
  // The two trees at once, and the feature tree's halves at once, on large inputs.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (rows.size() >= kParallelBuild && cores > 1) {
    std::vector<std::uint32_t> mood_rows = rows;
    std::thread moods([&] { trees.moods = MoodTree::Build(std::move(mood_rows), std::move(places)); });
    trees.features = FeatureTree::Build(std::move(rows), std::move(features), cores);
    moods.join();
  } else {
    trees.moods = MoodTree::Build(rows, std::move(places));
    trees.features = FeatureTree::Build(std::move(rows), std::move(features));
  }
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

namespace {

// FoldedKey(text) into `out`, reusing its storage.
void FoldInto(std::string_view text, std::string& out) {
  text = TrimSpace(text);
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i)
    out[i] = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
}

// AsciiLower(text) into `out`, reusing its storage.
void LowerInto(std::string_view text, std::string& out) {
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i)
    out[i] = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
}

}  // namespace

// Everything a row needs without a string allocated per track: keys are folded
// into the builder's scratch strings, and the dictionaries copy a key only the
// first time they see it.
void TrackIndex::Builder::Add(const Track& t) {
  TrackIndexData& d = *data_;
  std::string& key = scratch_[0];
  std::string& part = scratch_[1];
  d.ids.push_back(t.id);
  const std::optional<AffectPoint> place = TrackPlace(t.features);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  d.moods.push_back(place ? *place : AffectPoint{kNaN, kNaN});
  // TitleKey(title, first artist), hashed.
  FoldInto(t.title, key);
  key.push_back('\x1f');
  FoldInto(t.artists.empty() ? std::string_view() : std::string_view(t.artists.front()), part);
  key += part;
  d.title_keys.push_back(Hash64(key));
  d.files.push_back(t.file_path.empty() ? 0 : Hash64(t.file_path));
  const auto first = d.artists.size();
  for (const std::string& name : t.artists) {
    FoldInto(name, key);
    if (key.empty()) continue;
    const std::uint32_t id = d.artist_keys.Intern(key);
    if (std::find(d.artists.begin() + static_cast<std::ptrdiff_t>(first), d.artists.end(), id) == d.artists.end())
      d.artists.push_back(id);
  }
  d.artist_begin.push_back(static_cast<std::uint32_t>(d.artists.size()));
  LowerInto(t.genre, key);
  d.genres.push_back(d.genre_keys.Intern(key));
  LowerInto(t.language, key);
  d.languages.push_back(d.language_keys.Intern(key));
  LowerInto(t.given_mood, key);
  d.given_moods.push_back(d.mood_keys.Intern(key));
  d.years.push_back(t.release_year ? static_cast<std::int16_t>(std::clamp(*t.release_year, -32767, 32767))
                                   : TrackIndexData::kNoYear);
  d.durations_ms.push_back(t.duration_ms.value_or(-1));
  measured_.push_back(FeatureSpace::Measure(t.features));
}

void TrackIndex::Builder::Append(Builder&& later) {
  TrackIndexData& d = *data_;
  TrackIndexData& more = *later.data_;
  // `later`'s keys in its id order, which is the order it first saw them: interned
  // here in that order, new ones get the ids one builder would have given them.
  const auto ids_here = [](recommend::Dictionary& here, const recommend::Dictionary& there) {
    std::vector<std::uint32_t> ids;
    ids.reserve(there.keys().size());
    for (const std::string& key : there.keys()) ids.push_back(here.Intern(key));
    return ids;
  };
  const auto append = [](auto& column, const auto& tail) { column.insert(column.end(), tail.begin(), tail.end()); };
  const auto append_mapped = [](std::vector<std::uint32_t>& column, const std::vector<std::uint32_t>& tail,
                                const std::vector<std::uint32_t>& id_here) {
    for (std::uint32_t id : tail) column.push_back(id_here[id]);
  };
  append(d.ids, more.ids);
  append(d.moods, more.moods);
  append(d.title_keys, more.title_keys);
  append(d.files, more.files);
  const auto artists_before = static_cast<std::uint32_t>(d.artists.size());
  append_mapped(d.artists, more.artists, ids_here(d.artist_keys, more.artist_keys));
  for (std::size_t r = 1; r < more.artist_begin.size(); ++r) d.artist_begin.push_back(artists_before + more.artist_begin[r]);
  append_mapped(d.genres, more.genres, ids_here(d.genre_keys, more.genre_keys));
  append_mapped(d.languages, more.languages, ids_here(d.language_keys, more.language_keys));
  append_mapped(d.given_moods, more.given_moods, ids_here(d.mood_keys, more.mood_keys));
  append(d.years, more.years);
  append(d.durations_ms, more.durations_ms);
  append(measured_, later.measured_);
  later = Builder();
}

namespace {

// Renumbers the rows in the feature tree's leaf order (then the unplaced ones, in
// their order): row r is the feature tree's position r. A "more like this" search
// reads the columns of every track it reaches (filters, ids, lengths), and in
// this order a leaf's tracks lie side by side instead of one cache miss apart.
void RenumberInFeatureOrder(TrackIndexData& d) {
  const std::size_t n = d.ids.size();
  std::vector<std::uint32_t> old_of_new;
  old_of_new.reserve(n);
  for (std::uint32_t pos = 0; pos < d.trees.features.size(); ++pos) old_of_new.push_back(d.trees.features.row(pos));
  for (std::uint32_t row = 0; row < n; ++row)
    if (!d.placed(row)) old_of_new.push_back(row);
  std::vector<std::uint32_t> new_of_old(n);
  for (std::uint32_t r = 0; r < n; ++r) new_of_old[old_of_new[r]] = r;
  const auto permute = [&](auto& column) {
    std::remove_reference_t<decltype(column)> moved(n);
    for (std::size_t r = 0; r < n; ++r) moved[r] = column[old_of_new[r]];
    column.swap(moved);
  };
  permute(d.ids);
  permute(d.moods);
  permute(d.title_keys);
  permute(d.files);
  permute(d.genres);
  permute(d.languages);
  permute(d.given_moods);
  permute(d.years);
  permute(d.durations_ms);
  std::vector<std::uint32_t> artist_begin, artists;
  artist_begin.reserve(n + 1);
  artists.reserve(d.artists.size());
  artist_begin.push_back(0);
  for (std::uint32_t r = 0; r < n; ++r) {
    artists.insert(artists.end(), d.artists.begin() + d.artist_begin[old_of_new[r]],
                   d.artists.begin() + d.artist_begin[old_of_new[r] + 1]);
    artist_begin.push_back(static_cast<std::uint32_t>(artists.size()));
  }
  d.artist_begin.swap(artist_begin);
  d.artists.swap(artists);
  for (std::uint32_t& row : d.by_id) row = new_of_old[row];
  d.trees.features.RenumberRows(new_of_old);
  d.trees.moods.RenumberRows(new_of_old);
  d.feature_pos.assign(n, recommend::kNoRow);
  for (std::uint32_t pos = 0; pos < d.trees.features.size(); ++pos) d.feature_pos[d.trees.features.row(pos)] = pos;
}

}  // namespace

Result<TrackIndex> TrackIndex::Builder::Finish() && {
  TrackIndexData& d = *data_;
  if (d.ids.size() >= recommend::kNoRow)
    return Status::InvalidArgument(fmt::format("index: {} tracks are more than one index holds", d.ids.size()));
  FeatureSpace::Accumulator accumulator;
  for (const auto& m : measured_) accumulator.Add(m);
  d.space = accumulator.Fit();
  d.by_id.resize(d.ids.size());
  std::iota(d.by_id.begin(), d.by_id.end(), 0u);
  // A store hands rows over in id order: then there is nothing to sort.
  if (!std::is_sorted(d.ids.begin(), d.ids.end()))
    std::stable_sort(d.by_id.begin(), d.by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return d.ids[a] < d.ids[b]; });

  // The placed rows' standardised features, made in place of the measured ones.
  std::vector<std::uint32_t> placed;
  placed.reserve(d.ids.size());
  for (std::uint32_t row = 0; row < d.ids.size(); ++row)
    if (d.placed(row)) {
      measured_[placed.size()] = d.space.Standardise(measured_[row]);
      placed.push_back(row);
    }
  measured_.resize(placed.size());
  measured_.shrink_to_fit();
  d.trees = recommend::BuildSearchTrees(d, std::move(placed), std::move(measured_));
  measured_ = {};
  RenumberInFeatureOrder(d);
#ifdef __GLIBC__
  // A build frees several times what it keeps (rows on their way in, tree
  // items, old columns); glibc keeps freed heap pages unless asked to give them
  // back, which a long-lived server would carry as resident memory.
  malloc_trim(0);
#endif
  return TrackIndex(std::move(data_));
}

namespace {

// Tracks handed from the reading thread to the adding one at a time.
constexpr std::size_t kBatch = 4096;

// Rows read on the calling thread (SQLite) are added on another, a batch at a time
// through two buffers, so reading and indexing overlap. The tracks are added in
// the order read, so the index is the one a single thread builds.
class AddPipeline {
 public:
  explicit AddPipeline(TrackIndex::Builder& builder) : builder_(builder) {
    for (auto& b : batches_) b.tracks.resize(kBatch);
    adder_ = std::thread([this] { Run(); });
  }
  ~AddPipeline() { Finish(); }

  void Put(const Track& t) {
    Batch& batch = batches_[writing_];
    batch.tracks[batch.size++] = t;  // assignment reuses the slot's strings
    if (batch.size == kBatch) Hand();
  }

  // Adds what is left and waits for the adding thread.
  void Finish() {
    if (!adder_.joinable()) return;
    if (batches_[writing_].size > 0) Hand();
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
    adder_.join();
  }

 private:
  struct Batch {
    std::vector<Track> tracks;
    std::size_t size = 0;
    bool full = false;
  };

  // Gives the batch being written to the adder and waits for the other to be free.
  void Hand() {
    {
      std::lock_guard lock(mutex_);
      batches_[writing_].full = true;
    }
    changed_.notify_all();
    writing_ ^= 1;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !batches_[writing_].full; });
  }

  void Run() {
    for (int reading = 0;; reading ^= 1) {
      Batch& batch = batches_[reading];
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return batch.full || done_; });
        if (!batch.full) return;
      }
      for (std::size_t i = 0; i < batch.size; ++i) builder_.Add(batch.tracks[i]);
      {
        std::lock_guard lock(mutex_);
        batch.size = 0;
        batch.full = false;
      }
      changed_.notify_all();
    }
  }

  TrackIndex::Builder& builder_;
  Batch batches_[2];
  int writing_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false;
  std::thread adder_;
};

}  // namespace

namespace {

// The tracks `query` selects read in `parts` id ranges at once, a builder each,
// joined in order. Unsupported when the store cannot read in parts.
Result<TrackIndex> BuildInParts(CatalogStore& store, const TrackQuery& query, std::size_t expected, unsigned parts) {
  std::vector<TrackIndex::Builder> builders;
  builders.emplace_back(expected);  // the first takes in the others
  for (unsigned p = 1; p < parts; ++p) builders.emplace_back(expected / parts + kBatch);
  Status read = store.ForEachTrackInParts(
      query, parts,
      [&](std::size_t part, const Track& t) {
        builders[part].Add(t);
        return Status::Ok();
      },
      TrackFields::kForIndex);
  if (!read.ok()) return read;
  for (unsigned p = 1; p < parts; ++p) builders[0].Append(std::move(builders[p]));
  return std::move(builders[0]).Finish();
}

}  // namespace

Result<TrackIndex> TrackIndex::Build(CatalogStore& store, const TrackQuery& query, const IndexBuildOptions& options) {
  auto count = store.CountTracks(query);
  if (!count.ok()) return count.status().WithContext("index: ");
  std::size_t expected = static_cast<std::size_t>(*count);
  if (!query.ids.empty()) expected = std::min(expected, query.ids.size());
  if (query.limit > 0) expected = std::min(expected, query.limit);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const bool large = expected >= options.parallel_from;
  if (const unsigned parts = options.read_parts ? options.read_parts : cores; large && parts > 1) {
    auto index = BuildInParts(store, query, expected, parts);
    if (index.ok()) return index;
    if (index.status().code() != Status::Code::kUnsupported) return index.status().WithContext("index: ");
  }
  Builder builder(expected);
  Status read;
  if (large && cores > 1) {
    AddPipeline pipeline(builder);
    read = store.ForEachTrack(
        query,
        [&](const Track& t) {
          pipeline.Put(t);
          return Status::Ok();
        },
        TrackFields::kForIndex);
    pipeline.Finish();
  } else {
    read = store.ForEachTrack(
        query,
        [&](const Track& t) {
          builder.Add(t);
          return Status::Ok();
        },
        TrackFields::kForIndex);
  }
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
std::vector<TrackIndex::Neighbour> NearestExcept(const TrackIndexData& data, const FeatureSpace::Point& query,
                                                 std::size_t k, std::uint32_t left_out) {
  std::vector<TrackIndex::Neighbour> out;
  if (k == 0) return out;
  const recommend::FeatureTree& tree = data.trees.features;
  thread_local std::vector<recommend::FeatureTree::Neighbour> found;
  tree.Nearest(
      query, k, [&](std::uint32_t pos) { return static_cast<std::uint64_t>(data.ids[tree.row(pos)]) ^ (std::uint64_t{1} << 63); },
      [&](std::uint32_t pos) { return tree.row(pos) == left_out; }, found);
  out.reserve(found.size());
  for (const auto& n : found) out.push_back({data.ids[tree.row(n.pos)], std::sqrt(n.distance)});
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
