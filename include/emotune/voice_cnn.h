// The voice emotion CNN: a small convolutional network over an utterance's log-mel
// frames (the 40 bands of voice_frames.h, 10 ms apart) → probabilities over RAVDESS's
// eight emotions. It is trained offline (tools/train_voice_cnn.py, PyTorch) on the
// very inputs this file computes — `emotune train voice --dump-logmel FILE` writes
// them — shipped as ONNX (models/voice-emotion-cnn.onnx) and run through OpenCV's dnn.
// The reader (voice_mood.h) averages it with the feature network (voice_emotion_model.h).
//
// VoiceCnnInput and the dump functions are pure: thread-safe. A VoiceCnnModel is
// thread-safe too: Predict may run on many threads (each call borrows a network of
// its own from a small pool, as cv::dnn::Net keeps buffers between calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emotune/status.h"
#include "emotune/voice_activity.h"
#include "emotune/voice_emotion_model.h"
#include "emotune/voice_frames.h"

namespace emotune {

// The network's input for one utterance: kVoiceMelBands rows (low to high band) of
// `frames` columns (frames [begin, end) of the utterance), band-major, each value
// the band's natural-log power minus the utterance's mean over all its bands and
// frames (so the microphone's gain does not count), floored at kVoiceCnnFloor. An
// utterance shorter than kVoiceCnnMinFrames is repeated up to that length.
inline constexpr float kVoiceCnnFloor = -12.0f;
inline constexpr std::size_t kVoiceCnnMinFrames = 32;
struct VoiceCnnInput {
  std::size_t frames = 0;
  std::vector<float> values;  // kVoiceMelBands × frames
};
VoiceCnnInput MakeVoiceCnnInput(const VoiceFrames& frames, const SpeechSegment& utterance);

// One record of a training dump: an utterance's input and where it came from.
struct VoiceCnnRecord {
  VoiceCnnInput input;
  std::int32_t label = 0;  // RAVDESS emotion index (0 neutral … 7 surprised)
  std::int32_t actor = 0;
  std::int32_t clip = 0;   // index of the clip in the dump's sorted clip list
  std::int32_t copy = 0;   // 0: as recorded; k > 0: the k-th augmented copy
};

// The dump format (little-endian, as tools/train_voice_cnn.py reads it):
//   8 bytes "EMOMEL01", u32 bands (40), u32 records, then per record
//   i32 label, actor, clip, copy, frames; f32 values[bands × frames].
// IoError names the path.
Status WriteVoiceCnnRecords(const std::string& path, std::span<const VoiceCnnRecord> records);
// InvalidArgument (naming the file) for anything else; NotFound for a missing file.
Result<std::vector<VoiceCnnRecord>> ReadVoiceCnnRecords(const std::string& path);

class VoiceCnnModel {
 public:
  // NotFound for a missing file; Corruption (naming the file) for one OpenCV cannot
  // read as ONNX, or a network that does not map a 1×1×40×T input to 8 probabilities.
  static Result<std::unique_ptr<VoiceCnnModel>> Load(const std::string& path);
  ~VoiceCnnModel();

  // Probabilities for one utterance's input (an empty input is a programming
  // error: throws std::invalid_argument).
  RavdessProbabilities Predict(const VoiceCnnInput& input) const;
  const std::string& path() const;

  struct Impl;

 private:
  explicit VoiceCnnModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotune
