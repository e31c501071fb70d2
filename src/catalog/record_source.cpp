#include "catalog/record_source.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "catalog/csv_reader.h"

namespace emotune {
namespace {

class CsvSource : public RecordSource {
 public:
  CsvSource(std::unique_ptr<CsvReader> reader, std::vector<std::string> header, ColumnLayout layout)
      : reader_(std::move(reader)), header_(std::move(header)), layout_(std::move(layout)) {}

  Result<bool> Next(RawFields* raw) override {
    auto more = reader_->Next();
    if (!more.ok()) {
      // Name the column as the header does: "column 2 (album): stray quote …".
      const std::size_t c = reader_->error_column();
      const std::string prefix = fmt::format("column {}", c);
      const std::string& message = more.status().message();
      if (c >= 1 && c <= header_.size() && message.starts_with(prefix + ":"))
        return Status::InvalidArgument(
            fmt::format("{} ({}){}", prefix, header_[c - 1], message.substr(prefix.size())));
      return more;
    }
    if (!*more) return more;
    if (reader_->size() != header_.size()) {
      const std::size_t n = reader_->size();
      return Status::InvalidArgument(
          n < header_.size()
              ? fmt::format("expected {} columns as in the header, found {}: column {} ({}) is missing "
                            "(is the row cut short?)",
                            header_.size(), n, n + 1, header_[n])
              : fmt::format("expected {} columns as in the header, found {}: column {} has no header",
                            header_.size(), n, header_.size() + 1));
    }
    for (std::size_t f = 0; f < kTrackFieldCount; ++f) {
      const int c = layout_.column[f];
      (*raw)[f] = c < 0 ? std::nullopt : std::optional<std::string_view>(reader_->field(c));
    }
    return true;
  }
  std::int64_t line() const override { return reader_->line(); }
  std::string DescribeField(TrackField field) const override {
    const int c = layout_.column[static_cast<std::size_t>(field)];
    return fmt::format("column {} ({})", c + 1, header_[c]);
  }
  ImportProgress Progress() const override { return {0, reader_->bytes_read(), reader_->file_size()}; }
  const std::string& layout() const override { return layout_.name; }

 private:
  std::unique_ptr<CsvReader> reader_;
  std::vector<std::string> header_;
  ColumnLayout layout_;
};

// JSON Lines: one object per line. Keys are matched like a CSV header, per line,
// because objects in one file need not share their keys.
class JsonLinesSource : public RecordSource {
 public:
  JsonLinesSource(std::ifstream in, std::int64_t size, std::map<std::string, std::string> overrides)
      : in_(std::move(in)), size_(size), overrides_(std::move(overrides)) {}

  Result<bool> Next(RawFields* raw) override {
    std::string text;
    do {
      if (!std::getline(in_, text)) return false;
      ++line_;
      bytes_ += static_cast<std::int64_t>(text.size()) + 1;
    } while (text.find_first_not_of(" \t\r") == std::string::npos);
    nlohmann::json object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded()) return Status::InvalidArgument("not valid JSON (or not UTF-8)");
    if (!object.is_object()) return Status::InvalidArgument("expected a JSON object");
    std::vector<std::string> keys;
    values_.clear();
    for (auto& [key, value] : object.items()) {
      keys.push_back(key);
      if (value.is_null()) values_.emplace_back();
      else if (value.is_string()) values_.push_back(value.get<std::string>());
      else values_.push_back(value.dump(-1, ' ', /*ensure_ascii=*/false));
    }
    if (!have_layout_ || keys != keys_) {
      auto matched = MatchColumns(keys, overrides_);
      if (!matched.ok()) return matched.status();
      layout_ = std::move(*matched);
      keys_ = std::move(keys);
      have_layout_ = true;
    }
    for (std::size_t f = 0; f < kTrackFieldCount; ++f) {
      const int c = layout_.column[f];
      (*raw)[f] = c < 0 ? std::nullopt : std::optional<std::string_view>(values_[c]);
    }
    return true;
  }
  std::int64_t line() const override { return line_; }
  std::string DescribeField(TrackField field) const override {
    return fmt::format("field \"{}\"", keys_[layout_.column[static_cast<std::size_t>(field)]]);
  }
  ImportProgress Progress() const override { return {0, bytes_, size_}; }
  const std::string& layout() const override {
    static const std::string name = "jsonl";
    return layout_.name.empty() ? name : layout_.name;
  }

 private:
  std::ifstream in_;
  std::int64_t size_;
  std::map<std::string, std::string> overrides_;
  std::int64_t line_ = 0;
  std::int64_t bytes_ = 0;
  std::vector<std::string> keys_;
  std::vector<std::string> values_;
  ColumnLayout layout_{};
  bool have_layout_ = false;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

Result<std::string> DetectFormat(const std::string& path, const std::string& requested) {
  if (!requested.empty()) {
    if (requested == "csv" || requested == "tsv") return std::string("csv");
    if (requested == "jsonl" || requested == "ndjson") return std::string("jsonl");
    return Status::InvalidArgument(fmt::format("unknown format '{}' (use csv or jsonl)", requested));
  }
  for (auto ext : {".jsonl", ".ndjson", ".json"})
    if (EndsWith(path, ext)) return std::string("jsonl");
  for (auto ext : {".csv", ".tsv", ".txt"})
    if (EndsWith(path, ext)) return std::string("csv");
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c) && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {}
  return std::string(c == '{' ? "jsonl" : "csv");
}

}  // namespace

Result<std::unique_ptr<RecordSource>> OpenRecordSource(const std::string& path, const ImportOptions& options) {
  auto format = DetectFormat(path, options.format);
  if (!format.ok()) return format.status();
  if (*format == "jsonl") {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return Status::NotFound(fmt::format("{}: cannot open (no such file or no permission)", path));
    const std::int64_t size = in.tellg();
    in.seekg(0);
    return std::unique_ptr<RecordSource>(new JsonLinesSource(std::move(in), size, options.column_map));
  }
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  auto has_header = (*reader)->Next();
  if (!has_header.ok())
    return Status::InvalidArgument(fmt::format("{}:{}: header: {}", path, (*reader)->line(), has_header.status().message()));
  if (!*has_header) return Status::InvalidArgument(fmt::format("{}: the file is empty (no header row)", path));
  std::vector<std::string> header;
  for (std::size_t i = 0; i < (*reader)->size(); ++i) header.emplace_back((*reader)->field(i));
  auto layout = MatchColumns(header, options.column_map);
  if (!layout.ok()) return layout.status().WithContext(path + ":1: ");
  return std::unique_ptr<RecordSource>(new CsvSource(std::move(*reader), std::move(header), std::move(*layout)));
}

}  // namespace emotune
