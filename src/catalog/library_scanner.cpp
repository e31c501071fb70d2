#include "emotune/library_scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "catalog/library_walk.h"

namespace emotune {
namespace {

struct Job {
  WalkedFile file;
  std::optional<std::int64_t> fingerprint;  // known when move detection already read it
};

// What the scan decided before analysing anything.
struct Plan {
  std::vector<Job> analyse;
  std::vector<std::pair<std::string, LibraryFile>> moves;  // from → to
  std::vector<std::string> gone;
};

LibraryFile FileRow(const WalkedFile& f, std::int64_t fingerprint) {
  LibraryFile row;
  row.path = f.path;
  row.size_bytes = f.size_bytes;
  row.mtime_ns = f.mtime_ns;
  row.fingerprint = fingerprint;
  return row;
}

Plan Classify(const LibraryWalk& walk, const std::vector<LibraryFile>& known, ScanReport& report) {
  Plan plan;
  std::unordered_map<std::string_view, const LibraryFile*> by_path;
  for (const auto& k : known) by_path.emplace(k.path, &k);
  std::unordered_set<std::string_view> seen;
  std::vector<const WalkedFile*> unknown;
  for (const auto& f : walk.files) {
    seen.insert(f.path);
    const auto it = by_path.find(f.path);
    if (it == by_path.end()) {
      unknown.push_back(&f);
      continue;
    }
    const LibraryFile& k = *it->second;
    if (k.size_bytes != f.size_bytes || k.mtime_ns != f.mtime_ns) plan.analyse.push_back({f, std::nullopt});
    else if (k.status == LibraryFileStatus::kGone) plan.moves.emplace_back(k.path, FileRow(f, k.fingerprint));
    else ++report.unchanged;
  }
  // Files a walk of these roots should have met, and files gone earlier: the places a
  // track may have moved from.
  std::unordered_multimap<std::int64_t, const LibraryFile*> move_sources;
  std::unordered_set<std::string_view> missing;
  for (const auto& k : known) {
    if (seen.contains(k.path)) continue;
    const bool under_roots = std::any_of(walk.roots.begin(), walk.roots.end(),
                                         [&](const std::string& r) { return IsUnderRoot(k.path, r); });
    if (under_roots && k.status != LibraryFileStatus::kGone) missing.insert(k.path);
    if ((under_roots || k.status == LibraryFileStatus::kGone) && k.track_id != 0)
      move_sources.emplace(k.fingerprint, &k);
  }
  for (const WalkedFile* f : unknown) {
    std::optional<std::int64_t> fingerprint;
    // Reading a file's fingerprint costs three seeks: only worth it if it may match.
    if (!move_sources.empty()) {
      if (auto fp = FileFingerprint(f->path); fp.ok()) fingerprint = *fp;
    }
    if (fingerprint) {
      auto [lo, hi] = move_sources.equal_range(*fingerprint);
      const auto match = std::find_if(lo, hi, [&](const auto& e) { return e.second->size_bytes == f->size_bytes; });
      if (match != hi) {
        plan.moves.emplace_back(match->second->path, FileRow(*f, *fingerprint));
        missing.erase(match->second->path);
        move_sources.erase(match);
        continue;
      }
    }
    plan.analyse.push_back({*f, fingerprint});
  }
  plan.gone.assign(missing.begin(), missing.end());
  std::sort(plan.gone.begin(), plan.gone.end());
  return plan;
}

// The analyser's message names the file first; the report lists the path beside it.
std::string FailureReason(const std::string& path, const Status& status) {
  const std::string& m = status.message();
  if (m.starts_with(path + ": ")) return m.substr(path.size() + 2);
  return m;
}

struct Outcome {
  std::size_t job;
  Result<AudioAnalysis> analysis;
  Result<std::int64_t> fingerprint;
};

// Workers analyse; the calling thread commits each outcome as it arrives.
class ParallelScan {
 public:
  ParallelScan(CatalogStore& store, const std::vector<Job>& jobs, const ScanOptions& options, ScanReport& report)
      : store_(store), jobs_(jobs), options_(options), report_(report) {}

