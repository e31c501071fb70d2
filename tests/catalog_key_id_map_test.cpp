#include "catalog/key_id_map.h"

#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace emotune {
namespace {

TEST(KeyIdMapTest, EmptyFindsNothing) {
  KeyIdMap map;
  EXPECT_EQ(map.Find(42), 0);
  EXPECT_EQ(map.size(), 0u);
}

TEST(KeyIdMapTest, PutFindAndReplace) {
  KeyIdMap map;
  map.Put(-7, 3);
  map.Put(0, 9);  // key 0 is a key like any other; only id 0 means empty
  EXPECT_EQ(map.Find(-7), 3);
  EXPECT_EQ(map.Find(0), 9);
  map.Put(-7, 5);
  EXPECT_EQ(map.Find(-7), 5);
  EXPECT_EQ(map.size(), 2u);
}

TEST(KeyIdMapTest, CollidingLowBitsProbeOn) {
  KeyIdMap map;
  // Same low 20 bits: every key starts probing at the same slot.
  for (std::int64_t i = 1; i <= 100; ++i) map.Put(i << 20, i);
  for (std::int64_t i = 1; i <= 100; ++i) EXPECT_EQ(map.Find(i << 20), i);
  EXPECT_EQ(map.Find(101LL << 20), 0);
}

TEST(KeyIdMapTest, MatchesAStandardMapThroughGrowth) {
  KeyIdMap map;
  std::unordered_map<std::int64_t, std::int64_t> expected;
  std::mt19937_64 rng(5);
  for (std::int64_t id = 1; id <= 50000; ++id) {
    const auto key = static_cast<std::int64_t>(rng() % 40000);  // repeats replace
    map.Put(key, id);
    expected[key] = id;
  }
  EXPECT_EQ(map.size(), expected.size());
  for (const auto& [key, id] : expected) ASSERT_EQ(map.Find(key), id) << key;
  EXPECT_EQ(map.Find(40001), 0);
}

}  // namespace
}  // namespace emotune
