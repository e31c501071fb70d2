// emotune scan DIR… [-j N]: the user's own audio files into the catalog, incrementally.
// Exit codes: 0 when the scan ran (files that failed are reported, not fatal), 1 for a
// missing folder or a catalog error, 130 when Ctrl-C stopped it (finished files kept).
#include <csignal>

#include <atomic>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "emotune/library_scanner.h"
#include "progress_bar.h"

namespace emotune::cli {
namespace {

constexpr int kExitInterrupted = 130;  // the shell's convention for "stopped by SIGINT"

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void OnInterrupt(int) {
  g_interrupted.store(true);
  // A second Ctrl-C quits at once; committed files are safe either way.
  std::signal(SIGINT, SIG_DFL);
}

// Installs OnInterrupt for the scan's lifetime.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = false;
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptGuard() { sigaction(SIGINT, &previous_, nullptr); }

 private:
  struct sigaction previous_ {};
};

struct ScanArgs {
  std::vector<std::string> roots;
  int jobs = 0;
  bool json = false;
  bool no_cover_art = false;
};

nlohmann::json ReportJson(const ScanReport& r) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : r.failures) failures.push_back({{"path", f.path}, {"reason", f.reason}});
  return {{"files", r.files},     {"analysed", r.analysed}, {"unchanged", r.unchanged},
          {"moved", r.moved},     {"gone", r.gone},         {"failed", r.failed},
          {"pending", r.pending}, {"stopped", r.stopped},   {"seconds", r.seconds},
          {"failures", failures}};
}

void PrintReport(const ScanReport& r) {
  fmt::print("scanned {} audio files in {:.1f} s: {} analysed, {} unchanged, {} moved, {} gone, {} failed\n",
             r.files, r.seconds, r.analysed, r.unchanged, r.moved, r.gone, r.failed);
  if (r.failures.empty()) return;
  fmt::print("failed (kept out until the file changes):\n");
  for (const auto& f : r.failures) fmt::print("  {}: {}\n", f.path, f.reason);
}

int RunScan(const GlobalOptions& global, const ScanArgs& args) {
  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  InterruptGuard guard;
  ProgressBar bar("files");
  ScanOptions options;
  options.jobs = args.jobs;
  options.read_cover_art = !args.no_cover_art;
  options.should_stop = [] { return g_interrupted.load(); };
  options.progress = [&](const ScanProgress& p) {
    bar.Update(p.done, p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : -1);
    spdlog::debug("{}/{} {}", p.done, p.total, p.current);
  };
  auto report = ScanLibrary(**store, args.roots, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  if (args.json) PrintJson(ReportJson(*report));
  else PrintReport(*report);
  if (!report->stopped) return kExitOk;
  std::string again = "emotune scan";
  for (const auto& root : args.roots) again += " " + root;
  fmt::print(stderr, "emotune: stopped with {} files left; everything finished is saved. Run `{}` to resume.\n",
             report->pending, again);
  return kExitInterrupted;
}

}  // namespace

void RegisterScanCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = registry.app.add_subcommand("scan", "Analyse your audio files into the catalog");
  cmd->footer(
      "Walks the folders recursively (hidden folders skipped) and analyses every audio file: tags, cover art,\n"
      "tempo, key, loudness and the Spotify-style descriptors. Incremental: unchanged files are skipped, moved\n"
      "files keep their history, removed ones are hidden. Each file is committed as it finishes, so Ctrl-C (or a\n"
      "crash) loses nothing finished and the next scan resumes.");
  cmd->add_option("folders", args->roots, "Folders (or single files) to scan")->required();
  cmd->add_option("-j,--jobs", args->jobs, "Files analysed in parallel (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-cover-art", args->no_cover_art, "Do not store embedded pictures");
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  registry.Add(cmd, [&global = registry.global, args] { return RunScan(global, *args); });
}

}  // namespace emotune::cli
