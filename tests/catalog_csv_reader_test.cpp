// CsvReader: RFC 4180 quoting, line numbers, separators sniffing, errors, and records
// that straddle the reader's 1 MiB buffer.
#include "catalog/csv_reader.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_files.h"

namespace emotune {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

struct Record {
  std::int64_t line;
  std::vector<std::string> fields;
};

std::vector<std::string> Fields(const CsvReader& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.emplace_back(r.field(i));
  return out;
}

// Every record of `contents`; fails the test on a reader error.
std::vector<Record> ReadAll(const TempDir& dir, const std::string& contents, char* separator = nullptr) {
  const std::string path = WriteFile(dir.File("in.csv"), contents);
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  if (!reader.ok()) return {};
  if (separator) *separator = (*reader)->separator();
  std::vector<Record> records;
  while (true) {
    auto more = (*reader)->Next();
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    records.push_back({(*reader)->line(), Fields(**reader)});
  }
  return records;
}

TEST(CsvReaderTest, PlainRecordsAndLineNumbers) {
  TempDir dir;
  auto records = ReadAll(dir, "a,b,c\n1,2,3\nx,,z\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(records[2].fields, ElementsAre("x", "", "z"));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReaderTest, QuotedSeparatorsAndDoubledQuotes) {
  TempDir dir;
  auto records = ReadAll(dir, "h1,h2,h3\n\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("a,b", "say \"hi\"", ""));
}

TEST(CsvReaderTest, NewlinesInsideQuotesKeepLineNumbersRight) {
  TempDir dir;
  auto records = ReadAll(dir, "title,note\n\"two\nlines\",\"and\nthree\nhere\"\nnext,row\n\"x\",y\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("two\nlines", "and\nthree\nhere"));
  EXPECT_EQ(records[1].line, 2);
  // The quoted record spans lines 2-5, so the next one starts on line 6.
  EXPECT_EQ(records[2].line, 6);
  EXPECT_THAT(records[2].fields, ElementsAre("next", "row"));
  EXPECT_EQ(records[3].line, 7);
}

TEST(CsvReaderTest, CrlfLineEndings) {
  TempDir dir;
  auto records = ReadAll(dir, "a,b\r\n1,\"q\"\r\n\"multi\r\nline\",2\r\nlast,3\r\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT(records[1].fields, ElementsAre("1", "q"));
  EXPECT_THAT(records[2].fields, ElementsAre("multi\r\nline", "2"));
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[3].line, 5);
  EXPECT_THAT(records[3].fields, ElementsAre("last", "3"));
}

TEST(CsvReaderTest, LastRecordWithoutNewlineAndTrailingEmptyField) {
  TempDir dir;
  auto records = ReadAll(dir, "a,b\n1,");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", ""));
}

TEST(CsvReaderTest, Utf8BomIsSkipped) {
  TempDir dir;
  auto records = ReadAll(dir, "\xEF\xBB\xBFtitle,artist\nSong,Band\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("title", "artist"));
  EXPECT_EQ(records[0].line, 1);
}

TEST(CsvReaderTest, SniffsTab) {
  TempDir dir;
  char sep = 0;
  auto records = ReadAll(dir, "title\tartist\tyear\nA, with comma\tB\t1999\n", &sep);
  EXPECT_EQ(sep, '\t');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("A, with comma", "B", "1999"));
}

TEST(CsvReaderTest, SniffsSemicolon) {
  TempDir dir;
  char sep = 0;
  auto records = ReadAll(dir, "title;artist;\"a,b,c,d\"\n\"x;y\";B, C;3,5\n", &sep);
  EXPECT_EQ(sep, ';');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("title", "artist", "a,b,c,d"));
  EXPECT_THAT(records[1].fields, ElementsAre("x;y", "B, C", "3,5"));
}

TEST(CsvReaderTest, CommaIsTheDefault) {
  TempDir dir;
  char sep = 0;
  auto records = ReadAll(dir, "title\nonly\n", &sep);
  EXPECT_EQ(sep, ',');
  ASSERT_EQ(records.size(), 2u);
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  TempDir dir;
  auto records = ReadAll(dir, "a,b\n\n\n1,2\n\r\n3,4\n\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].line, 4);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(records[2].line, 6);
}

TEST(CsvReaderTest, EmptyFileHasNoRecords) {
  TempDir dir;
  EXPECT_TRUE(ReadAll(dir, "").empty());
  EXPECT_TRUE(ReadAll(dir, "\xEF\xBB\xBF").empty());
}

TEST(CsvReaderTest, MissingFileIsNotFound) {
  TempDir dir;
  auto reader = CsvReader::Open(dir.File("nope.csv"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("nope.csv"));
}

TEST(CsvReaderTest, StrayQuoteNamesLineAndColumnThenResumes) {
  TempDir dir;
  auto reader = CsvReader::Open(WriteFile(dir.File("in.csv"), "a,b,c\n1,2,3\nx,y\"z,w\nok,fine,here\n"));
  ASSERT_TRUE(reader.ok());
  CsvReader& r = **reader;
  ASSERT_TRUE(*r.Next());
  ASSERT_TRUE(*r.Next());
  auto bad = r.Next();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("column 2"));
  EXPECT_THAT(bad.status().message(), HasSubstr("stray quote"));
  EXPECT_EQ(r.line(), 3);
  auto next = r.Next();
  ASSERT_TRUE(next.ok()) << next.status().message();
  ASSERT_TRUE(*next);
  EXPECT_EQ(r.line(), 4);
  EXPECT_THAT(Fields(r), ElementsAre("ok", "fine", "here"));
}

TEST(CsvReaderTest, CharacterAfterClosingQuoteIsAnError) {
  TempDir dir;
  auto reader = CsvReader::Open(WriteFile(dir.File("in.csv"), "a,b,c\n1,2,\"x\"y\n"));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(*(*reader)->Next());
  auto bad = (*reader)->Next();
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("column 3"));
  EXPECT_THAT(bad.status().message(), HasSubstr("after a closing quote"));
  EXPECT_EQ((*reader)->line(), 2);
}

TEST(CsvReaderTest, UnterminatedQuoteNamesLineAndColumn) {
  TempDir dir;
  auto reader = CsvReader::Open(WriteFile(dir.File("in.csv"), "a,b\n1,2\n\n3,\"never closed\nmore text\n"));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(*(*reader)->Next());
  ASSERT_TRUE(*(*reader)->Next());
  auto bad = (*reader)->Next();
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("column 2"));
  EXPECT_THAT(bad.status().message(), HasSubstr("unterminated"));
  EXPECT_EQ((*reader)->line(), 4);
}

