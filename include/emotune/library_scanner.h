// ScanLibrary: turns folders of the user's own audio files into catalog tracks, and
// keeps them in step with the folders on later scans.
//
// Each file the walk finds is classified against the catalog's library files:
//   unchanged  same path, size and mtime: skipped (a file that failed stays failed
//              until it changes);
//   moved      a new path whose content fingerprint matches a known file missing
//              from this walk: re-pointed, keeping its track id and history;
//   new / changed  analysed by `jobs` worker threads (one analyzer each) and
//              committed, one transaction per file, as each finishes — so a killed
//              scan loses nothing finished and the next one resumes;
//   gone       known files under the scanned folders that the walk did not find:
//              marked gone (hidden from track queries, history kept).
// A bad file never stops a scan: it is recorded with its reason.
//
// The store is used from the calling thread only (SQLite: one writer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/audio_analysis.h"
#include "emotune/catalog_store.h"
#include "emotune/status.h"

namespace emotune {

// What a scan analyses files with; AudioAnalyzer in production, a fake in tests.
class FileAnalyzer {
 public:
  virtual ~FileAnalyzer() = default;
  virtual Result<AudioAnalysis> Analyze(const std::string& path, const AnalysisOptions& options) = 0;
};
// Called once per worker thread.
using FileAnalyzerFactory = std::function<std::unique_ptr<FileAnalyzer>()>;
// The production analyzer (AudioAnalyzer).
std::unique_ptr<FileAnalyzer> MakeAudioFileAnalyzer();

struct ScanProgress {
  std::int64_t done = 0;      // files analysed (or failed) so far
  std::int64_t total = 0;     // files this scan has to analyse
  std::string current;        // the file just finished
  double files_per_s = 0;
  double eta_s = 0;
};

struct ScanOptions {
  int jobs = 1;                             // worker threads; <= 0: one per core
  FileAnalyzerFactory analyzer;             // default: MakeAudioFileAnalyzer
  // Polled often, from the worker threads (so it must be thread-safe: read an atomic
  // flag); true stops the scan: files in flight are abandoned uncommitted,
  // everything finished is kept.
  std::function<bool()> should_stop;
  // Called on the calling thread after each analysed file.
  std::function<void(const ScanProgress&)> progress;
  bool read_cover_art = true;
};

struct ScanFailure {
  std::string path;
  std::string reason;
};

struct ScanReport {
  std::int64_t files = 0;       // audio files the walk found
  std::int64_t analysed = 0;    // committed as tracks this scan
  std::int64_t unchanged = 0;   // skipped: same path, size and mtime as last time
  std::int64_t moved = 0;       // re-pointed by fingerprint (includes gone files come back)
  std::int64_t gone = 0;        // newly marked gone
  std::int64_t failed = 0;      // recorded as failed this scan (see failures)
  std::int64_t pending = 0;     // left for the next scan because it was stopped
  bool stopped = false;
  double seconds = 0;
  std::vector<ScanFailure> failures;
};

// Scans `roots` (folders, or single audio files) into `store`. NotFound if a root
// does not exist; catalog errors stop the scan and are returned (what was committed
// stays).
Result<ScanReport> ScanLibrary(CatalogStore& store, const std::vector<std::string>& roots,
                               const ScanOptions& options = {});

// Whether `path` has an audio file extension a scan looks at (case-insensitive).
bool HasAudioExtension(std::string_view path);

// Hash64 over the size and the first, middle and last 64 KiB: the same content under
// another name or mtime gives the same value, without reading whole files.
Result<std::int64_t> FileFingerprint(const std::string& path);

// The stored JSON of an analysis: every descriptor, the stream and the tags the
// catalog's Track has no field for (album artist, track number).
std::string DescriptorsJson(const AudioAnalysis& analysis);

}  // namespace emotune
