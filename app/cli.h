// What every `emotune` command shares: the global options, opening the catalog, and
// the one way errors and JSON reach the user. Commands register themselves with
// CLI11 and return an exit code: 0 success, 1 failure, 2 usage error.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "emotune/affect_json.h"
#include "emotune/catalog_store.h"
#include "emotune/mood_estimate.h"
#include "emotune/playlist_export.h"
#include "emotune/status.h"

namespace emotune {
class FaceMoodReader;
struct FaceMoodOptions;
class VoiceMoodReader;
struct VoiceMoodOptions;
}  // namespace emotune

namespace emotune::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct GlobalOptions {
  std::string db;        // --db; "" means DefaultCatalogPath()
  bool verbose = false;  // -v
};

// A subcommand's body, run after CLI11 has parsed the command line.
using CommandRun = std::function<int()>;

// Registers one subcommand; `run` is stored and called if the user chose it.
struct CommandRegistry {
  CLI::App& app;
  const GlobalOptions& global;
  std::vector<std::pair<CLI::App*, CommandRun>> commands;
  void Add(CLI::App* sub, CommandRun run) { commands.emplace_back(sub, std::move(run)); }
  // A command that only groups others (`train text`, `eval text`), made on first use.
  CLI::App* Group(const std::string& name, const std::string& description) {
    for (CLI::App* existing : app.get_subcommands([&](CLI::App* c) { return c->get_name() == name; }))
      return existing;
    CLI::App* group = app.add_subcommand(name, description);
    group->require_subcommand(1);
    return group;
  }
};

void RegisterImportCommand(CommandRegistry& registry);
void RegisterTracksCommand(CommandRegistry& registry);
void RegisterStatsCommand(CommandRegistry& registry);
void RegisterExportCommand(CommandRegistry& registry);
void RegisterTextCommands(CommandRegistry& registry);  // train text, eval text, mood
void RegisterMusicCommands(CommandRegistry& registry);  // train music, eval music
void RegisterChatCommand(CommandRegistry& registry);
void RegisterRecommendCommand(CommandRegistry& registry);
void RegisterFeedbackCommand(CommandRegistry& registry);
void RegisterHistoryCommand(CommandRegistry& registry);
void RegisterClustersCommand(CommandRegistry& registry);
void RegisterAnalyzeCommand(CommandRegistry& registry);
void RegisterFaceCommands(CommandRegistry& registry);  // eval face

// mood --face and recommend --face: the mood the faces in a picture, GIF or video show
// (app/face_commands.cpp). No face found is NotFound, never a guess.
Result<MoodEstimate> ReadFaceMood(const std::string& path);
// The shipped face models (models/face-*.onnx) as a reader.
Result<std::unique_ptr<FaceMoodReader>> LoadFaceReader(const FaceMoodOptions& options);
int RunFaceMood(const std::string& path, double frames_per_second, bool json);
// mood --voice, recommend --voice, train voice, eval voice (app/voice_commands.cpp).
// No speech in the clip is NotFound, never a guess.
void RegisterVoiceCommands(CommandRegistry& registry);  // train voice, eval voice
Result<MoodEstimate> ReadVoiceMood(const std::string& path);
// The shipped voice model (models/voice-emotion.bin) as a reader; thread-safe.
Result<std::shared_ptr<const VoiceMoodReader>> LoadVoiceReader(const VoiceMoodOptions& options);
int RunVoiceMood(const std::string& path, bool json);
void RegisterScanCommand(CommandRegistry& registry);
void RegisterServeCommand(CommandRegistry& registry);

// The path of a shipped model: `explicit_path` if given, else the first of
// $EMOTUNE_MODELS/NAME, the models/ folder beside or above the emotune binary, and
// /usr/share/emotune/models/NAME that exists.
std::string FindModel(const std::string& name, const std::string& explicit_path = "");

// Opens the catalog the user means (--db, $EMOTUNE_DB, or the XDG default).
Result<std::unique_ptr<CatalogStore>> OpenCatalog(const GlobalOptions& global, bool create_if_missing = true);

// Print "emotune: <message>" on stderr and return the exit code: Fail for a failure
// (1), UsageError for a malformed command line (2).
int Fail(const Status& status);
int UsageError(const std::string& message);
void PrintJson(const nlohmann::json& value);

// The playlist format a command line asks for: --format if given, else -o's
// extension, else M3U8. InvalidArgument for an unknown name or extension.
Result<PlaylistFormat> ChoosePlaylistFormat(const std::string& format, const std::string& output);
// Writes `playlist` to `output` ("" or "-": standard output) and says so on stderr.
int EmitPlaylist(const Playlist& playlist, PlaylistFormat format, const std::string& output);

// `text` cut to `width` terminal columns (counting code points) with "…".
std::string Fit(const std::string& text, std::size_t width);

}  // namespace emotune::cli
