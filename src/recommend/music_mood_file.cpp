// The music mood model's file: a small binary format, little-endian as the
// machines Emotune runs on.
//
//   8 bytes  magic "EMOMUS01" (the last two characters are the format version)
//   u32      inputs (12), features (16), moods (4), min_known_inputs (1..12)
//   f64      mean[features], scale[features], weights[moods × features], bias[moods]
//   u32      description length (≤ 4096), then its bytes
//
// Nothing may follow. Every number is checked on load, so a corrupt file is refused
// instead of answering nonsense.

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "affect/model_file.h"
#include "recommend/music_mood_impl.h"

namespace emotune {
namespace {

constexpr char kMagic[8] = {'E', 'M', 'O', 'M', 'U', 'S', '0', '1'};
constexpr std::uint32_t kMaxDescription = 4096;
// Far above any model this version writes (about 1 KB); a bigger file is not one.
constexpr std::streamoff kMaxFileBytes = 1 << 16;

template <typename T, std::size_t N>
void AppendAll(std::string* out, const std::array<T, N>& values) {
  for (const T& v : values) AppendBytes(out, v);
}

}  // namespace

Status MusicMoodModel::Save(const std::string& path) const {
  const Impl& m = *impl_;
  std::string bytes(kMagic, sizeof kMagic);
  AppendBytes(&bytes, static_cast<std::uint32_t>(kMusicMoodInputCount));
  AppendBytes(&bytes, static_cast<std::uint32_t>(kMusicMoodFeatureCount));
  AppendBytes(&bytes, static_cast<std::uint32_t>(kMusicMoodCount));
  AppendBytes(&bytes, static_cast<std::uint32_t>(m.min_known_inputs));
  AppendAll(&bytes, m.mean);
  AppendAll(&bytes, m.scale);
  AppendAll(&bytes, m.weights);
  AppendAll(&bytes, m.bias);
  const std::string description = m.description.substr(0, kMaxDescription);
  AppendBytes(&bytes, static_cast<std::uint32_t>(description.size()));
  bytes += description;

  return WriteFileAtomically(path, bytes);
}

Result<std::unique_ptr<MusicMoodModel>> MusicMoodModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound(fmt::format("{}: no music mood model here (train one with `emotune train music`)", path));
  const auto corrupt = [&](const char* what) {
    return Status::Corruption(fmt::format("{}: not an Emotune music mood model ({})", path, what));
  };
  const std::streamoff size = in.tellg();
  if (size < 0 || size > kMaxFileBytes) return corrupt("wrong size");
  in.seekg(0);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status::IoError(fmt::format("{}: read failed", path));

  ByteCursor r(bytes);
  char magic[sizeof kMagic];
  for (char& c : magic) r.Take(&c);
  if (!r.ok() || std::memcmp(magic, kMagic, sizeof kMagic) != 0) return corrupt("bad magic");
  std::uint32_t inputs = 0, features = 0, moods = 0, min_known = 0;
  r.Take(&inputs);
  r.Take(&features);
  r.Take(&moods);
  r.Take(&min_known);
  if (!r.ok()) return corrupt("truncated");
  if (inputs != kMusicMoodInputCount || features != kMusicMoodFeatureCount || moods != kMusicMoodCount ||
      min_known < 1 || min_known > kMusicMoodInputCount)
    return corrupt("bad header");
  auto impl = std::make_unique<Impl>();
  impl->min_known_inputs = static_cast<int>(min_known);
  r.TakeFinite(&impl->mean);
  r.TakeFinite(&impl->scale);
  r.TakeFinite(&impl->weights);
  r.TakeFinite(&impl->bias);
  r.TakeString(&impl->description, kMaxDescription);
  if (!r.ok()) return corrupt("truncated or non-finite numbers");
  if (!r.at_end()) return corrupt("padded: bytes after the end");
  for (double s : impl->scale)
    if (!(s > 0)) return corrupt("non-positive scale");
  return std::unique_ptr<MusicMoodModel>(new MusicMoodModel(std::move(impl)));
}

}  // namespace emotune
