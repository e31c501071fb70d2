#include "emotune/voice_mood.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "emotune/label_map.h"
#include "emotune/voice_features.h"
#include "emotune/voice_frames.h"
#include "voice/resample_speed.h"

namespace emotune {
namespace {

// Whether the active frames hold (almost) nothing above 4 kHz: telephone audio, or
// audio that once was, whatever rate it is stored at now.
bool IsNarrowband(const VoiceFrames& frames, const VoiceActivity& activity) {
  const double lo = 2595.0 * std::log10(1.0 + 60 / 700.0), hi = 2595.0 * std::log10(1.0 + 7600 / 700.0);
  std::size_t first_high = kVoiceMelBands;
  for (std::size_t b = 0; b < kVoiceMelBands; ++b) {
    const double centre = 700.0 * (std::pow(10.0, (lo + (hi - lo) * static_cast<double>(b + 1) / (kVoiceMelBands + 1)) / 2595.0) - 1.0);
    if (centre >= 4300) {
      first_high = b;
      break;
    }
  }
  double low = 0, high = 0;
  for (const SpeechSegment& u : activity.utterances)
    for (std::size_t i = u.begin; i < u.end; ++i) {
      if (!activity.active[i]) continue;
      const auto mel = frames.mel(i);
      for (std::size_t b = 0; b < kVoiceMelBands; ++b) (b < first_high ? low : high) += std::exp(mel[b]);
    }
  // Speech recorded wide has its band above 4.3 kHz some 20–35 dB below the rest;
  // audio that went through an 8 kHz channel, 70 dB or more.
  return low > 0 && high / low < 1e-5;
}

MoodEstimate MoodOf(const RavdessProbabilities& p, double confidence_scale) {
  const EmotionDistribution d = Normalized(MapDistribution(LabelSet::kRavdess, p));
  return MoodEstimate::FromDistribution(d, DistributionConfidence(d) * confidence_scale, "voice");
}

// (1 − w) × a + w × b.
RavdessProbabilities Mix(const RavdessProbabilities& a, const RavdessProbabilities& b, double w) {
  RavdessProbabilities p{};
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) p[k] = (1 - w) * a[k] + w * b[k];
  return p;
}

}  // namespace

UtteranceFeatures ExtractUtteranceFeatures(std::span<const float> samples, const VoiceActivityOptions& options) {
  UtteranceFeatures out;
  const VoiceFrames frames = AnalyseVoiceFrames(samples);
  const VoiceActivity activity = DetectVoiceActivity(frames, options);
  out.no_speech_reason = activity.no_speech_reason;
  out.utterances = activity.utterances;
  for (const SpeechSegment& u : activity.utterances) {
    out.features.push_back(ComputeVoiceFeatures(frames, u, activity.threshold_db));
    out.cnn_inputs.push_back(MakeVoiceCnnInput(frames, u));
  }
  out.narrowband = !activity.utterances.empty() && IsNarrowband(frames, activity);
  return out;
}

std::string VoiceCnnCompanionPath(const std::string& model_path) {
  const std::filesystem::path path(model_path);
  return (path.parent_path() / (path.stem().string() + "-cnn.onnx")).string();
}

Result<std::unique_ptr<VoiceMoodReader>> VoiceMoodReader::Load(const std::string& model_path,
                                                               const VoiceMoodOptions& options) {
  auto model = VoiceEmotionModel::Load(model_path);
  if (!model.ok()) return model.status();
  std::shared_ptr<const VoiceCnnModel> cnn;
  const std::string cnn_path = VoiceCnnCompanionPath(model_path);
  std::error_code ec;
  if (options.cnn_weight > 0 && std::filesystem::exists(cnn_path, ec)) {
    auto loaded = VoiceCnnModel::Load(cnn_path);
    if (!loaded.ok()) return loaded.status();
    cnn = std::move(*loaded);
  }
  return std::make_unique<VoiceMoodReader>(std::shared_ptr<const VoiceEmotionModel>(std::move(*model)), options, std::move(cnn));
}

VoiceMoodReader::VoiceMoodReader(std::shared_ptr<const VoiceEmotionModel> model, const VoiceMoodOptions& options,
                                 std::shared_ptr<const VoiceCnnModel> cnn)
    : model_(std::move(model)), cnn_(std::move(cnn)), options_(options) {
  options_.cnn_weight = std::clamp(options_.cnn_weight, 0.0, 1.0);
}


Result<VoiceMoodResult> VoiceMoodReader::ReadFile(const std::string& path) const {
  auto clip = DecodeVoiceClip(path, options_.limits);
  if (!clip.ok()) return clip.status();
  return ReadClip(*clip, path);
}

