// Locale-independent ASCII case folding and trimming, for matching names users type
// against names files carry ("Happy" vs "happy ", "Valence" vs "valence"). Bytes
// outside ASCII pass through unchanged, so UTF-8 stays intact. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace emotune {

std::string AsciiLower(std::string_view text);
// `text` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string_view TrimSpace(std::string_view text);

}  // namespace emotune
