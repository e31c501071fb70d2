// The HTTP API, in process: a WebServer on a free loopback port over a small SQLite
// catalog the test writes, driven with cpp-httplib's client. Covers every route's
// success and its refusals (404, 413, 415, 400 naming the field, 401 without the
// token), HTTP Range on audio, and that feedback and plays reach the catalog.
#include <span>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/web_server.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;
using nlohmann::json;

// Reads "happy" as joy and anything else as sadness: enough to see the route work.
class ScriptedReader : public TextMoodReader {
 public:
  Result<MoodEstimate> ReadMood(std::string_view text) const override {
    if (text.find_first_not_of(" \t\n") == std::string_view::npos) return Status::InvalidArgument("no text");
    const Emotion e = text.find("happy") != std::string_view::npos ? Emotion::kJoy : Emotion::kSadness;
    return MoodEstimate::FromPoint(EmotionPlace(e), 0.9, "text");
  }
};

class ServerApiTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  // Restarts the server with a face reader: "FACE…" bytes hold a joyful face, anything
  // else none; the answer echoes whether the route asked for a live (webcam) read.
  void StartWithFaces() {
    Stop();
    face_ = [](std::span<const std::uint8_t> image, bool live) -> Result<json> {
      if (image.size() < 4 || std::string(image.begin(), image.begin() + 4) != "FACE") return Status::NotFound("no face found");
      return json{{"emotion", "joy"}, {"live", live}, {"bytes", image.size()}};
    };
    Start({});
  }
  void TearDown() override { Stop(); }

  void Start(ServerOptions options) {
    auto store = OpenSqliteStore(dir_.File("catalog.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    if (!seeded_) Seed(**store);
    options.port = 0;
    options.max_body_bytes = 64 * 1024;
    ServerServices services;
    services.text = std::make_shared<ScriptedReader>();
    services.face = face_;
    auto server = WebServer::Create(options, std::move(*store), services);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    thread_ = std::thread([this] { (void)server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    for (int i = 0; i < 100 && !client_->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  void Stop() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  void Seed(CatalogStore& store) {
    seeded_ = true;
    audio_ = std::string(100000, '\0');
    for (std::size_t i = 0; i < audio_.size(); ++i) audio_[i] = static_cast<char>(i * 7 % 251);
    WriteFile(dir_.File("song.ogg"), audio_);
    auto writer = store.BeginWrite();
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 12; ++i) {
      Track t;
      t.title = "Song " + std::to_string(i);
      t.artists = {"Artist " + std::to_string(i % 5)};
      t.genre = i % 2 ? "jazz" : "rock";
      t.features.spotify_valence = (i % 6) / 5.0;
      t.features.energy = (i % 4) / 3.0;
      if (i == 0) t.file_path = dir_.File("song.ogg");
      ASSERT_TRUE((*writer)->Put(t).ok());
    }
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  static json Json(const httplib::Result& r) { return json::parse(r->body); }
  httplib::Result PostJson(const std::string& path, const std::string& body) {
    return client_->Post(path.c_str(), body, "application/json");
  }

  TempDir dir_;
  std::function<Result<json>(std::span<const std::uint8_t>, bool)> face_;
  bool seeded_ = false;
  std::string audio_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerApiTest, HealthMetricsAndOpenApi) {
  auto health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Json(health)["tracks"], 12);
  auto doc = client_->Get("/api/openapi.json");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(Json(doc)["paths"].contains("/api/recommend"));
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, HasSubstr("emotune_http_requests_total{route=\"/healthz\",status=\"200\"}"));
  EXPECT_THAT(metrics->body, HasSubstr("emotune_catalog_tracks 12"));
}

TEST_F(ServerApiTest, BadRequestsGetClearRefusals) {
  auto unknown = client_->Get("/api/nothing-here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_THAT(Json(unknown)["error"].get<std::string>(), HasSubstr("no such route"));
  auto plain = client_->Post("/api/mood/text", "hello", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);
  auto broken = PostJson("/api/mood/text", "{\"text\": ");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400);
  auto wrong_type = PostJson("/api/mood/text", R"({"text": 5})");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_THAT(Json(wrong_type)["error"].get<std::string>(), HasSubstr("'text'"));
  auto missing = PostJson("/api/mood/text", "{}");
  ASSERT_TRUE(missing);
  EXPECT_THAT(Json(missing)["error"].get<std::string>(), HasSubstr("'text' is required"));
  auto bad_utf8 = PostJson("/api/mood/text", "{\"text\": \"\xff\xfe\"}");
  ASSERT_TRUE(bad_utf8);
  EXPECT_EQ(bad_utf8->status, 400);
  auto huge = PostJson("/api/mood/text", "{\"text\": \"" + std::string(100 * 1024, 'a') + "\"}");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  auto no_face_model = client_->Post("/api/mood/image", "abc", "image/jpeg");
  ASSERT_TRUE(no_face_model);
  EXPECT_EQ(no_face_model->status, 503);
}

TEST_F(ServerApiTest, MoodFromAnImageRawOrMultipart) {
  StartWithFaces();
  auto raw = client_->Post("/api/mood/image", "FACE-jpeg-bytes", "image/jpeg");
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->status, 200) << raw->body;
  EXPECT_EQ(Json(raw)["emotion"], "joy");
  EXPECT_EQ(Json(raw)["live"], false);
  EXPECT_EQ(Json(raw)["bytes"], 15);
  auto live = client_->Post("/api/mood/image?live=1", "FACE-frame", "image/jpeg");
  ASSERT_EQ(live->status, 200) << live->body;
  EXPECT_EQ(Json(live)["live"], true);
  httplib::MultipartFormDataItems form = {{"image", "FACE-png-bytes", "me.png", "image/png"}};
  auto multipart = client_->Post("/api/mood/image", form);
  ASSERT_EQ(multipart->status, 200) << multipart->body;
  EXPECT_EQ(Json(multipart)["bytes"], 14);
  httplib::MultipartFormDataItems wrong_field = {{"photo", "FACE", "me.png", "image/png"}};
  auto missing = client_->Post("/api/mood/image", wrong_field);
  EXPECT_EQ(missing->status, 400);
  EXPECT_THAT(Json(missing)["error"].get<std::string>(), HasSubstr("'image'"));
  EXPECT_EQ(client_->Post("/api/mood/image", "FACE", "text/plain")->status, 415);
  EXPECT_EQ(client_->Post("/api/mood/image", "", "image/jpeg")->status, 400);
  auto no_face = client_->Post("/api/mood/image", "a wall", "image/jpeg");
  EXPECT_EQ(no_face->status, 422);
  EXPECT_THAT(Json(no_face)["error"].get<std::string>(), HasSubstr("no face"));
  EXPECT_EQ(client_->Post("/api/mood/image", std::string(65 * 1024, 'F'), "image/jpeg")->status, 413);
}

TEST_F(ServerApiTest, MoodFromTextAndAChat) {
  auto mood = PostJson("/api/mood/text", R"({"text": "so happy"})");
  ASSERT_TRUE(mood);
  ASSERT_EQ(mood->status, 200) << mood->body;
  EXPECT_EQ(Json(mood)["emotion"], "joy");
  for (const char* key : {"confidence", "valence", "arousal", "distribution"}) EXPECT_TRUE(Json(mood).contains(key));
  auto open = PostJson("/api/chat", "{}");
  ASSERT_TRUE(open);
  const json greeting = Json(open);
  ASSERT_TRUE(greeting.contains("session"));
  EXPECT_FALSE(greeting["reply"].get<std::string>().empty());
  auto turn = PostJson("/api/chat", json{{"session", greeting["session"]}, {"message", "I am so happy today"}}.dump());
  ASSERT_TRUE(turn);
  ASSERT_EQ(turn->status, 200) << turn->body;
  EXPECT_EQ(Json(turn)["session"], greeting["session"]);
  EXPECT_EQ(Json(turn)["turn"], 1);
  EXPECT_EQ(Json(turn)["mood"]["emotion"], "joy");
}

TEST_F(ServerApiTest, RecommendHonoursFiltersAndChecksFields) {
  auto rec = PostJson("/api/recommend", R"({"emotion": "joy", "n": 4, "genre": "jazz"})");
  ASSERT_TRUE(rec);
  ASSERT_EQ(rec->status, 200) << rec->body;
  const json doc = Json(rec);
  EXPECT_EQ(doc["tracks"].size(), 4u);
  for (const auto& t : doc["tracks"]) EXPECT_EQ(t["genre"], "jazz");
  EXPECT_EQ(PostJson("/api/recommend", R"({"emotion": "hangry"})")->status, 400);
  EXPECT_EQ(PostJson("/api/recommend", R"({"emotion": "joy", "va": [0, 0]})")->status, 400);
  auto far = PostJson("/api/recommend", R"({"va": [2, 0]})");
  EXPECT_EQ(far->status, 400);
  EXPECT_THAT(Json(far)["error"].get<std::string>(), HasSubstr("'va'"));
  EXPECT_EQ(PostJson("/api/recommend", R"({"like": 999999})")->status, 404);
  auto by_text = PostJson("/api/recommend", R"({"text": "so happy", "n": 3})");
  ASSERT_EQ(by_text->status, 200);
  EXPECT_EQ(Json(by_text)["mood"]["emotion"], "joy");
}

TEST_F(ServerApiTest, PlaylistsSeeTracksAnotherConnectionAdds) {
  // The first request builds the server's kept index; a scan or import in another
  // connection must not leave it stale.
  auto before = PostJson("/api/recommend", R"({"emotion": "joy", "n": 5, "genre": "ambient"})");
  ASSERT_EQ(before->status, 200) << before->body;
  EXPECT_EQ(Json(before)["tracks"].size(), 0u);
  {
    auto other = OpenSqliteStore(dir_.File("catalog.db"));
    ASSERT_TRUE(other.ok());
    auto writer = (*other)->BeginWrite();
    ASSERT_TRUE(writer.ok());
    Track t;
    t.title = "Late Arrival";
    t.artists = {"Newcomer"};
    t.genre = "ambient";
    t.features.spotify_valence = 0.8;
    t.features.energy = 0.6;
    ASSERT_TRUE((*writer)->Put(t).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  auto after = PostJson("/api/recommend", R"({"emotion": "joy", "n": 5, "genre": "ambient"})");
  ASSERT_EQ(after->status, 200) << after->body;
  ASSERT_EQ(Json(after)["tracks"].size(), 1u);
  EXPECT_EQ(Json(after)["tracks"][0]["title"], "Late Arrival");
}

TEST_F(ServerApiTest, AudioStreamsByIdWithRanges) {
  const json tracks = Json(client_->Get("/api/tracks?limit=50"));
  std::int64_t with_file = 0, without_file = 0;
  for (const auto& t : tracks["tracks"]) (t["file_path"].is_null() ? without_file : with_file) = t["id"];
  ASSERT_GT(with_file, 0);
  const std::string url = "/api/tracks/" + std::to_string(with_file) + "/audio";
  auto whole = client_->Get(url.c_str());
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body, audio_);
  EXPECT_EQ(whole->get_header_value("Accept-Ranges"), "bytes");
  auto part = client_->Get(url.c_str(), {{"Range", "bytes=1000-1999"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, audio_.substr(1000, 1000));
  EXPECT_EQ(part->get_header_value("Content-Range"), "bytes 1000-1999/100000");
  auto tail = client_->Get(url.c_str(), {{"Range", "bytes=99990-"}});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->body, audio_.substr(99990));
  auto clamped = client_->Get(url.c_str(), {{"Range", "bytes=99000-500000"}});
  ASSERT_TRUE(clamped);
  EXPECT_EQ(clamped->get_header_value("Content-Range"), "bytes 99000-99999/100000");
  auto beyond = client_->Get(url.c_str(), {{"Range", "bytes=200000-300000"}});
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 416);
  EXPECT_EQ(beyond->get_header_value("Content-Range"), "bytes */100000");
  EXPECT_EQ(client_->Get(("/api/tracks/" + std::to_string(without_file) + "/audio").c_str())->status, 404);
  EXPECT_EQ(client_->Get("/api/tracks/999999/audio")->status, 404);
  // A path never reaches the file system: only ids are routes.
  EXPECT_EQ(client_->Get("/api/tracks/..%2F..%2Fetc%2Fpasswd/audio")->status, 404);
  auto cover = client_->Get(("/api/tracks/" + std::to_string(with_file) + "/cover").c_str());
  ASSERT_TRUE(cover);
  EXPECT_EQ(cover->status, 200);
  EXPECT_THAT(cover->get_header_value("Content-Type"), HasSubstr("image/"));
}

TEST_F(ServerApiTest, FeedbackPlaysAndExport) {
  EXPECT_EQ(PostJson("/api/feedback", R"({"user": "ana", "track": 1, "kind": "like"})")->status, 200);
  EXPECT_EQ(PostJson("/api/feedback", R"({"user": "ana", "track": 2, "kind": "play"})")->status, 200);
  EXPECT_EQ(PostJson("/api/feedback", R"({"user": "ana", "track": 999999, "kind": "like"})")->status, 404);
  auto bad_kind = PostJson("/api/feedback", R"({"user": "ana", "track": 1, "kind": "meh"})");
  EXPECT_EQ(bad_kind->status, 400);
  EXPECT_THAT(Json(bad_kind)["error"].get<std::string>(), HasSubstr("'kind'"));
  const json history = Json(client_->Get("/api/history?user=ana"));
  EXPECT_EQ(history["recently_played"], json::array({2}));
  EXPECT_EQ(history["feedback"][0]["kind"], "like");
  auto m3u = PostJson("/api/export", R"({"format": "m3u8", "tracks": [1, 2]})");
  ASSERT_TRUE(m3u);
  EXPECT_EQ(m3u->status, 200);
  EXPECT_THAT(m3u->body, HasSubstr("#EXTM3U"));
  EXPECT_THAT(m3u->body, HasSubstr("Song 1"));
  EXPECT_EQ(PostJson("/api/export", R"({"format": "wav", "tracks": [1]})")->status, 400);
  auto clusters = client_->Get("/api/clusters?k=3");
  ASSERT_TRUE(clusters);
  EXPECT_EQ(clusters->status, 200);
  EXPECT_EQ(Json(clusters)["clusters"].size(), 3u);
}

TEST_F(ServerApiTest, TheStaticPageIsServedWhenAWebFolderIsGiven) {
  Stop();
  WriteFile(dir_.File("web/index.html"), "<!doctype html><title>Emotune</title>");
  ServerOptions options;
  options.web_root = dir_.File("web");
  Start(options);
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Emotune"));
  EXPECT_EQ(client_->Get("/api/whatever")->status, 404);
}

TEST_F(ServerApiTest, ATokenGuardsTheApi) {
  Stop();
  ServerOptions options;
  options.token = "s3cret";
  Start(options);
  EXPECT_EQ(client_->Get("/healthz")->status, 200);  // liveness stays open
  EXPECT_EQ(client_->Get("/api/tracks")->status, 401);
  EXPECT_EQ(client_->Get("/metrics")->status, 401);
  EXPECT_EQ(client_->Get("/api/tracks", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(client_->Get("/api/tracks", {{"Authorization", "Bearer s3cret"}})->status, 200);
  EXPECT_EQ(client_->Get("/api/tracks/1/cover?access_token=s3cret")->status, 200);
  EXPECT_EQ(client_->Get("/api/tracks?access_token=s3cret")->status, 401);  // only media may use the query
}

TEST(ServerSafetyTest, OtherAddressesNeedAToken) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("c.db"));
  ASSERT_TRUE(store.ok());
  ServerOptions options;
  options.host = "0.0.0.0";
  options.port = 0;
  auto refused = WebServer::Create(options, std::move(*store), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("token"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.4"));
}

}  // namespace
}  // namespace emotune
