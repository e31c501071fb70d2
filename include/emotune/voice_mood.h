// VoiceMoodReader: a spoken recording → the speaker's mood. The clip is decoded to
// 16 kHz mono (voice_clip.h), cut into utterances by voice activity
// (voice_activity.h), each utterance read by the voice emotion model
// (voice_emotion_model.h) from its features (voice_features.h) — averaged, when the
// model has a CNN companion, with the CNN's reading of its log-mel frames
// (voice_cnn.h) — and the utterances'
// probabilities pooled by their length into one estimate, mapped from RAVDESS's
// eight emotions into the nine (label_map.h). A clip without speech is NotFound
// with the reason, never a guess. Uploads are read in memory; nothing is written
// to disk.
//
// Thread-safe: a reader is immutable once loaded; Read* may run on many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emotune/mood_estimate.h"
#include "emotune/status.h"
#include "emotune/voice_activity.h"
#include "emotune/voice_clip.h"
#include "emotune/voice_cnn.h"
#include "emotune/voice_emotion_model.h"

namespace emotune {

inline constexpr double kVoiceCnnWeight = 0.8;

// The CNN companion of a feature-network file: `<stem>-cnn.onnx` beside it
// (models/voice-emotion.bin → models/voice-emotion-cnn.onnx).
std::string VoiceCnnCompanionPath(const std::string& model_path);

struct VoiceMoodOptions {
  VoiceClipLimits limits;          // what is decoded (default: the first 120 s of files up to 1 GiB)
  VoiceActivityOptions activity;   // how speech is found (defaults in voice_activity.h)
  // Test-time views of the feature network: besides the clip itself, it is read 5 %
  // slower and 5 % faster (then 10 %; pitch moving with speed, as the training
  // augmentation does) and the readings averaged. 1 reads it once. Range 1..5;
  // default 3. The CNN reads the clip as recorded only.
  int views = 3;
  // Share of the CNN in the reading, when the model has a CNN companion: (1 − w) ×
  // feature network + w × CNN, per utterance and pooled. 0 leaves the CNN unloaded,
  // 1 is the CNN alone. Range 0..1; default kVoiceCnnWeight (picked on validation
  // actors 13–18).
  double cnn_weight = kVoiceCnnWeight;
};

struct UtteranceReading {
  double start_s = 0, end_s = 0;
  RavdessProbabilities probabilities{};  // over Labels(LabelSet::kRavdess)
  MoodEstimate mood;                     // the same in the nine emotions
};

struct VoiceMoodResult {
  MoodEstimate mood;                      // pooled over the utterances, weighted by length
  RavdessProbabilities probabilities{};   // pooled, over Labels(LabelSet::kRavdess)
  std::vector<UtteranceReading> utterances;
  double seconds = 0;          // analysed
  double speech_seconds = 0;   // inside utterances
  int source_rate = 0, source_channels = 0;
  std::string codec;
  bool truncated = false;      // only the first limits.max_seconds were read
  bool narrowband = false;     // little or nothing above 4 kHz (telephone audio): less reliable
  double clipped_fraction = 0;
  std::vector<std::string> notes;  // what lowered the confidence or was left out, for a user
};

// The features of every utterance of a 16 kHz mono signal, as the reader and the
// trainer both compute them. `no_speech_reason` is set when there is none.
struct UtteranceFeatures {
  std::vector<SpeechSegment> utterances;
  std::vector<std::vector<float>> features;  // one per utterance
  std::vector<VoiceCnnInput> cnn_inputs;     // one per utterance (voice_cnn.h)
  std::string no_speech_reason;
  bool narrowband = false;
};
UtteranceFeatures ExtractUtteranceFeatures(std::span<const float> samples, const VoiceActivityOptions& activity = {});

class VoiceMoodReader {
 public:
  // The model file (models/voice-emotion.bin) and, when options.cnn_weight > 0 and
  // the file exists, its CNN companion (VoiceCnnCompanionPath). NotFound / Corruption
  // as VoiceEmotionModel::Load and VoiceCnnModel::Load; a companion that exists but
  // cannot be loaded is an error, not skipped.
  static Result<std::unique_ptr<VoiceMoodReader>> Load(const std::string& model_path,
                                                       const VoiceMoodOptions& options = {});
  // `cnn` may be null: the feature network alone.
  VoiceMoodReader(std::shared_ptr<const VoiceEmotionModel> model, const VoiceMoodOptions& options,
                  std::shared_ptr<const VoiceCnnModel> cnn = nullptr);

  // A recording on disk. Errors name the file: NotFound when it does not exist or
  // holds no speech ("no speech found: only silence …"), InvalidArgument when it is
  // empty, too large, too short or not audio.
  Result<VoiceMoodResult> ReadFile(const std::string& path) const;
  // A whole recording's bytes (an upload); `name` stands for it in messages.
  Result<VoiceMoodResult> ReadMemory(std::span<const std::uint8_t> bytes, const std::string& name) const;
  // An already decoded clip.
  Result<VoiceMoodResult> ReadClip(const VoiceClip& clip, const std::string& name) const;

  const VoiceMoodOptions& options() const { return options_; }
  const VoiceEmotionModel& model() const { return *model_; }
  // Null when the reader uses the feature network alone.
  const VoiceCnnModel* cnn() const { return cnn_.get(); }

 private:
  std::shared_ptr<const VoiceEmotionModel> model_;
  std::shared_ptr<const VoiceCnnModel> cnn_;
  VoiceMoodOptions options_;
};

}  // namespace emotune
