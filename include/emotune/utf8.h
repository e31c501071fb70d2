// UTF-8 checks shared by every module that reads user text or files: where the first
// invalid byte is (so errors can name a column), and a repaired copy (so chat text is
// replaced, not rejected). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace emotune {

// Offset of the first byte that is not part of well-formed UTF-8 (overlongs,
// surrogates and code points above U+10FFFF count as invalid), or npos if valid.
std::size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

// `text` with every invalid sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view text);

}  // namespace emotune
