// RecordSource: one importable file read record by record into raw field values,
// whatever its format, so the importer validates and stores CSV and JSON Lines rows
// the same way. Not thread-safe; one source per file.
#pragma once

#include <memory>
#include <string>

#include "catalog/track_fields.h"
#include "emotune/status.h"
#include "emotune/track_import.h"

namespace emotune {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Fills `raw` with the next record: true if there was one, false at the end. A
  // record that is malformed as a whole (bad quoting, wrong number of columns, not a
  // JSON object) is an InvalidArgument; the source has then moved past it.
  virtual Result<bool> Next(RawFields* raw) = 0;
  // The line the last record (or error) started on, 1-based.
  virtual std::int64_t line() const = 0;
  // How an error names a field: "column 13 (valence)" or "field \"valence\"".
  virtual std::string DescribeField(TrackField field) const = 0;
  virtual ImportProgress Progress() const = 0;
  // The recognised layout's name.
  virtual const std::string& layout() const = 0;
};

// Opens `path` as CSV/TSV or JSON Lines (by options.format, else the extension, else
// the first byte) and matches its columns, applying options.column_map.
Result<std::unique_ptr<RecordSource>> OpenRecordSource(const std::string& path, const ImportOptions& options);

}  // namespace emotune
