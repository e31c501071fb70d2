// JsonWriter (the API's answers are written with it) and the Write…/…ToJson pairs
// built on it: the text must parse, keep every value exactly, and escape what JSON
// requires.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "emotune/affect_json.h"
#include "emotune/json_writer.h"
#include "emotune/recommend_json.h"
#include "emotune/track_json.h"

namespace emotune {
namespace {

TEST(JsonWriterTest, CommasOnlyBetweenMembersAtEveryDepth) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").BeginArray().Integer(1).BeginArray().EndArray().BeginObject().EndObject().Integer(2).EndArray();
  w.Key("b").BeginObject().Key("c").Null().Key("d").Bool(false).EndObject();
  w.Key("e").Bool(true);
  w.EndObject();
  EXPECT_EQ(w.text(), R"({"a":[1,[],{},2],"b":{"c":null,"d":false},"e":true})");
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  static constexpr char kRaw[] = "say \"hi\"\\\n\t\x01\x1f end\0x";
  const std::string raw(kRaw, sizeof kRaw - 1);  // the NUL inside included
  JsonWriter w;
  w.String(raw);
  EXPECT_EQ(w.text(), R"("say \"hi\"\\\n\t\u0001\u001f end\u0000x")");
  EXPECT_EQ(nlohmann::json::parse(w.text()).get<std::string>(), raw);
}

// Plain text is skipped eight bytes at a time; a character to escape must be found at
// every offset within and across those words, and none invented.
TEST(JsonWriterTest, FindsCharactersToEscapeAtEveryOffset) {
  for (std::string special : {"\"", "\\", "\x1f", "\x01", " ", "~", "\x7f", "é", "!", "#", "[", "]"}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string text(at, 'a');
      text += special;
      text += std::string(19 - at, 'z');
      JsonWriter w;
      w.String(text);
      EXPECT_EQ(nlohmann::json::parse(w.text()).get<std::string>(), text) << at;
      EXPECT_EQ(w.text(), nlohmann::json(text).dump()) << "offset " << at << " of " << text;
    }
  }
}

TEST(JsonWriterTest, KeepsValidUtf8AndRepairsInvalid) {
  JsonWriter ok;
  ok.String("café — ♪");
  EXPECT_EQ(ok.text(), "\"café — ♪\"");
  JsonWriter bad;
  bad.String("a\xff" "b\xc3");
  EXPECT_EQ(bad.text(), "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\"");
  EXPECT_NO_THROW(nlohmann::json::parse(bad.text()));
}

TEST(JsonWriterTest, DoublesRoundTripExactlyAndStayDoubles) {
  const double values[] = {0.1, 1.0 / 3, -12.02, 118.0, 0.0, -0.0, 1e-300, 6.02214076e23,
                           std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()};
  for (double v : values) {
    JsonWriter w;
    w.Number(v);
    const auto parsed = nlohmann::json::parse(w.text());
    ASSERT_TRUE(parsed.is_number_float()) << w.text();
    EXPECT_EQ(parsed.get<double>(), v) << w.text();
  }
  JsonWriter w;
  w.BeginArray().Number(118.0).Number(1e21).EndArray();
  EXPECT_EQ(w.text(), "[118.0,1e+21]");
}

TEST(JsonWriterTest, NonFiniteNumbersAreNull) {
  JsonWriter w;
  w.BeginArray().Number(std::nan("")).Number(std::numeric_limits<double>::infinity()).Integer(-7).EndArray();
  EXPECT_EQ(w.text(), "[null,null,-7]");
}

TEST(JsonWriterTest, OptionalsAndEmptyStringsAreNull) {
  JsonWriter w;
  w.BeginArray()
      .OrNull(std::optional<int>())
      .OrNull(std::optional<int>(3))
      .OrNull(std::optional<double>(0.5))
      .OrNull(std::optional<bool>(true))
      .StringOrNull("")
      .StringOrNull("x")
      .EndArray();
  EXPECT_EQ(w.text(), R"([null,3,0.5,true,null,"x"])");
}

