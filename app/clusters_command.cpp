// emotune clusters: k-means mood clusters of the catalog, each named by where its
// centroid sits in the affect plane, optionally written out as playlists.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/playlist_export.h"
#include "emotune/track_clusters.h"
#include "emotune/recommend_json.h"

namespace emotune::cli {
namespace {

struct ClustersArgs {
  ClusterOptions options;
  std::string export_dir;
  std::string format = "m3u8";
  bool json = false;
};

int RunClusters(const GlobalOptions& global, const ClustersArgs& args) {
  auto format = ParsePlaylistFormat(args.format);
  if (!format.ok()) return UsageError(format.status().message());
  auto store = OpenCatalog(global, /*create_if_missing=*/false);
  if (!store.ok()) return Fail(store.status());
  auto tracks = (*store)->FindTracks({});
  if (!tracks.ok()) return Fail(tracks.status());
  auto clustering = ClusterTracks(*tracks, args.options);
  if (!clustering.ok()) return Fail(clustering.status().WithContext("clusters: "));
  if (args.json) {
    PrintJson(ClusteringToJson(args.options, *clustering));
  } else {
    fmt::print("{:<12} {:>6} {:>8} {:>8} {:>7} {:>7} {:>6} {:>6}\n", "cluster", "tracks", "valence", "arousal",
               "energy", "valnce", "acoust", "bpm");
    for (const auto& c : clustering->clusters)
      fmt::print("{:<12} {:>6} {:>+8.2f} {:>+8.2f} {:>7.2f} {:>7.2f} {:>6.2f} {:>6.0f}\n", c.name, c.track_ids.size(),
                 c.mood.valence, c.mood.arousal, *c.centroid.energy, *c.centroid.spotify_valence,
                 *c.centroid.acousticness, *c.centroid.tempo_bpm);
    if (clustering->skipped) fmt::print(stderr, "{} tracks without energy and valence left out\n", clustering->skipped);
  }
  if (args.export_dir.empty()) return kExitOk;
  std::error_code ec;
  std::filesystem::create_directories(args.export_dir, ec);
  if (ec) return Fail(Status::IoError(fmt::format("{}: {}", args.export_dir, ec.message())));
  for (std::size_t i = 0; i < clustering->clusters.size(); ++i) {
    const TrackCluster& c = clustering->clusters[i];
    TrackQuery q;
    q.ids = c.track_ids;
    auto members = (*store)->FindTracks(q);
    if (!members.ok()) return Fail(members.status());
    Playlist playlist;
    playlist.title = "Emotune mood cluster: " + c.name;
    for (auto& t : *members) playlist.entries.push_back({std::move(t), ""});
    std::string file = c.name;
    std::replace(file.begin(), file.end(), ' ', '-');
    const std::string path =
        fmt::format("{}/{:02}-{}.{}", args.export_dir, i + 1, file, PlaylistFormatName(*format));
    if (Status s = WritePlaylistFile(playlist, *format, path); !s.ok()) return Fail(s);
    fmt::print(stderr, "wrote {}\n", path);
  }
  return kExitOk;
}

}  // namespace

void RegisterClustersCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ClustersArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "clusters", "Group the catalog into k mood clusters (k-means), each named by where it sits in the affect plane");
  cmd->add_option("-k,--k", args->options.k, "Number of clusters (default 6)")->check(CLI::Range(1, 256));
  cmd->add_option("--seed", args->options.seed, "Seed for k-means++ (default 1): the same seed, the same clusters");
  cmd->add_option("--export", args->export_dir, "Write each cluster as a playlist into this folder");
  cmd->add_option("--format", args->format, "Playlist format for --export: m3u8, xspf, json or csv (default m3u8)");
  cmd->add_flag("--json", args->json, "Print JSON: size, name, affect place and centroid features of each");
  registry.Add(cmd, [&global = registry.global, args] { return RunClusters(global, *args); });
}

}  // namespace emotune::cli
