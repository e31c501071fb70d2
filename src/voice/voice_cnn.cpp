// The voice CNN's input, its training dump and the ONNX network run through OpenCV's
// dnn (loaded as the face models are, vision/dnn_loading.h).
#include "emotune/voice_cnn.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "affect/model_file.h"
#include "vision/dnn_loading.h"

namespace emotune {
namespace {

constexpr char kDumpMagic[8] = {'E', 'M', 'O', 'M', 'E', 'L', '0', '1'};
constexpr std::int32_t kMaxDumpFrames = 100000;

// Runs `net` on `input` (1×1×bands×frames) and returns its output as a flat vector.
std::vector<float> Forward(cv::dnn::Net& net, const VoiceCnnInput& input) {
  const int shape[4] = {1, 1, static_cast<int>(kVoiceMelBands), static_cast<int>(input.frames)};
  const cv::Mat blob(4, shape, CV_32F, const_cast<float*>(input.values.data()));
  net.setInput(blob);
  const cv::Mat out = net.forward();
  return std::vector<float>(out.ptr<float>(), out.ptr<float>() + out.total());
}

// Empty when `p` is eight finite probabilities summing to one; otherwise what is wrong.
std::string CheckDistribution(const std::vector<float>& p) {
  if (p.size() != kRavdessEmotionCount) return fmt::format("{} outputs, not {}", p.size(), kRavdessEmotionCount);
  double sum = 0;
  for (float v : p) {
    if (!std::isfinite(v) || v < 0) return "outputs that are not probabilities";
    sum += v;
  }
  if (std::abs(sum - 1) > 1e-3) return fmt::format("outputs summing to {:.4f}, not 1", sum);
  return "";
}

}  // namespace

VoiceCnnInput MakeVoiceCnnInput(const VoiceFrames& frames, const SpeechSegment& utterance) {
  VoiceCnnInput input;
  const std::size_t begin = std::min(utterance.begin, frames.count), end = std::min(utterance.end, frames.count);
  if (end <= begin) return input;
  input.frames = std::max(end - begin, kVoiceCnnMinFrames);
  input.values.resize(kVoiceMelBands * input.frames);
  double mean = 0;
  for (std::size_t i = begin; i < end; ++i)
    for (float v : frames.mel(i)) mean += v;
  mean /= static_cast<double>(kVoiceMelBands * (end - begin));
  for (std::size_t t = 0; t < input.frames; ++t) {
    const auto mel = frames.mel(begin + t % (end - begin));
    for (std::size_t b = 0; b < kVoiceMelBands; ++b)
      input.values[b * input.frames + t] = std::max(kVoiceCnnFloor, static_cast<float>(mel[b] - mean));
  }
  return input;
}

Status WriteVoiceCnnRecords(const std::string& path, std::span<const VoiceCnnRecord> records) {
  std::string bytes(kDumpMagic, sizeof kDumpMagic);
  AppendBytes(&bytes, static_cast<std::uint32_t>(kVoiceMelBands));
  AppendBytes(&bytes, static_cast<std::uint32_t>(records.size()));
  for (const VoiceCnnRecord& r : records) {
    for (std::int32_t v : {r.label, r.actor, r.clip, r.copy, static_cast<std::int32_t>(r.input.frames)}) AppendBytes(&bytes, v);
    bytes.append(reinterpret_cast<const char*>(r.input.values.data()), r.input.values.size() * sizeof(float));
  }
  return WriteFileAtomically(path, bytes);
}

Result<std::vector<VoiceCnnRecord>> ReadVoiceCnnRecords(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound(fmt::format("{}: no such file", path));
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ByteCursor cursor(bytes);
  char magic[8] = {};
  std::uint32_t bands = 0, count = 0;
  for (char& c : magic) cursor.Take(&c);
  cursor.Take(&bands);
  cursor.Take(&count);
  const auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(fmt::format("{}: not a voice log-mel dump ({})", path, why));
  };
  if (!cursor.ok() || std::memcmp(magic, kDumpMagic, sizeof magic) != 0) return bad("no EMOMEL01 header");
  if (bands != kVoiceMelBands) return bad(fmt::format("{} bands, not {}", bands, kVoiceMelBands));
  std::vector<VoiceCnnRecord> records(count);
  for (VoiceCnnRecord& r : records) {
    std::int32_t frames = 0;
    for (std::int32_t* v : {&r.label, &r.actor, &r.clip, &r.copy, &frames}) cursor.Take(v);
    if (!cursor.ok() || frames <= 0 || frames > kMaxDumpFrames || r.label < 0 ||
        r.label >= static_cast<std::int32_t>(kRavdessEmotionCount))
      return bad("a truncated or malformed record");
    r.input.frames = static_cast<std::size_t>(frames);
    if (!cursor.TakeFloats(&r.input.values, kVoiceMelBands * r.input.frames)) return bad("a truncated record");
  }
  if (!cursor.at_end()) return bad("bytes after the last record");
  return records;
}