Track SampleTrack() {
  Track t;
  t.id = 42;
  t.title = "Glass \"Harbor\"";
  t.artists = {"Kestrel", "Björk"};
  t.release_year = 1977;
  t.duration_ms = 274000;
  t.genre = "r&b";
  t.explicit_lyrics = false;
  t.features.energy = 0.693;
  t.features.tempo_bpm = 118.0;
  t.features.key = 7;
  t.features.mode = 1;
  return t;
}

TEST(TrackJsonTest, EveryFieldWithUnknownsAsNull) {
  const nlohmann::json j = TrackToJson(SampleTrack());
  EXPECT_EQ(j["id"], 42);
  EXPECT_EQ(j["title"], "Glass \"Harbor\"");
  EXPECT_EQ(j["artists"], nlohmann::json({"Kestrel", "Björk"}));
  EXPECT_TRUE(j["album"].is_null());
  EXPECT_TRUE(j["external_id"].is_null());
  EXPECT_EQ(j["release_year"], 1977);
  EXPECT_EQ(j["explicit"], false);
  EXPECT_TRUE(j["popularity"].is_null());
  EXPECT_EQ(j["features"]["energy"], 0.693);
  EXPECT_TRUE(j["features"]["tempo_bpm"].is_number_float());
  EXPECT_EQ(j["features"]["key"], 7);
  EXPECT_TRUE(j["features"]["danceability"].is_null());
  EXPECT_EQ(j.size(), 16u);
  EXPECT_EQ(j["features"].size(), 12u);
}

TEST(RecommendJsonTest, TracksCarryMoodWaypointAndReasonBesideTheirFields) {
  PlaylistRequest request;
  request.mood = MoodEstimate::FromPoint({0.6, 0.3}, 0.8, "test");
  request.strategy = MoodStrategy::kMatch;
  Recommendation rec;
  rec.path = {{0.6, 0.3}, {0.5, 0.2}};
  PlaylistSlot slot;
  slot.track = SampleTrack();
  slot.mood.point = {0.62, 0.33};
  slot.waypoint = {0.6, 0.3};
  slot.reason = "valence 0.81 — bright";
  rec.slots.push_back(slot);
  rec.note = "only 1 track matches the filters";
  JsonWriter w;
  WriteRecommendation(w, request, rec);
  const nlohmann::json j = nlohmann::json::parse(w.text());
  EXPECT_EQ(j, RecommendationToJson(request, rec));
  EXPECT_EQ(j["strategy"], "match");
  EXPECT_EQ(j["mood"], MoodToJson(request.mood));
  EXPECT_EQ(j["path"], nlohmann::json({{0.6, 0.3}, {0.5, 0.2}}));
  ASSERT_EQ(j["tracks"].size(), 1u);
  const auto& t = j["tracks"][0];
  EXPECT_EQ(t["id"], 42);
  EXPECT_EQ(t["mood"]["valence"], 0.62);
  EXPECT_EQ(t["mood"]["emotion"], std::string(EmotionName(NearestEmotion(slot.mood.point))));
  EXPECT_EQ(t["waypoint"], nlohmann::json({0.6, 0.3}));
  EXPECT_EQ(t["reason"], "valence 0.81 — bright");
  EXPECT_EQ(j["note"], "only 1 track matches the filters");
}

TEST(AffectJsonTest, MoodHasEveryEmotionInItsDistribution) {
  const MoodEstimate m = MoodEstimate::FromPoint({-0.5, -0.4}, 0.7, "test");
  const nlohmann::json j = MoodToJson(m);
  EXPECT_EQ(j["emotion"], std::string(EmotionName(m.dominant())));
  EXPECT_EQ(j["valence"], m.valence);
  EXPECT_EQ(j["confidence"], m.confidence);
  ASSERT_EQ(j["distribution"].size(), AllEmotions().size());
  for (Emotion e : AllEmotions()) EXPECT_EQ(j["distribution"][std::string(EmotionName(e))], m.distribution[EmotionIndex(e)]);
}

}  // namespace
}  // namespace emotune
