// Recommendation cases as data files (tests/data/recommend/*.case), in the spirit of
// DuckDB's sqllogictests: each file is a request in and the properties its playlist
// must have out, run through the real `emotune` binary on the bundled demo catalog.
//
// A case file, line by line ('#' starts a comment):
//   setup ARGS…              run an emotune command first (feedback, history); must succeed
//   run ARGS…                the request (`recommend …`; --json is added)
//   exit N                   its exit status (default 0; non-zero skips the playlist checks)
//   error TEXT               its stderr contains TEXT
//   count N | count <= N     how many tracks came back
//   note empty | note contains TEXT
//   all FIELD = V | all FIELD in A..B | all FIELD <= V
//                            every track's genre, language, release_year, duration_ms or
//                            artist (any credited one, case-insensitive) satisfies it
//   path monotone            each waypoint is no farther from the last one than the one before
//   trend valence|arousal up|down
//                            the last third of the tracks averages higher (lower) than the first
//   first near EMOTION D | last near EMOTION D
//                            that track's mood point is within D of the emotion's place
//   approaches EMOTION       the last track is nearer the emotion's place than the first
//   no adjacent artist       no artist credited on two tracks in a row
//   artist share <= X        no artist on more than X of the tracks
//   distinct titles          no title twice
//   top "TITLE" "TITLE" …    the playlist opens with exactly these tracks
//   absent "TITLE"           this track is not on the playlist
//   reasons mention TEXT     every track's reason contains TEXT
//   deterministic            running the request again gives the same playlist
// In ARGS, ${Title} stands for the catalog id of the track with that title.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/ascii_text.h"
#include "emotune/emotion.h"
#include "test_files.h"

