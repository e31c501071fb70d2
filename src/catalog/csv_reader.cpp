#include "catalog/csv_reader.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace emotune {
namespace {
constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kMaxRecordBytes = 16u << 20;

char SniffSeparator(std::string_view head) {
  std::size_t counts[3] = {0, 0, 0};
  const char seps[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (int k = 0; k < 3; ++k) counts[k] += (c == seps[k]);
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return seps[best];
}
}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path));
    return Status::IoError(fmt::format("{}: {}", path, std::strerror(err)));
  }
  std::int64_t size = -1;
  if (std::fseek(f, 0, SEEK_END) == 0) size = std::ftell(f);
  std::rewind(f);
  std::unique_ptr<CsvReader> reader(new CsvReader(f, size));
  reader->Refill();
  if (reader->buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) reader->pos_ = 3;
  reader->separator_ = SniffSeparator(std::string_view(reader->buf_).substr(reader->pos_));
  return reader;
}

CsvReader::CsvReader(std::FILE* file, std::int64_t file_size) : file_(file), file_size_(file_size) {
  bounds_.reserve(64);
}

CsvReader::~CsvReader() { std::fclose(file_); }

bool CsvReader::Refill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t old = buf_.size();
  buf_.resize(old + kChunk);
  const std::size_t got = std::fread(buf_.data() + old, 1, kChunk, file_);
  buf_.resize(old + got);
  if (got < kChunk) eof_ = true;
  return got > 0;
}

CsvReader::Parse CsvReader::ParseRecord(bool at_eof, std::string* error, std::size_t* error_field) {
  record_.clear();
  bounds_.clear();
  const char* p = buf_.data() + pos_;
  const char* end = buf_.data() + buf_.size();
  std::int64_t lines = 0;
  const char sep = separator_;
  while (true) {
    bounds_.push_back(record_.size());
    if (p < end && *p == '"') {
      ++p;
      while (true) {
        const char* q = static_cast<const char*>(std::memchr(p, '"', end - p));
        if (!q) {
          if (!at_eof) return Parse::kNeedMore;
          *error = "unterminated quoted field (is the file truncated?)";
          *error_field = bounds_.size();
          return Parse::kError;
        }
        for (const char* c = p; c < q; ++c) lines += (*c == '\n');
        record_.append(p, q - p);
        p = q + 1;
        if (p == end && !at_eof) return Parse::kNeedMore;
        if (p < end && *p == '"') {
          record_.push_back('"');
          ++p;
          continue;
        }
        break;
      }
      if (p < end && *p != sep && *p != '\n' && *p != '\r') {
        *error = fmt::format("unexpected character '{}' after a closing quote", *p);
        *error_field = bounds_.size();
        return Parse::kError;
      }
    } else {
      const char* start = p;
      while (p < end && *p != sep && *p != '\n' && *p != '\r') {
        if (*p == '"') {
          *error = "stray quote inside an unquoted field";
          *error_field = bounds_.size();
          return Parse::kError;
        }
        ++p;
      }
      record_.append(start, p - start);
    }
    bounds_.push_back(record_.size());
    if (p == end) {
      if (!at_eof) return Parse::kNeedMore;
      break;
    }
    if (*p == sep) {
      ++p;
      continue;
    }
    // End of line: \n, \r\n or a lone \r.
    if (*p == '\r') {
      if (p + 1 == end && !at_eof) return Parse::kNeedMore;
      ++p;
      if (p < end && *p == '\n') ++p;
    } else {
      ++p;
    }
    ++lines;
    break;
  }
  record_line_ = line_;
  line_ += lines;
  consumed_ += p - (buf_.data() + pos_);
  pos_ = p - buf_.data();
  return Parse::kRecord;
}

void CsvReader::SkipToNextLine() {
  while (true) {
    const char* p = buf_.data() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', buf_.size() - pos_));
    if (nl) {
      consumed_ += nl + 1 - p;
      pos_ = nl + 1 - buf_.data();
      ++line_;
      return;
    }
    consumed_ += buf_.size() - pos_;
    pos_ = buf_.size();
    if (!Refill()) return;
  }
}

Result<bool> CsvReader::Next() {
  while (true) {
    if (pos_ >= buf_.size() && !Refill()) return false;
    // A blank line is not a record. A \r ending the buffer needs the next byte to tell
    // CRLF (one line) from a lone \r.
    if (buf_[pos_] == '\r' && pos_ + 1 == buf_.size()) Refill();
    const char c = buf_[pos_];
    if (c == '\n' || c == '\r') {
      ++pos_;
      ++consumed_;
      if (c == '\n' || pos_ >= buf_.size() || buf_[pos_] != '\n') ++line_;
      continue;
    }
    std::string error;
    std::size_t error_field = 0;
    switch (ParseRecord(eof_, &error, &error_field)) {
      case Parse::kRecord:
        return true;
      case Parse::kNeedMore:
        // Memory stays bounded even when a stray quote swallows the rest of the file.
        if (buf_.size() - pos_ > kMaxRecordBytes) {
          record_line_ = line_;
          error_column_ = bounds_.size() / 2 + 1;
          SkipToNextLine();
          return Status::InvalidArgument(fmt::format(
              "column {}: a record longer than {} MiB (an unterminated quote?)", error_column_, kMaxRecordBytes >> 20));
        }
        if (!Refill()) eof_ = true;  // parse again; with eof_ it cannot need more
        continue;
      case Parse::kError: {
        record_line_ = line_;
        error_column_ = error_field / 2 + 1;
        SkipToNextLine();
        return Status::InvalidArgument(fmt::format("column {}: {}", error_column_, error));
      }
    }
  }
}

}  // namespace emotune