struct VoiceCnnModel::Impl {
  std::string path;
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<cv::dnn::Net> idle;  // networks no call is using
  std::size_t loaded = 0;          // networks in all, idle or borrowed

  cv::dnn::Net Borrow() {
    std::unique_lock lock(mutex);
    if (idle.empty() && loaded < 2 * std::max(1u, std::thread::hardware_concurrency())) {
      ++loaded;
      lock.unlock();
      auto net = vision::LoadOnnx(path, "voice emotion CNN");
      if (net.ok()) return std::move(*net);
      lock.lock();  // the file went away since Load: wait for a loaded one instead
      --loaded;
    }
    returned.wait(lock, [this] { return !idle.empty(); });
    cv::dnn::Net net = std::move(idle.back());
    idle.pop_back();
    return net;
  }
  void Return(cv::dnn::Net net) {
    {
      std::lock_guard lock(mutex);
      idle.push_back(std::move(net));
    }
    returned.notify_one();
  }
};

Result<std::unique_ptr<VoiceCnnModel>> VoiceCnnModel::Load(const std::string& path) {
  auto net = vision::LoadOnnx(path, "voice emotion CNN");
  if (!net.ok()) return net.status();
  // A network that does not read 1×1×40×T into eight probabilities is the wrong file.
  VoiceCnnInput probe;
  probe.frames = 120;
  probe.values.assign(kVoiceMelBands * probe.frames, 0.0f);
  for (std::size_t i = 0; i < probe.values.size(); ++i) probe.values[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
  std::string wrong;
  try {
    wrong = CheckDistribution(Forward(*net, probe));
  } catch (const cv::Exception& e) {
    wrong = e.err;
  }
  if (!wrong.empty())
    return Status::Corruption(fmt::format("voice emotion CNN: {} does not map a 1×1×{}×T log-mel input to {} probabilities: {}",
                                          path, kVoiceMelBands, kRavdessEmotionCount, wrong));
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->idle.push_back(std::move(*net));
  impl->loaded = 1;
  return std::unique_ptr<VoiceCnnModel>(new VoiceCnnModel(std::move(impl)));
}

VoiceCnnModel::VoiceCnnModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VoiceCnnModel::~VoiceCnnModel() = default;
const std::string& VoiceCnnModel::path() const { return impl_->path; }

RavdessProbabilities VoiceCnnModel::Predict(const VoiceCnnInput& input) const {
  if (input.frames == 0 || input.values.size() != kVoiceMelBands * input.frames)
    throw std::invalid_argument("VoiceCnnModel::Predict: empty or misshaped input");
  cv::dnn::Net net = impl_->Borrow();
  std::vector<float> out;
  try {
    out = Forward(net, input);
  } catch (...) {
    impl_->Return(std::move(net));
    throw;
  }
  impl_->Return(std::move(net));
  RavdessProbabilities p{};
  for (std::size_t k = 0; k < kRavdessEmotionCount && k < out.size(); ++k) p[k] = out[k];
  return p;
}

}  // namespace emotune
