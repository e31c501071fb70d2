// Playlist export: M3U8, XSPF (checked with expat), JSON and CSV (checked by importing
// it back), atomic writes, and format names.
#include "emotune/playlist_export.h"

#include <expat.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "emotune/track_import.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using emotune::testing::ReadFile;
using emotune::testing::TempDir;

constexpr const char* kXspfNs = "http://xspf.org/ns/0/";

Track Song(std::string title, std::vector<std::string> artists) {
  Track t;
  t.title = std::move(title);
  t.artists = std::move(artists);
  return t;
}

Playlist Of(std::vector<Track> tracks, std::string title = "") {
  Playlist p;
  p.title = std::move(title);
  for (auto& t : tracks) p.entries.push_back({std::move(t), ""});
  return p;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// --- A tiny DOM over expat, namespace-aware ("URI name" element names). ---

struct XmlNode {
  std::string name;  // "http://xspf.org/ns/0/ track"
  std::string text;
  std::vector<std::unique_ptr<XmlNode>> children;
  XmlNode* parent = nullptr;

  std::vector<const XmlNode*> All(const std::string& local) const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children)
      if (c->name == std::string(kXspfNs) + " " + local) out.push_back(c.get());
    return out;
  }
  const XmlNode* One(const std::string& local) const {
    auto all = All(local);
    return all.size() == 1 ? all[0] : nullptr;
  }
};

struct XmlDoc {
  XmlNode root;
  std::string error;
};

XmlDoc ParseXml(const std::string& text) {
  XmlDoc doc;
  XmlNode* current = &doc.root;
  XML_Parser parser = XML_ParserCreateNS("UTF-8", ' ');
  XML_SetUserData(parser, &current);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char**) {
        auto** cur = static_cast<XmlNode**>(data);
        auto node = std::make_unique<XmlNode>();
        node->name = name;
        node->parent = *cur;
        XmlNode* raw = node.get();
        (*cur)->children.push_back(std::move(node));
        *cur = raw;
      },
      [](void* data, const XML_Char*) {
        auto** cur = static_cast<XmlNode**>(data);
        *cur = (*cur)->parent;
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
    (*static_cast<XmlNode**>(data))->text.append(s, static_cast<std::size_t>(len));
  });
  if (XML_Parse(parser, text.data(), static_cast<int>(text.size()), XML_TRUE) == XML_STATUS_ERROR)
    doc.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                std::to_string(XML_GetCurrentLineNumber(parser));
  XML_ParserFree(parser);
  return doc;
}

// --- M3U8 ---

TEST(M3u8Test, HeaderExtinfAndLocations) {
  Track a = Song("First", {"Ann", "Bob"});
  a.duration_ms = 200600;  // 200.6 s → 201
  a.file_path = "/music/lib/a.mp3";
  Track b = Song("Second", {"Cid"});
  b.spotify_uri = "spotify:track:222";
  Track c = Song("Third", {});
  c.external_id = "333";
  Track d = Song("Nowhere", {"X"});
  const std::string text = RenderPlaylist(Of({a, b, c, d}, "Mix"), PlaylistFormat::kM3u8);
  const auto lines = Lines(text);
  ASSERT_GE(lines.size(), 9u);
  EXPECT_EQ(lines[0], "#EXTM3U");
  EXPECT_EQ(lines[1], "#PLAYLIST:Mix");
  EXPECT_EQ(lines[2], "#EXTINF:201,Ann, Bob - First");
  EXPECT_EQ(lines[3], "/music/lib/a.mp3");  // standard output: absolute
  EXPECT_EQ(lines[4], "#EXTINF:-1,Cid - Second");
  EXPECT_EQ(lines[5], "spotify:track:222");
  EXPECT_EQ(lines[6], "#EXTINF:-1,Third");
  EXPECT_EQ(lines[7], "spotify:track:333");
  EXPECT_EQ(lines[8], "#EXTINF:-1,X - Nowhere");
}

TEST(M3u8Test, LocalPathsRelativeToThePlaylistFolder) {
  TempDir dir;
  const std::string root = dir.path().string();
  Track inside = Song("In", {"A"});
  inside.file_path = root + "/music/Artist/01 Song é.flac";
  Track outside = Song("Out", {"B"});
  outside.file_path = root + "/elsewhere/x.mp3";
  PlaylistWriteOptions options;
  options.playlist_path = root + "/mix.m3u8";
  const auto lines = Lines(RenderPlaylist(Of({inside, outside}), PlaylistFormat::kM3u8, options));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "music/Artist/01 Song é.flac");
  EXPECT_EQ(lines[4], "elsewhere/x.mp3");

  options.playlist_path = root + "/lists/mix.m3u8";
  const auto nested = Lines(RenderPlaylist(Of({inside}), PlaylistFormat::kM3u8, options));
  ASSERT_EQ(nested.size(), 3u);
  EXPECT_EQ(nested[2], "../music/Artist/01 Song é.flac");
}

