// The library scan's bookkeeping, with a fake analyzer so each case runs in
// milliseconds: adding, skipping unchanged files, re-analysing touched ones, moves,
// removals, bad files, cancellation, a SIGKILLed scan, and the v4 → v5 migration.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/library_scanner.h"
#include "test_files.h"

namespace emotune {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using emotune::testing::ReadFile;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

// "Analyses" a file from its bytes: "bad…" fails, "art…" has a cover, "slow…" takes
// 50 ms, "hang…" never finishes (for the crash test); the title is the file name.
class FakeAnalyzer : public FileAnalyzer {
 public:
  explicit FakeAnalyzer(std::atomic<int>& calls) : calls_(calls) {}
  Result<AudioAnalysis> Analyze(const std::string& path, const AnalysisOptions&) override {
    ++calls_;
    const std::string bytes = ReadFile(path);
    if (bytes.starts_with("bad")) return Status::InvalidArgument(path + ": not an audio file");
    if (bytes.starts_with("slow")) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    while (bytes.starts_with("hang")) std::this_thread::sleep_for(std::chrono::seconds(1));
    AudioAnalysis a;
    a.path = path;
    a.tags.title = fs::path(path).stem().string();
    a.tags.artist = "Fake";
    a.descriptors.duration_s = static_cast<double>(bytes.size());
    a.descriptors.tempo_bpm = 120;
    a.descriptors.loudness_range_lu = 7.5;
    a.descriptors.energy = 0.5;
    if (bytes.starts_with("art")) a.cover_art = CoverArt{"image/png", {1, 2, 3}};
    return a;
  }

 private:
  std::atomic<int>& calls_;
};

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(db_path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }
  std::string Add(const std::string& name, const std::string& bytes = "music") {
    return WriteFile((music_ / name).string(), bytes);
  }
  ScanReport Scan(ScanOptions options = {}) {
    options.jobs = options.jobs ? options.jobs : 2;
    options.analyzer = [this] { return std::make_unique<FakeAnalyzer>(calls_); };
    auto report = ScanLibrary(*store_, {music_.string()}, options);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : ScanReport{};
  }
  std::vector<std::string> Titles() {
    auto tracks = store_->FindTracks({});
    EXPECT_TRUE(tracks.ok());
    std::vector<std::string> titles;
    for (const auto& t : *tracks) titles.push_back(t.title);
    return titles;
  }
  std::int64_t IdOf(const std::string& title) {
    const auto files = store_->LibraryFiles();
    for (const auto& f : *files)
      if (fs::path(f.path).stem() == title) return f.track_id;
    return 0;
  }

  TempDir dir_;
  fs::path music_ = dir_.path() / "music";
  std::string db_path_ = dir_.File("catalog.db");
  std::unique_ptr<CatalogStore> store_;
  std::atomic<int> calls_{0};
};

TEST_F(ScanTest, FirstScanAddsAudioFilesAndTheSecondSkipsThem) {
  Add("a.mp3");
  Add("B.FLAC");
  Add("deep/er/c.ogg");
  Add(".hidden/d.mp3");
  Add("notes.txt");
  ScanReport first = Scan();
  EXPECT_EQ(first.files, 3);
  EXPECT_EQ(first.analysed, 3);
  EXPECT_THAT(Titles(), UnorderedElementsAre("a", "B", "c"));
  ScanReport second = Scan();
  EXPECT_EQ(second.unchanged, 3);
  EXPECT_EQ(second.analysed, 0);
  EXPECT_EQ(calls_, 3);
}

TEST_F(ScanTest, TouchedFileIsReanalysedUnderItsId) {
  const std::string a = Add("a.mp3");
  Add("b.mp3");
  Scan();
  const std::int64_t id = IdOf("a");
  WriteFile(a, "music, remastered");
  fs::last_write_time(a, fs::last_write_time(a) + std::chrono::seconds(5));
  ScanReport again = Scan();
  EXPECT_EQ(again.analysed, 1);
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(IdOf("a"), id);
  EXPECT_EQ(store_->GetTrack(id)->duration_ms, 17000);  // the fake's duration: the new size
}