namespace emotune {
namespace {

using emotune::testing::CommandResult;
using emotune::testing::RunCommand;
using emotune::testing::TempDir;
using nlohmann::json;

std::filesystem::path SourceDir() { return std::filesystem::path(__FILE__).parent_path(); }

// Splits on spaces; double quotes group words ("Broken Gardens").
std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

std::string Rest(const std::vector<std::string>& w, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < w.size(); ++i) out += (i > from ? " " : "") + w[i];
  return out;
}

class RecommendCaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const CommandResult r = Emotune({"import", (SourceDir().parent_path() / "examples/demo-catalog.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const CommandResult all = Emotune({"tracks", "--json", "-n", "100000"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    const json doc = json::parse(all.out);
    for (const auto& t : doc["tracks"]) ids_[t["title"].get<std::string>()] = t["id"].get<std::int64_t>();
  }

  CommandResult Emotune(std::vector<std::string> args) {
    args.insert(args.begin(), {EMOTUNE_BINARY, "--db", dir_.File("catalog.db")});
    return RunCommand(args);
  }

  // ${Title} → that track's id.
  std::vector<std::string> Resolve(std::vector<std::string> args) {
    for (auto& a : args) {
      if (a.size() > 3 && a.starts_with("${") && a.ends_with("}")) {
        const std::string title = a.substr(2, a.size() - 3);
        EXPECT_TRUE(ids_.count(title)) << "no track titled " << title;
        a = std::to_string(ids_[title]);
      }
    }
    return args;
  }

  TempDir dir_;
  std::map<std::string, std::int64_t> ids_;
};

std::string Field(const json& track, const std::string& field) {
  const json& v = track.at(field);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

bool ArtistMatches(const json& track, const std::string& artist) {
  for (const auto& a : track["artists"])
    if (AsciiLower(a.get<std::string>()) == AsciiLower(artist)) return true;
  return false;
}

AffectPoint MoodPoint(const json& track) { return {track["mood"]["valence"], track["mood"]["arousal"]}; }

void CheckProperty(const std::vector<std::string>& w, const json& doc, const std::string& where) {
  SCOPED_TRACE(where);
  const json& tracks = doc["tracks"];
  const std::string& what = w[0];
  if (what == "count") {
    if (w[1] == "<=") {
      EXPECT_LE(tracks.size(), std::stoul(w[2]));
    } else {
      EXPECT_EQ(tracks.size(), std::stoul(w[1]));
    }
  } else if (what == "note") {
    if (w[1] == "empty") {
      EXPECT_EQ(doc["note"], "");
    } else {
      EXPECT_NE(doc["note"].get<std::string>().find(Rest(w, 2)), std::string::npos) << doc["note"];
    }
  } else if (what == "all") {
    ASSERT_GE(w.size(), 4u);
    for (const auto& t : tracks) {
      if (w[1] == "artist") {
        EXPECT_TRUE(ArtistMatches(t, Rest(w, 3))) << t["artists"];
      } else if (w[2] == "=") {
        EXPECT_EQ(AsciiLower(Field(t, w[1])), AsciiLower(Rest(w, 3))) << t["title"];
      } else if (w[2] == "<=") {
        EXPECT_LE(t.at(w[1]).get<double>(), std::stod(w[3])) << t["title"];
      } else if (w[2] == "in") {
        const auto dots = w[3].find("..");
        const double v = t.at(w[1]).get<double>();
        EXPECT_GE(v, std::stod(w[3].substr(0, dots))) << t["title"];
        EXPECT_LE(v, std::stod(w[3].substr(dots + 2))) << t["title"];
      } else {
        ADD_FAILURE() << "unknown comparison " << w[2];
      }
    }
  } else if (what == "path") {
    const json& path = doc["path"];
    ASSERT_FALSE(path.empty());
    const AffectPoint end{path.back()[0], path.back()[1]};
    for (std::size_t i = 1; i < path.size(); ++i)
      EXPECT_LE(Distance({path[i][0], path[i][1]}, end), Distance({path[i - 1][0], path[i - 1][1]}, end) + 1e-9)
          << "waypoint " << i;
  } else if (what == "trend") {
    const std::size_t third = tracks.size() / 3;
    ASSERT_GE(third, 1u);
    double first = 0, last = 0;
    for (std::size_t i = 0; i < third; ++i) {
      first += tracks[i]["mood"][w[1]].get<double>();
      last += tracks[tracks.size() - 1 - i]["mood"][w[1]].get<double>();
    }
    if (w[2] == "up") {
      EXPECT_GT(last, first);
    } else {
      EXPECT_LT(last, first);
    }
  } else if (what == "first" || what == "last") {
    ASSERT_FALSE(tracks.empty());
    const auto emotion = ParseEmotion(w[2]);
    ASSERT_TRUE(emotion.ok()) << w[2];
    const json& t = what == "first" ? tracks.front() : tracks.back();
    EXPECT_LE(Distance(MoodPoint(t), EmotionPlace(*emotion)), std::stod(w[3])) << t["title"];
  } else if (what == "approaches") {
    ASSERT_FALSE(tracks.empty());
    const auto emotion = ParseEmotion(w[1]);
    ASSERT_TRUE(emotion.ok()) << w[1];
    EXPECT_LT(Distance(MoodPoint(tracks.back()), EmotionPlace(*emotion)),
              Distance(MoodPoint(tracks.front()), EmotionPlace(*emotion)));
  } else if (what == "no") {  // no adjacent artist
    for (std::size_t i = 1; i < tracks.size(); ++i)
      for (const auto& a : tracks[i]["artists"])
        EXPECT_FALSE(ArtistMatches(tracks[i - 1], a.get<std::string>())) << "tracks " << i - 1 << " and " << i;
  } else if (what == "artist") {  // artist share <= X
    std::map<std::string, int> per_artist;
    for (const auto& t : tracks)
      for (const auto& a : t["artists"]) ++per_artist[AsciiLower(a.get<std::string>())];
    for (const auto& [artist, n] : per_artist)
      EXPECT_LE(n, std::stod(w[3]) * static_cast<double>(tracks.size()) + 1e-9) << artist;
  } else if (what == "distinct") {
    std::set<std::string> titles;
    for (const auto& t : tracks) EXPECT_TRUE(titles.insert(AsciiLower(t["title"].get<std::string>())).second) << t["title"];
  } else if (what == "top") {
    ASSERT_GE(tracks.size(), w.size() - 1);
    for (std::size_t i = 1; i < w.size(); ++i) EXPECT_EQ(tracks[i - 1]["title"], w[i]) << "position " << i;
  } else if (what == "absent") {
    for (const auto& t : tracks) EXPECT_NE(t["title"], Rest(w, 1));
  } else if (what == "reasons") {
    for (const auto& t : tracks) EXPECT_NE(t["reason"].get<std::string>().find(Rest(w, 2)), std::string::npos) << t["reason"];
  } else {
    ADD_FAILURE() << "unknown property " << what;
  }
}

TEST_P(RecommendCaseTest, PlaylistHasItsProperties) {
  std::ifstream in(SourceDir() / "data/recommend" / GetParam());
  ASSERT_TRUE(in) << GetParam();
  std::vector<std::string> run;
  int want_exit = 0;
  std::string want_error;
  std::vector<std::pair<std::vector<std::string>, std::string>> checks;
  bool deterministic = false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos && line.find('"') > hash) line.erase(hash);
    std::vector<std::string> w = SplitWords(std::string(TrimSpace(line)));
    if (w.empty()) continue;
    const std::string where = GetParam() + ":" + std::to_string(number);
    if (w[0] == "setup") {
      const CommandResult r = Emotune(Resolve({w.begin() + 1, w.end()}));
      ASSERT_EQ(r.exit_code, 0) << where << ": " << r.err;
    } else if (w[0] == "run") {
      run = Resolve({w.begin() + 1, w.end()});
      run.push_back("--json");
    } else if (w[0] == "exit") {
      want_exit = std::stoi(w[1]);
    } else if (w[0] == "error") {
      want_error = Rest(w, 1);
    } else if (w[0] == "deterministic") {
      deterministic = true;
    } else {
      checks.emplace_back(w, where);
    }
  }
  ASSERT_FALSE(run.empty()) << GetParam() << ": no run line";
  const CommandResult r = Emotune(run);
  ASSERT_EQ(r.exit_code, want_exit) << r.err;
  EXPECT_NE(r.err.find(want_error), std::string::npos) << r.err;
  if (want_exit != 0) return;
  const json doc = json::parse(r.out);
  for (const auto& [w, where] : checks) CheckProperty(w, doc, where);
  if (deterministic) {
    EXPECT_EQ(Emotune(run).out, r.out);
  }
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() / "data/recommend"))
    if (entry.path().extension() == ".case") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Cases, RecommendCaseTest, ::testing::ValuesIn(CaseFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

TEST(RecommendCaseFiles, ThereAreEnoughToMatter) { EXPECT_GE(CaseFiles().size(), 12u); }

}  // namespace
}  // namespace emotune