TEST(M3u8Test, NewlinesInTitlesDoNotBreakLines) {
  Track t = Song("Two\nLines\r", {"A"});
  t.spotify_uri = "spotify:track:1";
  const auto lines = Lines(RenderPlaylist(Of({t}, "My\nMix"), PlaylistFormat::kM3u8));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "#EXTM3U");
  EXPECT_THAT(lines[1], StartsWith("#PLAYLIST:My"));
  EXPECT_THAT(lines[2], StartsWith("#EXTINF:-1,A - Two"));
  EXPECT_EQ(lines[3], "spotify:track:1");
}

// --- XSPF ---

TEST(XspfTest, ParsesWithNamespaceOneTrackListAndTracks) {
  Track a = Song("Rock & Roll <Live> \"1\" 'x'\x01\x1f", {"Tom & Jerry", "<B>"});
  a.album = "A > B";
  a.duration_ms = 1234;
  a.spotify_uri = "spotify:track:abc";
  Track b = Song("Ünïcödé", {"Søren"});
  b.external_id = "xyz";
  Playlist p = Of({a, b}, "Night & Day");
  p.entries[0].note = "valence 0.8 & <energy>";
  const XmlDoc doc = ParseXml(RenderPlaylist(p, PlaylistFormat::kXspf));
  ASSERT_EQ(doc.error, "");
  ASSERT_EQ(doc.root.children.size(), 1u);
  const XmlNode& playlist = *doc.root.children[0];
  EXPECT_EQ(playlist.name, std::string(kXspfNs) + " playlist");
  ASSERT_NE(playlist.One("title"), nullptr);
  EXPECT_EQ(playlist.One("title")->text, "Night & Day");
  ASSERT_EQ(playlist.All("trackList").size(), 1u);
  const auto tracks = playlist.One("trackList")->All("track");
  ASSERT_EQ(tracks.size(), 2u);

  const XmlNode& t0 = *tracks[0];
  ASSERT_NE(t0.One("title"), nullptr);
  EXPECT_EQ(t0.One("title")->text, "Rock & Roll <Live> \"1\" 'x'");  // control characters removed
  EXPECT_EQ(t0.One("creator")->text, "Tom & Jerry, <B>");
  EXPECT_EQ(t0.One("album")->text, "A > B");
  EXPECT_EQ(t0.One("duration")->text, "1234");
  EXPECT_EQ(t0.One("identifier")->text, "spotify:track:abc");
  EXPECT_EQ(t0.One("annotation")->text, "valence 0.8 & <energy>");
  EXPECT_TRUE(t0.All("location").empty());

  const XmlNode& t1 = *tracks[1];
  EXPECT_EQ(t1.One("title")->text, "Ünïcödé");
  EXPECT_EQ(t1.One("creator")->text, "Søren");
  EXPECT_EQ(t1.One("identifier")->text, "spotify:track:xyz");
  EXPECT_TRUE(t1.All("duration").empty());
}

TEST(XspfTest, EmptyPlaylistStillHasOneTrackList) {
  const XmlDoc doc = ParseXml(RenderPlaylist(Of({}), PlaylistFormat::kXspf));
  ASSERT_EQ(doc.error, "");
  const XmlNode& playlist = *doc.root.children.at(0);
  ASSERT_EQ(playlist.All("trackList").size(), 1u);
  EXPECT_TRUE(playlist.One("trackList")->children.empty());
}

TEST(XspfTest, LocationsArePercentEncoded) {
  TempDir dir;
  const std::string root = dir.path().string();
  Track abs = Song("Abs", {"A"});
  abs.file_path = "/srv/my music/Café & Co/01 #1 100%.mp3";
  Track rel = Song("Rel", {"B"});
  rel.file_path = root + "/sub dir/ß.ogg";

  const XmlDoc to_stdout = ParseXml(RenderPlaylist(Of({abs}), PlaylistFormat::kXspf));
  ASSERT_EQ(to_stdout.error, "");
  const auto t = to_stdout.root.children.at(0)->One("trackList")->All("track");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]->One("location")->text, "file:///srv/my%20music/Caf%C3%A9%20%26%20Co/01%20%231%20100%25.mp3");

  PlaylistWriteOptions options;
  options.playlist_path = root + "/list.xspf";
  const XmlDoc in_dir = ParseXml(RenderPlaylist(Of({rel}), PlaylistFormat::kXspf, options));
  ASSERT_EQ(in_dir.error, "");
  const auto r = in_dir.root.children.at(0)->One("trackList")->All("track");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]->One("location")->text, "sub%20dir/%C3%9F.ogg");
}