  Status Run() {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int wanted = options_.jobs > 0 ? options_.jobs : cores;
    const int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(wanted), jobs_.size()));
    running_ = threads;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) workers.emplace_back([this] { Work(); });
    Status status = CommitAll();
    for (auto& w : workers) w.join();
    return status;
  }

 private:
  bool Stopping() {
    if (!stop_ && options_.should_stop && options_.should_stop()) stop_ = true;
    return stop_;
  }

  void Work() {
    auto analyzer = options_.analyzer ? options_.analyzer() : MakeAudioFileAnalyzer();
    AnalysisOptions analysis_options;
    analysis_options.should_stop = [this] { return Stopping(); };
    analysis_options.read_cover_art = options_.read_cover_art;
    while (!Stopping()) {
      const std::size_t i = next_++;
      if (i >= jobs_.size()) break;
      const Job& job = jobs_[i];
      Result<std::int64_t> fingerprint = job.fingerprint ? Result<std::int64_t>(*job.fingerprint)
                                                         : FileFingerprint(job.file.path);
      Outcome outcome{i, analyzer->Analyze(job.file.path, analysis_options), std::move(fingerprint)};
      std::lock_guard lock(mutex_);
      ready_.push_back(std::move(outcome));
      ready_cv_.notify_one();
    }
    std::lock_guard lock(mutex_);
    --running_;
    ready_cv_.notify_one();
  }

  Status CommitAll() {
    const auto start = std::chrono::steady_clock::now();
    Status failed_write;
    std::int64_t done = 0;
    while (true) {
      std::unique_lock lock(mutex_);
      ready_cv_.wait(lock, [&] { return !ready_.empty() || running_ == 0; });
      if (ready_.empty()) break;
      Outcome outcome = std::move(ready_.front());
      ready_.pop_front();
      lock.unlock();
      if (!failed_write.ok()) continue;
      const WalkedFile& file = jobs_[outcome.job].file;
      // A file abandoned because the scan is stopping is no failure: the next scan does it.
      if (!outcome.analysis.ok() && stop_) continue;
      failed_write = Commit(file, outcome);
      if (!failed_write.ok()) {
        stop_ = true;
        continue;
      }
      ++done;
      if (options_.progress) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ScanProgress p;
        p.done = done;
        p.total = static_cast<std::int64_t>(jobs_.size());
        p.current = file.path;
        p.files_per_s = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
        p.eta_s = p.files_per_s > 0 ? static_cast<double>(p.total - done) / p.files_per_s : 0;
        options_.progress(p);
      }
    }
    report_.pending = static_cast<std::int64_t>(jobs_.size()) - done;
    report_.stopped = stop_ && report_.pending > 0;
    return failed_write;
  }

  Status Commit(const WalkedFile& file, Outcome& outcome) {
    LibraryFile row = FileRow(file, outcome.fingerprint.ok() ? *outcome.fingerprint : 0);
    if (!outcome.analysis.ok()) {
      row.status = LibraryFileStatus::kFailed;
      row.failure = FailureReason(file.path, outcome.analysis.status());
      if (Status s = store_.PutFailedFile(row); !s.ok()) return s;
      ++report_.failed;
      report_.failures.push_back({file.path, row.failure});
      return Status::Ok();
    }
    AudioAnalysis& analysis = *outcome.analysis;
    ScannedTrack scanned{ToTrack(analysis), std::move(row), DescriptorsJson(analysis), std::move(analysis.cover_art)};
    scanned.track.file_path = file.path;
    if (auto id = store_.PutScannedTrack(scanned); !id.ok()) return id.status();
    ++report_.analysed;
    return Status::Ok();
  }

  CatalogStore& store_;
  const std::vector<Job>& jobs_;
  const ScanOptions& options_;
  ScanReport& report_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::deque<Outcome> ready_;
  int running_ = 0;
};

}  // namespace

Result<ScanReport> ScanLibrary(CatalogStore& store, const std::vector<std::string>& roots,
                               const ScanOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto walk = WalkLibrary(roots);
  if (!walk.ok()) return walk.status();
  auto known = store.LibraryFiles();
  if (!known.ok()) return known.status();
  ScanReport report;
  report.files = static_cast<std::int64_t>(walk->files.size());
  const Plan plan = Classify(*walk, *known, report);
  for (const auto& [from, to] : plan.moves) {
    if (Status s = store.MoveLibraryFile(from, to); !s.ok()) return s;
    ++report.moved;
  }
  if (!plan.gone.empty()) {
    if (Status s = store.MarkGone(plan.gone); !s.ok()) return s;
    report.gone = static_cast<std::int64_t>(plan.gone.size());
  }
  if (Status s = ParallelScan(store, plan.analyse, options, report).Run(); !s.ok()) return s;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace emotune