// A file larger than the reader's 1 MiB chunk, with `special` placed so that byte
// `at` of it lands on the chunk boundary.
std::string BigFileWith(const std::string& special, std::size_t at, std::size_t* filler_rows) {
  constexpr std::size_t kChunk = 1 << 20;
  std::string text = "id,text\n";
  const std::string row = "123456789,filler text for the first chunk\n";  // 43 bytes
  const std::size_t special_start = kChunk - at;
  std::size_t rows = 0;
  while (text.size() + row.size() <= special_start) {
    text += row;
    ++rows;
  }
  // Pad one row so the special record starts exactly at special_start.
  std::size_t pad = special_start - text.size();
  if (pad > 0 && pad < 3) {  // too short for a row of its own: widen the last one
    text.resize(text.size() - row.size());
    --rows;
    pad += row.size();
  }
  if (pad > 0) {
    EXPECT_GE(pad, 3u);
    text += "p," + std::string(pad - 3, 'x') + "\n";
    ++rows;
  }
  EXPECT_EQ(text.size(), special_start);
  text += special;
  text += "after,the boundary\n";
  *filler_rows = rows;
  return text;
}

TEST(CsvReaderTest, QuotedFieldSpanningTheChunkBoundary) {
  TempDir dir;
  // A quoted field with a separator, a doubled quote and newlines, cut by the chunk
  // boundary at every offset around its delicate characters.
  const std::string special = "42,\"part one, \"\"quoted\"\"\nsecond line\r\nthird\"\r\n";
  const std::string expected = "part one, \"quoted\"\nsecond line\r\nthird";
  for (std::size_t at = 0; at < special.size(); ++at) {
    SCOPED_TRACE("boundary at byte " + std::to_string(at) + " of the record");
    std::size_t filler = 0;
    const std::string contents = BigFileWith(special, at, &filler);
    ASSERT_GT(contents.size(), std::size_t{1} << 20);
    auto records = ReadAll(dir, contents);
    ASSERT_EQ(records.size(), 1 + filler + 2);
    const Record& rec = records[1 + filler];
    EXPECT_THAT(rec.fields, ElementsAre("42", expected));
    EXPECT_EQ(rec.line, static_cast<std::int64_t>(2 + filler));
    const Record& after = records.back();
    EXPECT_THAT(after.fields, ElementsAre("after", "the boundary"));
    EXPECT_EQ(after.line, rec.line + 3);  // the special record has two newlines inside
  }
}

TEST(CsvReaderTest, BlankCrlfLineOnTheChunkBoundaryCountsOnce) {
  TempDir dir;
  // "\r\n\r\n": the record's own CRLF, then a blank CRLF line cut between \r and \n.
  for (std::size_t at : {std::size_t{6}, std::size_t{7}, std::size_t{8}}) {
    SCOPED_TRACE("boundary at byte " + std::to_string(at));
    std::size_t filler = 0;
    const std::string contents = BigFileWith("42,xy\r\n\r\n", at, &filler);
    auto records = ReadAll(dir, contents);
    ASSERT_EQ(records.size(), 1 + filler + 2);
    EXPECT_EQ(records[1 + filler].line, static_cast<std::int64_t>(2 + filler));
    EXPECT_THAT(records.back().fields, ElementsAre("after", "the boundary"));
    EXPECT_EQ(records.back().line, records[1 + filler].line + 2);
  }
}

TEST(CsvReaderTest, RecordLongerThanAChunk) {
  TempDir dir;
  const std::string huge(3 * (1 << 20) + 17, 'z');
  auto records = ReadAll(dir, "a,b\n\"" + huge + "\",tail\nnext,1\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields[0].size(), huge.size());
  EXPECT_EQ(records[1].fields[1], "tail");
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReaderTest, BytesReadReachesTheFileSize) {
  TempDir dir;
  const std::string contents = "a,b\n1,2\n3,4\n";
  auto reader = CsvReader::Open(WriteFile(dir.File("in.csv"), contents));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->file_size(), static_cast<std::int64_t>(contents.size()));
  while (*(*reader)->Next()) {
  }
  EXPECT_EQ((*reader)->bytes_read(), static_cast<std::int64_t>(contents.size()));
}

}  // namespace
}  // namespace emotune