// --- JSON ---

TEST(JsonExportTest, ParsesBackWithFields) {
  Track a = Song("Song \"A\"", {"Ann", "Bob"});
  a.id = 7;
  a.release_year = 1999;
  a.duration_ms = 180000;
  a.given_mood = "Happy";
  a.features.spotify_valence = 0.75;
  a.features.key = 0;
  Playlist p = Of({a, Song("B", {})}, "Mix");
  p.entries[0].note = "because";
  const auto doc = nlohmann::json::parse(RenderPlaylist(p, PlaylistFormat::kJson));
  EXPECT_EQ(doc.at("title"), "Mix");
  ASSERT_EQ(doc.at("tracks").size(), 2u);
  const auto& t = doc.at("tracks")[0];
  EXPECT_EQ(t.at("id"), 7);
  EXPECT_EQ(t.at("title"), "Song \"A\"");
  EXPECT_EQ(t.at("artists"), nlohmann::json({"Ann", "Bob"}));
  EXPECT_EQ(t.at("release_year"), 1999);
  EXPECT_EQ(t.at("duration_ms"), 180000);
  EXPECT_EQ(t.at("given_mood"), "Happy");
  EXPECT_EQ(t.at("note"), "because");
  EXPECT_DOUBLE_EQ(t.at("features").at("spotify_valence").get<double>(), 0.75);
  EXPECT_EQ(t.at("features").at("key"), 0);
  // Unknown is null, not 0.
  EXPECT_TRUE(t.at("features").at("energy").is_null());
  EXPECT_TRUE(t.at("genre").is_null());
  EXPECT_TRUE(t.at("popularity").is_null());
  const auto& u = doc.at("tracks")[1];
  EXPECT_TRUE(u.at("artists").is_array());
  EXPECT_TRUE(u.at("artists").empty());
  EXPECT_FALSE(u.contains("note"));
}

// --- CSV round trip through the importer ---

std::vector<Track> StoreTracks(CatalogStore& store) {
  auto all = store.FindTracks({});
  EXPECT_TRUE(all.ok()) << all.status().message();
  return all.ok() ? *all : std::vector<Track>{};
}

TEST(CsvExportTest, ReimportsIntoAFreshCatalogAsTheSameTracks) {
  TempDir dir;
  std::vector<Track> originals;
  Track full = Song("Full, \"quoted\"\nnewline title", {"One", "Two \"2\"", "[Three]", "Back\\slash"});
  full.external_id = "id-1";
  full.album = "Album, with comma";
  full.release_date = "2001-02-03";
  full.release_year = 2001;
  full.duration_ms = 123456;
  full.genre = "jazz";
  full.language = "pt";
  full.popularity = 0;
  full.explicit_lyrics = true;
  full.spotify_uri = "spotify:track:id-1";
  full.given_mood = "Calm";
  full.features = {0.1, 0.25, 1.0 / 3, 0.0, 1.0, 0.0333, 0.999999, -12.345678, 123.456, 0, 1, 3};
  originals.push_back(full);
  Track local = Song("Local", {"[Bracketed]"});
  local.file_path = dir.File("music/a b.flac");
  local.release_year = 1970;
  local.explicit_lyrics = false;
  originals.push_back(local);
  Track bare = Song("Bare", {});
  originals.push_back(bare);
  Track one = Song("Apostrophe", {"Guns N' Roses"});
  one.features.tempo_bpm = 0.5;
  originals.push_back(one);

  auto source = OpenSqliteStore(dir.File("a.db"));
  ASSERT_TRUE(source.ok());
  {
    auto writer = (*source)->BeginWrite();
    ASSERT_TRUE(writer.ok());
    for (const auto& t : originals) ASSERT_TRUE((*writer)->Put(t).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  const std::vector<Track> stored = StoreTracks(**source);
  ASSERT_EQ(stored.size(), originals.size());

  Playlist p;
  for (const auto& t : stored) p.entries.push_back({t, "note, with \"quotes\""});
  const std::string csv_path = dir.File("export.csv");
  ASSERT_TRUE(WritePlaylistFile(p, PlaylistFormat::kCsv, csv_path).ok());

  auto fresh = OpenSqliteStore(dir.File("b.db"));
  ASSERT_TRUE(fresh.ok());
  auto report = ImportTracks(**fresh, csv_path);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->layout, "emotune");
  EXPECT_EQ(report->counts.added, static_cast<std::int64_t>(originals.size()));
  const std::vector<Track> back = StoreTracks(**fresh);
  ASSERT_EQ(back.size(), stored.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    SCOPED_TRACE(stored[i].title);
    Track expected = stored[i];
    expected.id = back[i].id;
    EXPECT_EQ(back[i], expected);
  }

  // Importing the export into the catalog it came from changes nothing.
  auto again = ImportTracks(**source, csv_path);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->counts.added, 0);
  EXPECT_EQ(StoreTracks(**source), stored);
}

