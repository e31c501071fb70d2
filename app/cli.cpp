#include "cli.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

namespace emotune::cli {

Result<std::unique_ptr<CatalogStore>> OpenCatalog(const GlobalOptions& global, bool create_if_missing) {
  StoreOptions options;
  options.create_if_missing = create_if_missing;
  return OpenSqliteStore(DefaultCatalogPath(global.db), options);
}

std::string FindModel(const std::string& name, const std::string& explicit_path) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) return explicit_path;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("EMOTUNE_MODELS"); env && *env) candidates.push_back(fs::path(env) / name);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  // build/release/emotune in a checkout, bin/emotune in an install.
  for (fs::path dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    candidates.push_back(dir / "models" / name);
  candidates.push_back(fs::path("/usr/share/emotune/models") / name);
  for (const auto& c : candidates)
    if (fs::exists(c, ec)) return c.string();
  return (fs::path("models") / name).string();
}

int Fail(const Status& status) {
  fmt::print(stderr, "emotune: {}\n", status.message());
  return kExitFailure;
}

int UsageError(const std::string& message) {
  fmt::print(stderr, "emotune: {}\n", message);
  return kExitUsage;
}

void PrintJson(const nlohmann::json& value) {
  std::cout << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

Result<PlaylistFormat> ChoosePlaylistFormat(const std::string& format, const std::string& output) {
  if (!format.empty()) return ParsePlaylistFormat(format);
  if (!output.empty() && output != "-") return PlaylistFormatForPath(output);
  return PlaylistFormat::kM3u8;
}

int EmitPlaylist(const Playlist& playlist, PlaylistFormat format, const std::string& output) {
  if (output.empty() || output == "-") {
    std::cout << RenderPlaylist(playlist, format);
    return kExitOk;
  }
  if (Status s = WritePlaylistFile(playlist, format, output); !s.ok()) return Fail(s);
  fmt::print(stderr, "wrote {} tracks to {} ({})\n", playlist.entries.size(), output, PlaylistFormatName(format));
  return kExitOk;
}

std::string Fit(const std::string& text, std::size_t width) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++points > width) {
      // Cut before the code point that overflows, leaving room for the ellipsis.
      std::size_t cut = 0, seen = 0;
      for (std::size_t j = 0; j < text.size(); ++j) {
        if ((static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) continue;
        if (seen++ == width - 1) {
          cut = j;
          break;
        }
      }
      return text.substr(0, cut) + "…";
    }
  }
  return text + std::string(width - points, ' ');
}

}  // namespace emotune::cli
