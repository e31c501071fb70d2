// TextMoodReader: anything that reads a mood from a piece of text. The chat talks to
// this interface, so it can be driven by the trained classifier or, in tests, by a
// scripted reader. Implementations must be safe to call from several threads at once.
#pragma once

#include <string_view>

#include "emotune/mood_estimate.h"
#include "emotune/status.h"

namespace emotune {

class TextMoodReader {
 public:
  virtual ~TextMoodReader() = default;
  // The mood the text expresses. Empty or blank text is an InvalidArgument ("no
  // text"); text the reader cannot judge (another language, "ok") is a low-confidence
  // estimate, not an error.
  virtual Result<MoodEstimate> ReadMood(std::string_view text) const = 0;
};

}  // namespace emotune
