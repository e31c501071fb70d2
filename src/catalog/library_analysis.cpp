// What a scan keeps of an analysis beyond the Track: the stored descriptor JSON, and
// the production FileAnalyzer.
#include <nlohmann/json.hpp>

#include "emotune/library_scanner.h"

namespace emotune {
namespace {

class AudioFileAnalyzer : public FileAnalyzer {
 public:
  Result<AudioAnalysis> Analyze(const std::string& path, const AnalysisOptions& options) override {
    return analyzer_.Analyze(path, options);
  }

 private:
  AudioAnalyzer analyzer_;
};

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::unique_ptr<FileAnalyzer> MakeAudioFileAnalyzer() { return std::make_unique<AudioFileAnalyzer>(); }

std::string DescriptorsJson(const AudioAnalysis& a) {
  const AudioDescriptors& d = a.descriptors;
  // Full precision and the field names of AudioDescriptors: this is stored data for
  // programs (the web app), not a display.
  const nlohmann::json json = {
      {"duration_s", d.duration_s},
      {"tempo_bpm", OrNull(d.tempo_bpm)},
      {"tempo_confidence", d.tempo_confidence},
      {"beat_strength", d.beat_strength},
      {"beat_regularity", d.beat_regularity},
      {"onset_rate_hz", d.onset_rate_hz},
      {"loudness_lufs", d.loudness_lufs},
      {"loudness_range_lu", d.loudness_range_lu},
      {"rms_dbfs", d.rms_dbfs},
      {"rms", d.rms},
      {"spectral_centroid_hz", d.spectral_centroid_hz},
      {"spectral_rolloff_hz", d.spectral_rolloff_hz},
      {"spectral_flatness", d.spectral_flatness},
      {"spectral_flux", d.spectral_flux},
      {"key", OrNull(d.key)},
      {"mode", OrNull(d.mode)},
      {"key_strength", d.key_strength},
      {"danceability", d.danceability},
      {"energy", d.energy},
      {"valence", d.valence},
      {"acousticness", d.acousticness},
      {"instrumentalness", d.instrumentalness},
      {"speechiness", d.speechiness},
      {"stream",
       {{"container", a.stream.container},
        {"codec", a.stream.codec},
        {"sample_rate", a.stream.sample_rate},
        {"channels", a.stream.channels},
        {"bit_rate", a.stream.bit_rate}}},
      {"packets_skipped", a.packets_skipped},
      {"tags",
       {{"album_artist", a.tags.album_artist},
        {"track_number", OrNull(a.tags.track_number)},
        {"track_total", OrNull(a.tags.track_total)},
        {"title_from_file_name", a.tags.title_from_file_name}}},
  };
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace emotune
