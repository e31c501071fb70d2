// emotune import FILE…: tracks from CSV/TSV or JSON Lines into the catalog.
#include <cctype>
#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "emotune/track_import.h"
#include "progress_bar.h"

namespace emotune::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::vector<std::string> maps;
  std::string format;
  bool skip_bad = false;
  bool json = false;
};

nlohmann::json ReportJson(const std::string& file, const ImportReport& r, double seconds) {
  return {{"file", file},          {"layout", r.layout},
          {"rows", r.rows},        {"added", r.counts.added},
          {"updated", r.counts.updated}, {"skipped", r.skipped},
          {"skip_reasons", r.skip_reasons}, {"skip_examples", r.skip_examples},
          {"seconds", seconds}};
}

void PrintReport(const std::string& file, const ImportReport& r, double seconds) {
  fmt::print("{}: {} layout, {} rows: {} added, {} updated", file, r.layout, r.rows, r.counts.added,
             r.counts.updated);
  if (r.skipped > 0) fmt::print(", {} skipped", r.skipped);
  fmt::print(" ({:.2f} s)\n", seconds);
  if (r.skipped == 0) return;
  std::string reasons;
  for (const auto& [reason, n] : r.skip_reasons) reasons += fmt::format("{}{} × {}", reasons.empty() ? "" : ", ", n, reason);
  fmt::print(stderr, "skipped rows: {}\n", reasons);
  for (const auto& example : r.skip_examples) fmt::print(stderr, "  {}\n", example);
  if (r.skipped > static_cast<std::int64_t>(r.skip_examples.size()))
    fmt::print(stderr, "  … and {} more\n", r.skipped - static_cast<std::int64_t>(r.skip_examples.size()));
}

// Whether `name` is one of ImportFieldNames() (which the importer matches case-insensitively).
bool IsImportField(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string names = ImportFieldNames();
  std::size_t start = 0;
  while (start <= names.size()) {
    std::size_t end = names.find(", ", start);
    if (end == std::string::npos) end = names.size();
    if (names.compare(start, end - start, name) == 0) return true;
    start = end + 2;
  }
  return false;
}

int RunImport(const GlobalOptions& global, const ImportArgs& args) {
  ImportOptions options;
  options.skip_bad = args.skip_bad;
  options.format = args.format;
  for (const auto& m : args.maps) {
    const std::size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      return UsageError(fmt::format("--map '{}': expected FIELD=COLUMN, e.g. valence=val", m));
    // An unknown field is the command line's fault whatever the file holds: a usage error.
    const std::string field = m.substr(0, eq);
    if (!IsImportField(field))
      return UsageError(fmt::format("--map {}: unknown field '{}' (fields: {})", m, field, ImportFieldNames()));
    options.column_map[field] = m.substr(eq + 1);
  }
  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  spdlog::debug("catalog {} (schema version {})", DefaultCatalogPath(global.db), (*store)->SchemaVersion());
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& file : args.files) {
    ProgressBar bar("rows");
    options.progress = [&](const ImportProgress& p) {
      bar.Update(p.rows, p.total_bytes > 0 ? static_cast<double>(p.bytes) / p.total_bytes : -1);
    };
    const auto start = std::chrono::steady_clock::now();
    auto report = ImportTracks(**store, file, options);
    bar.Finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!report.ok()) {
      return Fail(report.status().WithContext(report.status().message().starts_with(file) ? "" : file + ": "));
    }
    spdlog::debug("{}: {} rows in {:.3f} s ({:.0f} rows/s)", file, report->rows, seconds, report->rows / seconds);
    if (args.json) reports.push_back(ReportJson(file, *report, seconds));
    else PrintReport(file, *report, seconds);
  }
  if (args.json) PrintJson(reports);
  return kExitOk;
}

}  // namespace

void RegisterImportCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = registry.app.add_subcommand("import", "Import tracks from CSV/TSV or JSON Lines files");
  cmd->footer(
      "Layouts recognised by their header: data_moods, Kaggle's Spotify 1921-2020 tracks.csv, TidyTuesday's\n"
      "spotify_songs.csv, Emotune's own CSV export; --map FIELD=COLUMN for anything else. Each file is one\n"
      "transaction: a bad row stops it with file, line and column named and nothing stored, unless --skip-bad.\n"
      "Re-importing a file updates its tracks instead of adding copies.");
  cmd->add_option("files", args->files, "Files to import")->required();
  cmd->add_option("--map", args->maps,
                  "FIELD=COLUMN: read FIELD from COLUMN (repeatable). Fields: " + ImportFieldNames());
  cmd->add_option("--format", args->format, "csv or jsonl (default: by extension, else by the first byte)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl", "ndjson"}));
  cmd->add_flag("--skip-bad", args->skip_bad, "Skip malformed rows, counting them by reason, instead of stopping");
  cmd->add_flag("--json", args->json, "Print the import report as JSON");
  registry.Add(cmd, [&global = registry.global, args] { return RunImport(global, *args); });
}

}  // namespace emotune::cli
