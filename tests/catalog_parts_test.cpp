// CatalogStore::ForEachTrackInParts: a read cut into id ranges, each on its own
// connection and thread, sees exactly what one ForEachTrack sees (no track twice,
// none dropped), parts in ascending id order; it refuses what it cannot serve.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "emotune/catalog_store.h"
#include "test_files.h"

namespace emotune {
namespace {

using emotune::testing::TempDir;

class PartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(opened_.ok()) << opened_.status().message();
    auto writer = store().BeginWrite();
    ASSERT_TRUE(writer.ok());
    const char* genres[] = {"pop", "jazz", "rock"};
    for (int i = 0; i < 101; ++i) {
      Track t;
      t.title = "Song " + std::to_string(i);
      t.artists = {"Artist " + std::to_string(i % 13)};
      t.genre = genres[i * i % 3];
      t.features.energy = 0.01 * i;
      ASSERT_TRUE((*writer)->Put(t).ok());
    }
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  // What one ForEachTrack sees.
  std::vector<Track> Serial(const TrackQuery& query) {
    std::vector<Track> out;
    EXPECT_TRUE(store().ForEachTrack(query, [&](const Track& t) { out.push_back(t); return Status::Ok(); },
                                     TrackFields::kForIndex)
                    .ok());
    return out;
  }

  // What each part sees, by part.
  Status InParts(const TrackQuery& query, std::size_t parts, std::map<std::size_t, std::vector<Track>>& seen) {
    std::mutex mutex;
    return store().ForEachTrackInParts(
        query, parts,
        [&](std::size_t part, const Track& t) {
          std::lock_guard lock(mutex);
          seen[part].push_back(t);
          return Status::Ok();
        },
        TrackFields::kForIndex);
  }

  CatalogStore& store() { return **opened_; }

  TempDir dir_;
  Result<std::unique_ptr<CatalogStore>> opened_ = OpenSqliteStore(dir_.File("catalog.db"));
};

TEST_F(PartsTest, EveryTrackOnceInIdOrderWhateverThePartCount) {
  TrackQuery jazz;
  jazz.genre = "JAZZ";  // leaves gaps in the ids
  for (const TrackQuery& query : {TrackQuery{}, jazz}) {
    const std::vector<Track> serial = Serial(query);
    ASSERT_FALSE(serial.empty());
    for (std::size_t parts : {1u, 2u, 3u, 7u, 500u}) {
      std::map<std::size_t, std::vector<Track>> seen;
      ASSERT_TRUE(InParts(query, parts, seen).ok()) << parts;
      std::vector<Track> joined;
      for (const auto& [part, tracks] : seen) {
        EXPECT_LT(part, parts);
        ASSERT_FALSE(tracks.empty());
        // Every id of this part above every id before it: no overlap, id order kept.
        if (!joined.empty()) {
          EXPECT_GT(tracks.front().id, joined.back().id) << "part " << part;
        }
        joined.insert(joined.end(), tracks.begin(), tracks.end());
      }
      EXPECT_EQ(joined, serial) << parts << " parts";
      if (parts > 1) {
        EXPECT_GT(seen.size(), 1u) << "the read was not cut at all";
      }
    }
  }
}

TEST_F(PartsTest, StopsAtTheVisitorsError) {
  const Status s = store().ForEachTrackInParts(
      {}, 3,
      [](std::size_t, const Track& t) {
        return t.id == 50 ? Status::InvalidArgument("stop here") : Status::Ok();
      },
      TrackFields::kForIndex);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "stop here");
}

TEST_F(PartsTest, RefusesPagesIdsAndOneConnectionCatalogs) {
  std::map<std::size_t, std::vector<Track>> seen;
  TrackQuery paged;
  paged.limit = 10;
  EXPECT_EQ(InParts(paged, 2, seen).code(), Status::Code::kUnsupported);
  TrackQuery by_ids;
  by_ids.ids = {3, 1};
  EXPECT_EQ(InParts(by_ids, 2, seen).code(), Status::Code::kUnsupported);
  EXPECT_TRUE(seen.empty());

  auto memory = OpenSqliteStore(":memory:");
  ASSERT_TRUE(memory.ok()) << memory.status().message();
  const Status s = (*memory)->ForEachTrackInParts({}, 2, [](std::size_t, const Track&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), Status::Code::kUnsupported);
}

// A commit from another connection while the parts read could give them different
// states of the catalog: the read says so instead of passing for one snapshot.
TEST_F(PartsTest, ACommitDuringTheReadIsReported) {
  auto other = OpenSqliteStore(dir_.File("catalog.db"));
  ASSERT_TRUE(other.ok());
  bool wrote = false;
  std::mutex mutex;
  const Status s = store().ForEachTrackInParts({}, 2, [&](std::size_t part, const Track&) {
    std::lock_guard lock(mutex);
    if (part != 0 || wrote) return Status::Ok();
    wrote = true;
    auto writer = (*other)->BeginWrite();
    if (!writer.ok()) return writer.status();
    Track t;
    t.title = "Late";
    if (Status put = (*writer)->Put(t); !put.ok()) return put;
    return (*writer)->Commit().status();
  });
  ASSERT_TRUE(wrote);
  EXPECT_EQ(s.code(), Status::Code::kUnsupported) << s.message();

  // Unchanged since, the same read passes.
  std::map<std::size_t, std::vector<Track>> seen;
  EXPECT_TRUE(InParts({}, 2, seen).ok());
}

}  // namespace
}  // namespace emotune