Result<VoiceMoodResult> VoiceMoodReader::ReadMemory(std::span<const std::uint8_t> bytes, const std::string& name) const {
  auto clip = DecodeVoiceClip(bytes, name, options_.limits);
  if (!clip.ok()) return clip.status();
  return ReadClip(*clip, name);
}

Result<VoiceMoodResult> VoiceMoodReader::ReadClip(const VoiceClip& clip, const std::string& name) const {
  VoiceMoodResult result;
  result.seconds = clip.seconds();
  result.source_rate = clip.source_rate;
  result.source_channels = clip.source_channels;
  result.codec = clip.codec;
  result.truncated = clip.truncated;
  result.clipped_fraction = clip.clipped_fraction;
  const UtteranceFeatures found = ExtractUtteranceFeatures(clip.samples, options_.activity);
  if (found.utterances.empty())
    return Status::NotFound(fmt::format("{}: no speech found ({})", name, found.no_speech_reason));

  double confidence_scale = 1;
  result.narrowband = found.narrowband || clip.source_rate < 11025;
  if (result.truncated)
    result.notes.push_back(fmt::format("only the first {:.0f} s of {:.0f} s were analysed", result.seconds, clip.source_seconds));
  if (result.narrowband) {
    confidence_scale *= 0.7;
    result.notes.push_back("narrowband (telephone) audio: little above 4 kHz, so the reading is less reliable");
  }
  if (clip.clipped_fraction > 0.001) {
    confidence_scale *= clip.clipped_fraction > 0.02 ? 0.6 : 0.85;
    result.notes.push_back(fmt::format("{:.1f}% of the samples are clipped: the recording is distorted", 100 * clip.clipped_fraction));
  }
  if (std::abs(clip.dc_offset) > 0.02)
    result.notes.push_back(fmt::format("a DC offset of {:+.3f} was removed", clip.dc_offset));

  // The feature network reads the clip and its test-time views; the CNN reads the
  // clip as recorded (views did not help it on the validation actors). Each pools
  // its utterances by length; the two are then averaged by cnn_weight.
  const double w = cnn_ ? options_.cnn_weight : 0.0;
  RavdessProbabilities features_pooled{}, cnn_pooled{};
  double total = 0;
  for (std::size_t i = 0; i < found.utterances.size(); ++i) {
    const SpeechSegment& u = found.utterances[i];
    UtteranceReading reading;
    reading.start_s = u.start_s;
    reading.end_s = u.end_s;
    const RavdessProbabilities by_features = w < 1 ? model_->Predict(found.features[i]) : RavdessProbabilities{};
    const RavdessProbabilities by_cnn = w > 0 ? cnn_->Predict(found.cnn_inputs[i]) : RavdessProbabilities{};
    reading.probabilities = Mix(by_features, by_cnn, w);
    reading.mood = MoodOf(reading.probabilities, confidence_scale);
    const double length = u.end_s - u.start_s;
    for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) {
      features_pooled[k] += length * by_features[k];
      cnn_pooled[k] += length * by_cnn[k];
    }
    total += length;
    result.speech_seconds += length;
    result.utterances.push_back(std::move(reading));
  }
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) {
    features_pooled[k] /= total;
    cnn_pooled[k] /= total;
  }
  // Test-time views: the same clip a little slower and faster, pooled the same way.
  const double speeds[4] = {0.95, 1.05, 0.9, 1.1};
  int views = 1;
  for (int v = 0; w < 1 && v + 1 < std::clamp(options_.views, 1, 5); ++v) {
    const UtteranceFeatures other = ExtractUtteranceFeatures(voice::ChangeSpeed(clip.samples, speeds[v]), options_.activity);
    RavdessProbabilities sum{};
    double length = 0;
    for (std::size_t i = 0; i < other.utterances.size(); ++i) {
      const double l = other.utterances[i].end_s - other.utterances[i].start_s;
      const auto p = model_->Predict(other.features[i]);
      for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) sum[k] += l * p[k];
      length += l;
    }
    if (length <= 0) continue;
    for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) features_pooled[k] += sum[k] / length;
    ++views;
  }
  for (double& p : features_pooled) p /= views;
  const RavdessProbabilities pooled = Mix(features_pooled, cnn_pooled, w);
  if (result.speech_seconds < 1.0) {
    confidence_scale *= 0.8;
    result.notes.push_back(fmt::format("only {:.1f} s of speech", result.speech_seconds));
  }
  result.probabilities = pooled;
  result.mood = MoodOf(pooled, confidence_scale);
  return result;
}

}  // namespace emotune