TEST(CsvExportTest, HeaderNamesEveryImportField) {
  const std::string csv = RenderPlaylist(Of({Song("T", {"A"})}), PlaylistFormat::kCsv);
  const auto lines = Lines(csv);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], StartsWith("catalog_id,id,title,artists,"));
  EXPECT_THAT(lines[0], HasSubstr(",valence,"));
  EXPECT_THAT(lines[0], HasSubstr(",mood,note"));
  EXPECT_THAT(lines[0], ::testing::Not(HasSubstr("duration_s")));
}

// --- Writing files ---

TEST(WritePlaylistFileTest, WritesAtomicallyWithoutLeftovers) {
  TempDir dir;
  const std::string path = dir.File("mix.m3u8");
  Track t = Song("A", {"B"});
  t.file_path = dir.File("music/a.mp3");
  ASSERT_TRUE(WritePlaylistFile(Of({t}), PlaylistFormat::kM3u8, path).ok());
  // Overwrite with a second version.
  ASSERT_TRUE(WritePlaylistFile(Of({t, Song("C", {"D"})}), PlaylistFormat::kM3u8, path).ok());
  const std::string text = ReadFile(path);
  EXPECT_THAT(text, StartsWith("#EXTM3U\n"));
  EXPECT_THAT(text, HasSubstr("\nmusic/a.mp3\n"));  // relative to the playlist's folder
  EXPECT_THAT(text, HasSubstr("D - C"));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    names.push_back(entry.path().filename().string());
  EXPECT_THAT(names, ElementsAre("mix.m3u8"));
}

TEST(WritePlaylistFileTest, UnwritableFolderIsAnError) {
  TempDir dir;
  const std::string path = dir.File("no/such/folder/mix.xspf");
  const Status s = WritePlaylistFile(Of({Song("A", {"B"})}), PlaylistFormat::kXspf, path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_THAT(s.message(), HasSubstr("mix.xspf"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));
}

TEST(WritePlaylistFileTest, TargetIsAFolder) {
  TempDir dir;
  std::filesystem::create_directory(dir.File("taken.json"));
  const Status s = WritePlaylistFile(Of({Song("A", {"B"})}), PlaylistFormat::kJson, dir.File("taken.json"));
  ASSERT_FALSE(s.ok());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    names.push_back(entry.path().filename().string());
  EXPECT_THAT(names, ElementsAre("taken.json"));  // no temporary file left behind
}

// --- Format names ---

TEST(PlaylistFormatTest, ParseNames) {
  EXPECT_EQ(*ParsePlaylistFormat("m3u8"), PlaylistFormat::kM3u8);
  EXPECT_EQ(*ParsePlaylistFormat("M3U"), PlaylistFormat::kM3u8);
  EXPECT_EQ(*ParsePlaylistFormat("xspf"), PlaylistFormat::kXspf);
  EXPECT_EQ(*ParsePlaylistFormat("JSON"), PlaylistFormat::kJson);
  EXPECT_EQ(*ParsePlaylistFormat("csv"), PlaylistFormat::kCsv);
  auto bad = ParsePlaylistFormat("wav");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("'wav'"));
  EXPECT_FALSE(ParsePlaylistFormat("").ok());
  for (auto f : {PlaylistFormat::kM3u8, PlaylistFormat::kXspf, PlaylistFormat::kJson, PlaylistFormat::kCsv})
    EXPECT_EQ(*ParsePlaylistFormat(PlaylistFormatName(f)), f);
}

TEST(PlaylistFormatTest, ForPath) {
  EXPECT_EQ(*PlaylistFormatForPath("/x/mix.xspf"), PlaylistFormat::kXspf);
  EXPECT_EQ(*PlaylistFormatForPath("mix.M3U8"), PlaylistFormat::kM3u8);
  EXPECT_EQ(*PlaylistFormatForPath("a.b/mix.json"), PlaylistFormat::kJson);
  auto none = PlaylistFormatForPath("/x/mix");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), HasSubstr("--format"));
  auto dot = PlaylistFormatForPath("/x/mix.");
  EXPECT_FALSE(dot.ok());
  auto mp3 = PlaylistFormatForPath("song.mp3");
  ASSERT_FALSE(mp3.ok());
  EXPECT_THAT(mp3.status().message(), HasSubstr("mp3"));
}

}  // namespace
}  // namespace emotune
