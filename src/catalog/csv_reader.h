// CsvReader: streams RFC 4180 records from a file in constant memory, remembering
// the physical line each record starts on so errors can name it. Quoted fields may
// hold separators, doubled quotes and newlines; CRLF and a UTF-8 BOM are accepted.
// Not thread-safe; one reader per file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/status.h"

namespace emotune {

class CsvReader {
 public:
  // Opens `path`; the separator is sniffed from the first line (',' ';' or TAB).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record: true if one was read, false at the end of the file. A
  // malformed record (stray or unterminated quote) is an InvalidArgument naming the
  // column, with line() set to its line; the reader then resumes at the next line.
  Result<bool> Next();

  std::size_t size() const { return bounds_.size() / 2; }
  std::string_view field(std::size_t i) const {
    return std::string_view(record_).substr(bounds_[2 * i], bounds_[2 * i + 1] - bounds_[2 * i]);
  }
  std::int64_t line() const { return record_line_; }     // 1-based line the record starts on
  std::int64_t bytes_read() const { return consumed_; }  // bytes consumed so far
  std::int64_t file_size() const { return file_size_; }
  char separator() const { return separator_; }
  // The 1-based column the last malformed record failed in.
  std::size_t error_column() const { return error_column_; }

 private:
  explicit CsvReader(std::FILE* file, std::int64_t file_size);
  bool Refill();  // false when the file has nothing more
  // Parses one record from buf_[pos_..]; kNeedMore if the buffer ends inside it.
  enum class Parse { kRecord, kNeedMore, kError };
  Parse ParseRecord(bool at_eof, std::string* error, std::size_t* error_field);
  void SkipToNextLine();

  std::FILE* file_;
  std::int64_t file_size_;
  char separator_ = ',';
  std::string buf_;        // unread bytes of the file
  std::size_t pos_ = 0;    // parse position in buf_
  bool eof_ = false;
  std::int64_t line_ = 1;  // physical line at pos_
  std::int64_t consumed_ = 0;
  std::int64_t record_line_ = 0;
  std::size_t error_column_ = 0;
  std::string record_;                // the current record's field bytes, unescaped
  std::vector<std::size_t> bounds_;   // begin/end offsets into record_, per field
};

}  // namespace emotune
