// emotune analyze: decode and analyse audio files, print what was found, and leave the
// catalog alone. One JSON object per file with --json (JSON Lines); a bad file is
// reported on stderr and the rest are still analysed, with exit code 1 at the end.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/audio_analysis.h"
#include "emotune/track.h"

namespace emotune::cli {
namespace {

// Four decimals: more would only print the noise of the measurement.
double Round4(double v) { return std::round(v * 1e4) / 1e4; }

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json TextOrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json AnalysisJson(const AudioAnalysis& a) {
  const AudioTags& t = a.tags;
  const AudioDescriptors& d = a.descriptors;
  return {
      {"path", a.path},
      {"title", t.title},
      {"title_from_file_name", t.title_from_file_name},
      {"artist", TextOrNull(t.artist)},
      {"album", TextOrNull(t.album)},
      {"album_artist", TextOrNull(t.album_artist)},
      {"genre", TextOrNull(t.genre)},
      {"year", OrNull(t.year)},
      {"date", TextOrNull(t.date)},
      {"language", TextOrNull(t.language)},
      {"track_number", OrNull(t.track_number)},
      {"codec", a.stream.codec},
      {"sample_rate", a.stream.sample_rate},
      {"channels", a.stream.channels},
      {"duration_s", Round4(d.duration_s)},
      {"tempo_bpm", d.tempo_bpm ? nlohmann::json(Round4(*d.tempo_bpm)) : nlohmann::json(nullptr)},
      {"tempo_confidence", Round4(d.tempo_confidence)},
      {"beat_strength", Round4(d.beat_strength)},
      {"beat_regularity", Round4(d.beat_regularity)},
      {"onset_rate_hz", Round4(d.onset_rate_hz)},
      {"key", d.key ? nlohmann::json(std::string(KeyName(*d.key))) : nlohmann::json(nullptr)},
      {"mode", d.mode ? nlohmann::json(*d.mode == 1 ? "major" : "minor") : nlohmann::json(nullptr)},
      {"key_strength", Round4(d.key_strength)},
      {"loudness_lufs", Round4(d.loudness_lufs)},
      {"loudness_range_lu", Round4(d.loudness_range_lu)},
      {"rms_dbfs", Round4(d.rms_dbfs)},
      {"spectral_centroid_hz", Round4(d.spectral_centroid_hz)},
      {"spectral_rolloff_hz", Round4(d.spectral_rolloff_hz)},
      {"spectral_flatness", Round4(d.spectral_flatness)},
      {"spectral_flux", Round4(d.spectral_flux)},
      {"energy", Round4(d.energy)},
      {"danceability", Round4(d.danceability)},
      {"valence", Round4(d.valence)},
      {"acousticness", Round4(d.acousticness)},
      {"instrumentalness", Round4(d.instrumentalness)},
      {"speechiness", Round4(d.speechiness)},
      {"has_cover_art", a.cover_art.has_value()},
      {"cover_art_mime", a.cover_art ? nlohmann::json(a.cover_art->mime_type) : nlohmann::json(nullptr)},
      {"packets_skipped", a.packets_skipped},
  };
}

void PrintHuman(const AudioAnalysis& a) {
  const AudioTags& t = a.tags;
  const AudioDescriptors& d = a.descriptors;
  fmt::print("{}\n", a.path);
  fmt::print("  title         {}{}\n", t.title, t.title_from_file_name ? " (from the file name)" : "");
  if (!t.artist.empty()) fmt::print("  artist        {}\n", t.artist);
  if (!t.album.empty()) fmt::print("  album         {}{}\n", t.album, t.year ? fmt::format(" ({})", *t.year) : "");
  if (!t.genre.empty()) fmt::print("  genre         {}\n", t.genre);
  fmt::print("  audio         {}, {} Hz, {} ch, {:.1f} s{}\n", a.stream.codec, a.stream.sample_rate, a.stream.channels,
             d.duration_s, a.cover_art ? ", cover art" : "");
  if (d.tempo_bpm) fmt::print("  tempo         {:.1f} BPM (confidence {:.2f})\n", *d.tempo_bpm, d.tempo_confidence);
  else fmt::print("  tempo         none found\n");
  if (d.key) fmt::print("  key           {} {} (strength {:.2f})\n", KeyName(*d.key), d.mode == 1 ? "major" : "minor", d.key_strength);
  else fmt::print("  key           none found\n");
  fmt::print("  loudness      {:.1f} LUFS, range {:.1f} LU\n", d.loudness_lufs, d.loudness_range_lu);
  fmt::print("  energy {:.2f}  danceability {:.2f}  valence {:.2f}  acousticness {:.2f}  instrumentalness {:.2f}  speechiness {:.2f}\n",
             d.energy, d.danceability, d.valence, d.acousticness, d.instrumentalness, d.speechiness);
}

int RunAnalyze(const std::vector<std::string>& files, bool json) {
  AudioAnalyzer analyzer;
  int failures = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto analysis = analyzer.Analyze(files[i], {.should_stop = {}, .read_cover_art = true});
    if (!analysis.ok()) {
      std::cout.flush();  // keep stdout and stderr in file order on a terminal
      std::fflush(stdout);
      Fail(analysis.status());
      ++failures;
      continue;
    }
    if (json) {
      // One line per file: JSON Lines, not PrintJson's indented form. Tags in legacy
      // encodings may not be UTF-8; replace such bytes rather than fail.
      std::cout << AnalysisJson(*analysis).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
                << std::flush;
    } else {
      if (i > 0) fmt::print("\n");
      PrintHuman(*analysis);
    }
    std::fflush(stdout);
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void RegisterAnalyzeCommand(CommandRegistry& registry) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = registry.app.add_subcommand(
      "analyze", "Analyse audio files (tempo, key, loudness, energy, …) without touching the catalog");
  cmd->add_option("files", *files, "Audio files (any format FFmpeg reads)")->required();
  cmd->add_flag("--json", *json, "Print one JSON object per file (JSON Lines)");
  registry.Add(cmd, [files, json] { return RunAnalyze(*files, *json); });
}

}  // namespace emotune::cli
