// Labelled speech for training and scoring the voice emotion model: RAVDESS file
// names (`MM-CC-EE-II-SS-RR-AA.ext`: modality, vocal channel, emotion 01–08,
// intensity, statement, repetition, actor) found anywhere in a folder tree, and
// their utterance features — with, for training only, augmented copies (speed and
// pitch perturbation, gain, cropping, telephone band, added noise) so the model meets more voices than the actors'.
//
// Functions are thread-safe; ExtractVoiceCorpus runs on `threads` threads and gives
// the same examples in the same order whatever their number.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/status.h"
#include "emotune/voice_activity.h"
#include "emotune/voice_cnn.h"
#include "emotune/voice_emotion_model.h"

namespace emotune {

struct RavdessName {
  int modality = 0, channel = 0, emotion = 0, intensity = 0, statement = 0, repetition = 0, actor = 0;
  // Index into Labels(LabelSet::kRavdess): emotion − 1.
  std::size_t label() const { return static_cast<std::size_t>(emotion - 1); }
};

// "03-01-05-02-01-01-12.flac" → its fields; nullopt for any other name (seven
// two-digit fields, emotion 01–08, actor 01–99).
std::optional<RavdessName> ParseRavdessName(std::string_view file_name);

struct RavdessClip {
  std::string path;
  RavdessName name;
};

// Every RAVDESS-named file under `dir` (recursively, links not followed), sorted by
// path. NotFound when `dir` does not exist, InvalidArgument when it holds none.
Result<std::vector<RavdessClip>> FindRavdessClips(const std::string& dir);

struct VoiceAugmentOptions {
  // Augmented copies per clip, besides the clip itself; default 0 (training uses 2).
  int copies = 0;
  // Speed (and with it pitch) factors are drawn from [1 − range, 1 + range]; default 0.12.
  double speed_range = 0.12;
  // Gain changes drawn from ±gain_db; default 6 dB.
  double gain_db = 6;
  // Up to this share of the recording is cut off (at a random place at either end); default 0.25.
  double max_crop = 0.25;
  // Share of the copies also band-limited to 3.4 kHz, as telephone audio is; default 0.25.
  double telephone_share = 0.25;
  // Noise is added at an SNR drawn from [min, max] dB of the speech level; default 15..35.
  double min_snr_db = 15, max_snr_db = 35;
  // Weight of an augmented copy's examples in the loss; default 0.5.
  double copy_weight = 0.5;
  std::uint64_t seed = 7;
};

struct VoiceCorpusOptions {
  VoiceAugmentOptions augment;
  VoiceActivityOptions activity;
  int threads = 0;  // 0: one per core
  // Also keep each utterance's CNN input (VoiceCorpus::cnn_inputs); default false.
  bool keep_cnn_inputs = false;
  // Called after each clip with (done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct VoiceCorpus {
  std::vector<VoiceExample> examples;   // one per utterance of each clip or copy
  std::vector<std::size_t> clip_of;     // examples[i] came from clips[clip_of[i]]
  std::vector<bool> augmented;          // examples[i] came from an augmented copy
  std::vector<double> seconds;          // examples[i]'s utterance length
  std::vector<VoiceCnnInput> cnn_inputs;  // examples[i]'s CNN input, when keep_cnn_inputs; else empty
  std::vector<int> copy_of;             // examples[i] came from copy k of its clip (0: the clip itself)
  std::vector<std::string> left_out;    // "path: reason" for clips that gave nothing
};

// Decodes every clip, finds its utterances and computes their features; clips that
// fail to decode or hold no speech are listed in `left_out`, not fatal.
VoiceCorpus ExtractVoiceCorpus(const std::vector<RavdessClip>& clips, const VoiceCorpusOptions& options);

}  // namespace emotune
