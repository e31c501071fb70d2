// emotune: the command line. Each subcommand lives in its own *_command.cpp.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli.h"

#ifndef EMOTUNE_VERSION
#define EMOTUNE_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace emotune::cli;
  CLI::App app{"Emotune: music for how you feel, from the catalog you own."};
  app.set_version_flag("--version", std::string("emotune ") + EMOTUNE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--db", global.db,
                 "Catalog file (default: $EMOTUNE_DB, else $XDG_DATA_HOME/emotune/catalog.db)");
  app.add_flag("-v,--verbose", global.verbose, "Log details to stderr");

  CommandRegistry registry{app, global, {}};
  RegisterImportCommand(registry);
  RegisterTracksCommand(registry);
  RegisterStatsCommand(registry);
  RegisterExportCommand(registry);
  RegisterTextCommands(registry);
  RegisterMusicCommands(registry);
  RegisterChatCommand(registry);
  RegisterRecommendCommand(registry);
  RegisterFeedbackCommand(registry);
  RegisterHistoryCommand(registry);
  RegisterClustersCommand(registry);
  RegisterAnalyzeCommand(registry);
  RegisterFaceCommands(registry);
  RegisterVoiceCommands(registry);
  RegisterScanCommand(registry);
  RegisterServeCommand(registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line a user can act on, and the usage exit code.
    return UsageError(std::string(e.what()) + " (see emotune --help)");
  }
  spdlog::set_default_logger(spdlog::stderr_color_st("emotune"));  // stdout is for data
  spdlog::set_level(global.verbose ? spdlog::level::debug : spdlog::level::warn);
  spdlog::set_pattern("emotune: %v");
  for (auto& [sub, run] : registry.commands)
    if (sub->parsed()) return run();
  return UsageError("no command given (see emotune --help)");
}
