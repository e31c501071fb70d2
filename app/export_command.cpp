// emotune export: write tracks as a playlist (M3U8, XSPF, JSON or CSV).
#include <iostream>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/playlist_export.h"
#include "track_filter_options.h"

namespace emotune::cli {
namespace {

struct ExportArgs {
  TrackFilterOptions filters;
  std::string format;
  std::string output;
  std::string title;
};

int RunExport(const GlobalOptions& global, const ExportArgs& args) {
  auto query = args.filters.ToQuery();
  if (!query.ok()) return UsageError(query.status().message());
  Result<PlaylistFormat> format = ChoosePlaylistFormat(args.format, args.output);
  if (!format.ok()) return UsageError(format.status().message());

  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  auto tracks = (*store)->FindTracks(*query);
  if (!tracks.ok()) return Fail(tracks.status());
  if (tracks->empty())
    return Fail(Status::NotFound("no tracks match the filters; nothing exported"));
  if (!query->ids.empty() && tracks->size() < query->ids.size())
    fmt::print(stderr, "emotune: {} of the {} ids are not in the catalog\n", query->ids.size() - tracks->size(),
               query->ids.size());
  Playlist playlist;
  playlist.title = args.title;
  for (auto& t : *tracks) playlist.entries.push_back({std::move(t), ""});
  return EmitPlaylist(playlist, *format, args.output);
}

}  // namespace

void RegisterExportCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "export", "Write catalog tracks as a playlist: M3U8, XSPF, JSON or CSV (CSV is re-importable)");
  args->filters.AddTo(cmd, 0);
  cmd->add_option("--format", args->format, "m3u8, xspf, json or csv (default: by -o's extension, else m3u8)");
  cmd->add_option("-o,--output", args->output, "File to write (default: standard output)");
  cmd->add_option("--title", args->title, "Playlist title");
  registry.Add(cmd, [&global = registry.global, args] { return RunExport(global, *args); });
}

}  // namespace emotune::cli
