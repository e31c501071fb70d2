// emotune serve: the web app and the HTTP API on the user's catalog. With --library
// it scans those folders in the background (incrementally) while already serving.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/face_json.h"
#include "emotune/library_scanner.h"
#include "emotune/text_emotion_model.h"
#include "emotune/voice_json.h"
#include "emotune/voice_mood.h"
#include "emotune/web_server.h"

namespace emotune::cli {
namespace {

struct ServeArgs {
  ServerOptions options;
  std::vector<std::string> library;
  std::string web;
  std::string model;
  int jobs = 0;
};

WebServer* g_server = nullptr;  // for the signal handler
std::atomic<bool> g_stop{false};

void OnSignal(int) {
  g_stop = true;
  if (g_server) g_server->Stop();
}

// The page's folder: --web, else web/ beside or above the binary (a checkout), else
// the installed copy.
std::string FindWebRoot(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) return explicit_path;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (fs::path dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    if (fs::exists(dir / "web" / "index.html", ec)) return (dir / "web").string();
  if (fs::exists("/usr/share/emotune/web/index.html", ec)) return "/usr/share/emotune/web";
  return "";
}

void ScanInBackground(const GlobalOptions& global, const ServeArgs& args, std::shared_ptr<ScanStatus> status) {
  ScanStatus::Snapshot snap;
  snap.running = true;
  status->Set(snap);
  // Its own connection: SQLite in WAL mode lets the server read while this writes.
  auto store = OpenCatalog(global);
  if (!store.ok()) {
    snap.running = false;
    snap.error = store.status().message();
    status->Set(snap);
    return;
  }
  ScanOptions options;
  options.jobs = args.jobs;
  options.should_stop = [] { return g_stop.load(); };
  options.progress = [&](const ScanProgress& p) {
    snap.done = p.done;
    snap.total = p.total;
    snap.current = p.current;
    snap.eta_s = p.eta_s;
    status->Set(snap);
  };
  auto report = ScanLibrary(**store, args.library, options);
  snap.running = false;
  if (!report.ok()) {
    snap.error = report.status().message();
  } else {
    snap.analysed = report->analysed;
    snap.unchanged = report->unchanged;
    snap.failed = report->failed;
    fmt::print(stderr, "emotune: library scan: {} analysed, {} unchanged, {} failed\n", report->analysed,
               report->unchanged, report->failed);
  }
  status->Set(snap);
}

int RunServe(const GlobalOptions& global, ServeArgs args) {
  if (args.options.token.empty())
    if (const char* env = std::getenv("EMOTUNE_TOKEN"); env) args.options.token = env;
  args.options.web_root = FindWebRoot(args.web);
  if (args.options.web_root.empty()) fmt::print(stderr, "emotune: no web/ folder found; serving the API only\n");
  for (const auto& dir : args.library)
    if (!std::filesystem::exists(dir)) return Fail(Status::NotFound("serve --library: no such folder: " + dir));

  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  ServerServices services;
  if (auto model = TextEmotionModel::Load(FindModel("text-emotion.bin", args.model)); model.ok())
    services.text = std::shared_ptr<const TextMoodReader>(std::move(*model));
  else
    fmt::print(stderr, "emotune: text mood off: {}\n", model.status().message());
  if (auto face = LoadFaceReader(FaceMoodOptions{}); face.ok()) {
    std::shared_ptr<FaceMoodReader> reader = std::move(*face);
    services.face = [reader](std::span<const std::uint8_t> image, bool live) -> Result<nlohmann::json> {
      auto result = reader->ReadPicture(image, live ? std::optional(ExpressionViews::kMirror) : std::nullopt);
      if (!result.ok()) return result.status();
      return FaceMoodToJson(*result);
    };
  } else {
    fmt::print(stderr, "emotune: face mood off: {}\n", face.status().message());
  }
  VoiceMoodOptions voice_options;
  voice_options.limits.max_seconds = 60;  // the page records 15 s; an upload is read for a minute at most
  if (auto voice = LoadVoiceReader(voice_options); voice.ok()) {
    std::shared_ptr<const VoiceMoodReader> reader = std::move(*voice);
    services.voice = [reader](std::span<const std::uint8_t> audio) -> Result<nlohmann::json> {
      auto result = reader->ReadMemory(audio, "the recording");
      if (!result.ok()) return result.status();
      return VoiceMoodToJson(*result);
    };
  } else {
    fmt::print(stderr, "emotune: voice mood off: {}\n", voice.status().message());
  }
  std::shared_ptr<ScanStatus> scan;
  if (!args.library.empty()) services.scan = scan = std::make_shared<ScanStatus>();

  auto server = WebServer::Create(args.options, std::move(*store), services);
  if (!server.ok()) return args.options.token.empty() && !IsLoopbackHost(args.options.host)
                               ? UsageError(server.status().message())
                               : Fail(server.status());
  g_server = server->get();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::thread scanner;
  if (scan) scanner = std::thread(ScanInBackground, std::cref(global), std::cref(args), scan);
  const std::string host = args.options.host.find(':') != std::string::npos ? "[" + args.options.host + "]" : args.options.host;
  fmt::print("Emotune is at http://{}:{}/  (Ctrl-C stops it)\n", host, (*server)->port());
  std::fflush(stdout);
  Status s = (*server)->Run();
  g_stop = true;
  if (scanner.joinable()) scanner.join();
  g_server = nullptr;
  return s.ok() ? kExitOk : Fail(s);
}

}  // namespace

void RegisterServeCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = registry.app.add_subcommand("serve", "Serve the web app and the HTTP API on your catalog");
  cmd->add_option("--host", args->options.host, "Address to listen on (default 127.0.0.1; others need a token)");
  cmd->add_option("--port", args->options.port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--token", args->options.token, "Bearer token API clients must send (default: $EMOTUNE_TOKEN)");
  cmd->add_option("--library", args->library, "Music folders to scan in the background while serving");
  cmd->add_option("-j,--jobs", args->jobs, "Scan threads (default: one per core)");
  cmd->add_option("--threads", args->options.threads, "Requests answered at once (default 64)")->check(CLI::Range(1, 4096));
  cmd->add_option("--compute-slots", args->options.compute_slots,
                  "Playlists, text readings and chat turns computed at once; the rest queue in arrival order "
                  "(default: one per core)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--web", args->web, "Folder of the web page (default: the bundled web/)");
  cmd->add_option("--model", args->model, "Text model (default: the shipped models/text-emotion.bin)");
  registry.Add(cmd, [&global = registry.global, args] { return RunServe(global, *args); });
}

}  // namespace emotune::cli
