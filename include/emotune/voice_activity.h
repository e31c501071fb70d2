// Voice activity: which stretches of a recording are speech. Frames louder than an
// adaptive threshold (above the recording's own noise floor, within a dynamic range
// of its loudest part) form segments; short gaps are bridged, long pauses split the
// recording into utterances, very long utterances are cut at their quietest point.
// A segment counts as speech only if it sounds like a voice: enough voiced frames
// with a pitch in the human range, and the syllabic rise and fall of level that
// held notes, hum and steady noise lack. What is left out is said (silence, no
// voiced sound, steady tones), so a clip with no speech gets a reason, not a guess.
//
// Pure functions over a VoiceFrames: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "emotune/voice_frames.h"

namespace emotune {

struct VoiceActivityOptions {
  double floor_margin_db = 9;      // active: at least this far above the noise floor (10th percentile); default 9 dB
  double dynamic_range_db = 42;    // … and no more than this below the loud level (99th percentile); default 42 dB
  double min_level_dbfs = -70;     // … and above this absolute level; default -70 dBFS
  double bridge_gap_s = 0.3;       // quieter gaps up to this stay inside a segment; default 0.3 s
  double split_pause_s = 0.6;      // pauses this long or longer end an utterance; default 0.6 s
  double min_utterance_s = 0.3;    // shorter segments are dropped; default 0.3 s
  double max_utterance_s = 8;      // longer utterances are cut at their quietest frame; default 8 s
  double min_voiced_fraction = 0.15;  // speech: at least this share of active frames voiced; default 0.15
  double min_modulation_db = 1.8;  // speech: syllabic level modulation at least this; default 1.8 dB
};

struct SpeechSegment {
  std::size_t begin = 0, end = 0;  // frames [begin, end)
  double start_s = 0, end_s = 0;
  double voiced_fraction = 0;      // of the segment's active frames
  double modulation_db = 0;        // SD of level around its 0.4 s moving average, active frames
  double median_pitch_hz = 0;
  bool speech = false;             // passed the speech checks
};

struct VoiceActivity {
  double noise_floor_db = -100;    // 10th percentile of frame level
  double threshold_db = 0;         // the level an active frame reaches
  std::vector<std::uint8_t> active;       // per frame: at or above threshold_db
  std::vector<SpeechSegment> segments;    // every candidate, speech or not, in time order
  std::vector<SpeechSegment> utterances;  // the speech ones
  // Empty when utterances were found; otherwise why not, for a user:
  // "only silence", "sound but no voice (noise?)", "no speech rhythm (music or a steady tone?)".
  std::string no_speech_reason;

  double speech_seconds() const {
    double s = 0;
    for (const auto& u : utterances) s += u.end_s - u.start_s;
    return s;
  }
};

VoiceActivity DetectVoiceActivity(const VoiceFrames& frames, const VoiceActivityOptions& options = {});

}  // namespace emotune
