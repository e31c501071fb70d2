#include "emotune/track_import.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "catalog/record_source.h"

namespace emotune {
namespace {

constexpr std::size_t kBatchRows = 2048;
constexpr std::size_t kQueuedBatches = 4;
constexpr std::size_t kSkipExamples = 5;

// Batches of parsed tracks handed from the parsing thread to the writing thread, so
// parsing the next rows overlaps with SQLite storing the last ones.
class BatchQueue {
 public:
  // Blocks while full; false if the reader has given up.
  bool Push(std::vector<Track> batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < kQueuedBatches || abandoned_; });
    if (abandoned_) return false;
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty; false once closed and drained.
  bool Pop(std::vector<Track>* batch) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void Abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::vector<Track>> batches_;
  bool closed_ = false;
  bool abandoned_ = false;
};

// Reads, validates and batches every record; runs on its own thread.
Status ParseAll(RecordSource& source, const std::string& path, const ImportOptions& options,
                BatchQueue& queue, ImportReport* report) {
  RawFields raw;
  std::vector<Track> batch;
  batch.reserve(kBatchRows);
  const auto skip = [&](const std::string& reason, const std::string& message) {
    ++report->skipped;
    ++report->skip_reasons[reason];
    if (report->skip_examples.size() < kSkipExamples) report->skip_examples.push_back(message);
  };
  while (true) {
    auto more = source.Next(&raw);
    if (more.ok() && !*more) break;
    ++report->rows;
    if (options.progress && report->rows % 65536 == 0) {
      ImportProgress progress = source.Progress();
      progress.rows = report->rows;
      options.progress(progress);
    }
    if (!more.ok()) {
      const std::string message = fmt::format("{}:{}: {}", path, source.line(), more.status().message());
      if (!options.skip_bad) return Status::InvalidArgument(message);
      skip("malformed row", message);
      continue;
    }
    batch.emplace_back();
    if (auto error = ParseTrack(raw, &batch.back())) {
      batch.pop_back();
      const std::string message =
          fmt::format("{}:{}: {}: {}", path, source.line(), source.DescribeField(error->field), error->message);
      if (!options.skip_bad) return Status::InvalidArgument(message);
      skip(fmt::format("bad {}", TrackFieldName(error->field)), message);
      continue;
    }
    if (batch.size() == kBatchRows) {
      if (!queue.Push(std::move(batch))) return Status::Ok();
      batch = {};
      batch.reserve(kBatchRows);
    }
  }
  if (!batch.empty()) queue.Push(std::move(batch));
  return Status::Ok();
}

}  // namespace

std::string ImportFieldNames() { return TrackFieldNames(); }

Result<ImportReport> ImportTracks(CatalogStore& store, const std::string& path, const ImportOptions& options) {
  auto source = OpenRecordSource(path, options);
  if (!source.ok()) return source.status();
  ImportReport report;
  report.layout = (*source)->layout();

  const ImportProgress size = (*source)->Progress();
  auto writer = store.BeginWrite(size.total_bytes > 0 ? size.total_bytes / 150 : 0);
  if (!writer.ok()) return writer.status();

  BatchQueue queue;
  Status parse_status;
  std::thread parser([&] {
    parse_status = ParseAll(**source, path, options, queue, &report);
    queue.Close();
  });
  Status write_status;
  std::vector<Track> batch;
  while (queue.Pop(&batch)) {
    for (const Track& track : batch) {
      write_status = (*writer)->Put(track);
      if (!write_status.ok()) break;
    }
    if (!write_status.ok()) {
      queue.Abandon();
      break;
    }
  }
  parser.join();
  report.layout = (*source)->layout();
  // On any failure the writer is dropped uncommitted, which rolls the import back.
  if (!parse_status.ok()) return parse_status;
  if (!write_status.ok()) return write_status.WithContext(path + ": ");
  if (report.rows == report.skipped && report.rows > 0 && report.skipped > 0)
    return Status::InvalidArgument(fmt::format("{}: every row was bad; nothing imported (first: {})", path,
                                               report.skip_examples.front()));
  auto counts = (*writer)->Commit();
  if (!counts.ok()) return counts.status().WithContext(path + ": ");
  report.counts = *counts;
  if (Status logged = store.LogImport(path, report.layout, report.counts, report.skipped); !logged.ok())
    return logged;
  return report;
}

}  // namespace emotune