TEST_F(ScanTest, MovedFileKeepsItsIdAndFeedback) {
  const std::string a = Add("a.mp3", "one song");
  Add("b.mp3", "another song");
  Scan();
  const std::int64_t id = IdOf("a");
  ASSERT_TRUE(store_->AddFeedback("ann", id, FeedbackKind::kLike).ok());
  fs::create_directories(music_ / "moved");
  fs::rename(a, music_ / "moved" / "renamed.mp3");
  ScanReport report = Scan();
  EXPECT_EQ(report.moved, 1);
  EXPECT_EQ(report.analysed, 0);
  EXPECT_EQ(report.gone, 0);
  auto track = store_->GetTrack(id);
  ASSERT_TRUE(track.ok());
  EXPECT_EQ(track->file_path, (music_ / "moved" / "renamed.mp3").string());
  EXPECT_EQ(store_->CountTracks({}).value(), 2);
  ASSERT_EQ(store_->UserFeedback("ann")->size(), 1u);
  EXPECT_EQ(store_->UserFeedback("ann")->front().track_id, id);
  EXPECT_EQ(Scan().unchanged, 2);  // the new path is now the known one
}

TEST_F(ScanTest, DeletedFileIsGoneAndComesBackWithItsId) {
  Add("a.mp3");
  const std::string b = Add("b.mp3", "bee");
  Scan();
  const std::int64_t id = IdOf("b");
  ASSERT_TRUE(store_->AddPlay("ann", id).ok());
  fs::remove(b);
  EXPECT_EQ(Scan().gone, 1);
  EXPECT_THAT(Titles(), ElementsAre("a"));
  EXPECT_EQ(store_->CountTracks({}).value(), 1);
  EXPECT_TRUE(store_->GetTrack(id).ok());  // by id it is still the track the history names
  EXPECT_EQ(Scan().gone, 0);               // already gone: not counted twice

  WriteFile(b, "bee");  // back, with a new mtime: analysed again, same identity
  ScanReport back = Scan();
  EXPECT_EQ(back.analysed, 1);
  EXPECT_EQ(IdOf("b"), id);
  EXPECT_THAT(Titles(), UnorderedElementsAre("a", "b"));
  EXPECT_THAT(*store_->RecentlyPlayed("ann", 5), ElementsAre(id));

  // Gone and back untouched (a remounted disk): no analysis at all.
  const auto mtime = fs::last_write_time(b);
  fs::rename(b, dir_.File("aside.mp3"));
  EXPECT_EQ(Scan().gone, 1);
  fs::rename(dir_.File("aside.mp3"), b);
  fs::last_write_time(b, mtime);
  const int calls = calls_;
  EXPECT_EQ(Scan().moved, 1);
  EXPECT_EQ(calls_, calls);
  EXPECT_EQ(store_->CountTracks({}).value(), 2);
}

TEST_F(ScanTest, BadFileIsReportedAndNotRetriedUntilItChanges) {
  Add("a.mp3");
  const std::string bad = Add("bad.mp3", "bad bytes");
  Add("c.mp3");
  ScanReport report = Scan();
  EXPECT_EQ(report.analysed, 2);
  EXPECT_EQ(report.failed, 1);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].path, bad);
  EXPECT_EQ(report.failures[0].reason, "not an audio file");
  const auto files = *store_->LibraryFiles();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[1].status, LibraryFileStatus::kFailed);
  EXPECT_EQ(files[1].failure, "not an audio file");
  EXPECT_EQ(files[1].track_id, 0);

  EXPECT_EQ(Scan().unchanged, 3);
  EXPECT_EQ(calls_, 3);
  WriteFile(bad, "fixed now");
  fs::last_write_time(bad, fs::last_write_time(bad) + std::chrono::seconds(5));
  ScanReport fixed = Scan();
  EXPECT_EQ(fixed.analysed, 1);
  EXPECT_EQ(fixed.failed, 0);
  EXPECT_THAT(Titles(), UnorderedElementsAre("a", "bad", "c"));
}

TEST_F(ScanTest, KeepsCoverArtAndEveryDescriptor) {
  Add("a.mp3", "art and music");
  Scan();
  const std::int64_t id = IdOf("a");
  auto art = store_->TrackCoverArt(id);
  ASSERT_TRUE(art.ok() && art->has_value());
  EXPECT_EQ((*art)->mime_type, "image/png");
  EXPECT_THAT((*art)->bytes, ElementsAre(1, 2, 3));
  auto json = nlohmann::json::parse(*store_->TrackDescriptors(id));
  EXPECT_DOUBLE_EQ(json["loudness_range_lu"].get<double>(), 7.5);
  EXPECT_DOUBLE_EQ(json["tempo_bpm"].get<double>(), 120);
  EXPECT_THAT(store_->GetTrack(id)->features.tempo_bpm, ::testing::Optional(120.0));
}

