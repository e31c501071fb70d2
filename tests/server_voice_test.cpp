// POST /api/mood/voice in process: raw bodies (WAV, WebM/Opus as MediaRecorder
// sends) and multipart uploads read in memory; refusals — wrong content type (415),
// empty (400), too large (413), no speech (422), no model (503).
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/voice_json.h"
#include "emotune/voice_mood.h"
#include "emotune/web_server.h"
#include "voice_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;
using testing::TempDir;

class ServerVoiceTest : public ::testing::Test {
 protected:
  void Start(bool with_voice) {
    auto store = OpenSqliteStore(dir_.File("catalog.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    ServerOptions options;
    options.port = 0;
    options.max_body_bytes = 512 * 1024;
    ServerServices services;
    if (with_voice) {
      auto reader = std::make_shared<VoiceMoodReader>(testing::TinyVoiceModel(), VoiceMoodOptions{});
      services.voice = [reader](std::span<const std::uint8_t> audio) -> Result<json> {
        auto result = reader->ReadMemory(audio, "the recording");
        if (!result.ok()) return result.status();
        return VoiceMoodToJson(*result);
      };
    }
    auto server = WebServer::Create(options, std::move(*store), services);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    thread_ = std::thread([this] { (void)server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    for (int i = 0; i < 100 && !client_->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Wav(const testing::Signal& s) { return testing::ReadFile(testing::WriteWav(dir_.File("x.wav"), s)); }

  TempDir dir_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  testing::Signal voice_ = testing::Padded(testing::SyntheticVoice(2.0, 16000, testing::Lively(4)), 0.4);
};

TEST_F(ServerVoiceTest, ReadsARecordingFromTheBody) {
  Start(true);
  auto res = client_->Post("/api/mood/voice", Wav(voice_), "audio/wav");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json j = json::parse(res->body);
  for (const char* key : {"emotion", "confidence", "valence", "arousal", "distribution", "utterances"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["emotion"], "anger");
  EXPECT_TRUE(json::parse(client_->Get("/healthz")->body)["voice_model"].get<bool>());
}

TEST_F(ServerVoiceTest, ReadsWebmOpusAsMediaRecorderSendsIt) {
  Start(true);
  testing::Signal at48{{}, 1, 48000};
  for (std::size_t i = 0; i < voice_.samples.size() * 3; ++i) at48.samples.push_back(voice_.samples[i / 3]);
  auto path = testing::EncodeWithLibav(dir_.File("rec.webm"), at48, "libopus");
  if (!path) GTEST_SKIP() << "this FFmpeg has no Opus encoder";
  auto res = client_->Post("/api/mood/voice", testing::ReadFile(*path), "audio/webm;codecs=opus");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["audio"]["codec"], "opus");
}

TEST_F(ServerVoiceTest, ReadsAMultipartUpload) {
  Start(true);
  httplib::MultipartFormDataItems items = {{"audio", Wav(voice_), "clip.wav", "audio/wav"}};
  auto res = client_->Post("/api/mood/voice", items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  httplib::MultipartFormDataItems wrong = {{"image", Wav(voice_), "clip.wav", "audio/wav"}};
  auto missing = client_->Post("/api/mood/voice", wrong);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_THAT(missing->body, HasSubstr("'audio'"));
}

TEST_F(ServerVoiceTest, RefusesWhatItCannotRead) {
  Start(true);
  const auto post = [&](const std::string& body, const char* type) {
    auto res = client_->Post("/api/mood/voice", body, type);
    EXPECT_TRUE(res);
    EXPECT_TRUE(json::parse(res->body).contains("error")) << res->body;
    return res->status;
  };
  EXPECT_EQ(post("hello", "text/plain"), 415);
  EXPECT_EQ(post("", "audio/wav"), 400);
  EXPECT_EQ(post(std::string(600 * 1024, 'a'), "audio/wav"), 413);
  EXPECT_EQ(post(Wav(testing::Silence(2, 16000)), "audio/wav"), 422);
  EXPECT_EQ(post("definitely not audio, just words", "audio/ogg"), 400);
}

TEST_F(ServerVoiceTest, SaysWhenNoVoiceModelIsLoaded) {
  Start(false);
  auto res = client_->Post("/api/mood/voice", Wav(voice_), "audio/wav");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

}  // namespace
}  // namespace emotune
