// Model files: the little binary format the models trained in C++ share (music mood,
// voice emotion). Values are appended in the machine's byte order behind a magic; a
// ByteCursor reads them back, failing for good on the first short or non-finite read,
// so a loader checks once at the end. Files are replaced atomically (a temporary file
// renamed over the old one), so a crash mid-save never leaves half a model.
// Not thread-safe; each cursor belongs to one reader.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/status.h"

namespace emotune {

template <typename T>
void AppendBytes(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof value);
}

class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : rest_(bytes) {}

  template <typename T>
  bool Take(T* value) {
    if (!ok_ || rest_.size() < sizeof *value) return ok_ = false;
    std::memcpy(value, rest_.data(), sizeof *value);
    rest_.remove_prefix(sizeof *value);
    return true;
  }
  // Fails on a NaN or an infinity as on a short read: a model holding one is corrupt.
  template <std::size_t N>
  bool TakeFinite(std::array<double, N>* values) {
    for (double& v : *values)
      if (!Take(&v) || !std::isfinite(v)) return ok_ = false;
    return true;
  }
  bool TakeFloats(std::vector<float>* values, std::size_t n) {
    values->resize(n);
    for (float& v : *values)
      if (!Take(&v) || !std::isfinite(v)) return ok_ = false;
    return true;
  }
  // A uint32 length, at most `max`, then that many bytes.
  bool TakeString(std::string* s, std::uint32_t max) {
    std::uint32_t n = 0;
    if (!Take(&n) || n > max || rest_.size() < n) return ok_ = false;
    s->assign(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return true;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return rest_.empty(); }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

// Writes `bytes` to `path` through a temporary file beside it and a rename.
// IoError names the path.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace emotune