TEST_F(ScanTest, StoppedScanKeepsWhatFinishedAndTheNextResumes) {
  for (int i = 0; i < 8; ++i) Add(fmt::format("t{}.mp3", i), "slow");
  std::atomic<int> finished{0};
  ScanOptions options;
  options.jobs = 1;
  options.progress = [&](const ScanProgress&) { ++finished; };
  options.should_stop = [&] { return finished >= 3; };
  ScanReport stopped = Scan(options);
  EXPECT_TRUE(stopped.stopped);
  EXPECT_GE(stopped.analysed, 3);
  EXPECT_LT(stopped.analysed, 8);
  EXPECT_EQ(stopped.pending, 8 - stopped.analysed);
  EXPECT_EQ(store_->CountTracks({}).value(), stopped.analysed);
  const int calls = calls_;
  ScanReport resumed = Scan();
  EXPECT_FALSE(resumed.stopped);
  EXPECT_EQ(resumed.analysed, 8 - stopped.analysed);
  EXPECT_EQ(resumed.unchanged, stopped.analysed);
  EXPECT_EQ(calls_ - calls, 8 - stopped.analysed);
}

TEST_F(ScanTest, SigkilledScanLosesNothingCommitted) {
  Add("a1.mp3");
  Add("a2.mp3");
  Add("z1.mp3", "hang");
  Add("z2.mp3", "hang");
  store_.reset();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenSqliteStore(db_path_);
    ScanOptions options;
    options.jobs = 1;
    options.analyzer = [this] { return std::make_unique<FakeAnalyzer>(calls_); };
    (void)ScanLibrary(**store, {music_.string()}, options);
    ::_exit(0);
  }
  SetUp();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (store_->CountTracks({}).value() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_THAT(Titles(), ElementsAre("a1", "a2"));
  Add("z1.mp3", "done now");
  Add("z2.mp3", "done too");
  ScanReport resumed = Scan();
  EXPECT_EQ(resumed.unchanged, 2);
  EXPECT_EQ(resumed.analysed, 2);
}

TEST_F(ScanTest, MissingFolderIsNotFound) {
  auto report = ScanLibrary(*store_, {dir_.File("nowhere")});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(report.status().message(), HasSubstr("nowhere"));
}

TEST_F(ScanTest, SymlinkLoopIsWalkedOnce) {
  Add("a.mp3");
  fs::create_directory_symlink(music_, music_ / "loop");
  EXPECT_EQ(Scan().files, 1);
}

TEST(LibraryFilesTest, FingerprintFollowsContentNotName) {
  TempDir dir;
  const auto a = WriteFile(dir.File("a"), std::string(300000, 'x') + "end");
  const auto b = WriteFile(dir.File("b"), std::string(300000, 'x') + "end");
  const auto c = WriteFile(dir.File("c"), std::string(300000, 'x') + "END");
  EXPECT_EQ(*FileFingerprint(a), *FileFingerprint(b));
  EXPECT_NE(*FileFingerprint(a), *FileFingerprint(c));
  EXPECT_FALSE(FileFingerprint(dir.File("none")).ok());
}

TEST(LibraryFilesTest, AudioExtensions) {
  for (const char* p : {"x.mp3", "x.OGG", "a/b.Opus", "x.flac", "x.wav", "x.aiff", "x.m4a", "x.aac"})
    EXPECT_TRUE(HasAudioExtension(p)) << p;
  for (const char* p : {"x.txt", "x.jpg", "mp3", "a.mp3/b", "x."}) EXPECT_FALSE(HasAudioExtension(p)) << p;
}

TEST(LibraryMigrationTest, Version4CatalogKeepsItsDataAndGainsTheLibrary) {
  TempDir dir;
  const std::string path = dir.File("v4.db");
  std::int64_t id = 0;
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok());
    Track t;
    t.title = "Imported";
    auto w = (*store)->BeginWrite();
    ASSERT_TRUE((*w)->Put(t).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    id = (*store)->FindTracks({})->front().id;
    ASSERT_TRUE((*store)->AddFeedback("ann", id, FeedbackKind::kSkip).ok());
  }
  // What version 4 had: everything but the library tables.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE library_files; DROP TABLE cover_art; PRAGMA user_version = 4;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->SchemaVersion(), 5);
  EXPECT_EQ((*store)->GetTrack(id)->title, "Imported");
  EXPECT_EQ((*store)->UserFeedback("ann")->size(), 1u);
  EXPECT_TRUE((*store)->LibraryFiles()->empty());
  EXPECT_EQ((*store)->CountTracks({}).value(), 1);
}

}  // namespace
}  // namespace emotune
