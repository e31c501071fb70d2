// Training and inference of the voice emotion networks, and their file:
//
//   8 bytes  magic "EMOVOX01" (the last two characters are the format version)
//   u64      Hash64 of the feature names joined by '\n' (the features this build computes)
//   u32      features F, hidden H (0: linear), members M, classes (8)
//   f32      mean[F], scale[F]
//   per member: f32 W1[H×F], b1[H], W2[8×H], b2[8]  (H = 0: W[8×F], b[8])
//   u32      description length (≤ 4096), then its bytes
//
// Nothing may follow; every number is checked on load.
#include "emotune/voice_emotion_model.h"


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "emotune/hash64.h"
#include "emotune/voice_features.h"
#include "affect/model_file.h"

namespace emotune {

struct VoiceEmotionModel::Impl {
  std::size_t features = 0, hidden = 0;
  std::vector<float> mean, scale;
  struct Net {
    std::vector<float> w1, b1, w2, b2;  // hidden == 0: w2 is 8×F and w1, b1 are empty
  };
  std::vector<Net> members;
  std::string description;

  // Standardised and clipped to ±6 SD, so one wild value cannot dominate.
  void Standardise(std::span<const float> x, std::vector<float>& z) const {
    z.resize(features);
    for (std::size_t f = 0; f < features; ++f) z[f] = std::clamp((x[f] - mean[f]) / scale[f], -6.0f, 6.0f);
  }
};

namespace {

constexpr std::size_t kClasses = kRavdessEmotionCount;
constexpr char kMagic[8] = {'E', 'M', 'O', 'V', 'O', 'X', '0', '1'};
constexpr std::uint32_t kMaxDescription = 4096;

std::uint64_t FeatureNamesHash() {
  std::string joined;
  for (const auto& name : VoiceFeatureNames()) joined += name + '\n';
  return Hash64(joined);
}

// SplitMix64: a small, portable generator, so a seed means the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u = std::max(Uniform(), 1e-300), v = Uniform();
    const double r = std::sqrt(-2 * std::log(u));
    spare_ = r * std::sin(2 * M_PI * v);
    has_spare_ = true;
    return r * std::cos(2 * M_PI * v);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

void Softmax(std::array<float, kClasses>& logits) {
  const float top = *std::max_element(logits.begin(), logits.end());
  float sum = 0;
  for (float& v : logits) sum += v = std::exp(v - top);
  for (float& v : logits) v /= sum;
}

// Forward pass of one network; `h` receives the hidden activations.
void Forward(const VoiceEmotionModel::Impl::Net& net, std::size_t features, std::size_t hidden, const float* z,
             std::vector<float>& h, std::array<float, kClasses>& out) {
  const float* input = z;
  std::size_t width = features;
  if (hidden > 0) {
    h.resize(hidden);
    for (std::size_t j = 0; j < hidden; ++j) {
      const float* w = net.w1.data() + j * features;
      float s = net.b1[j];
      for (std::size_t f = 0; f < features; ++f) s += w[f] * z[f];
      h[j] = std::tanh(s);
    }
    input = h.data();
    width = hidden;
  }
  for (std::size_t k = 0; k < kClasses; ++k) {
    const float* w = net.w2.data() + k * width;
    float s = net.b2[k];
    for (std::size_t j = 0; j < width; ++j) s += w[j] * input[j];
    out[k] = s;
  }
  Softmax(out);
}

struct Adam {
  std::vector<float> m, v;
  explicit Adam(std::size_t n) : m(n, 0.0f), v(n, 0.0f) {}
  void Step(std::vector<float>& w, const std::vector<float>& g, double lr, int t) {
    constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
    for (std::size_t i = 0; i < w.size(); ++i) {
      m[i] = static_cast<float>(b1 * m[i] + (1 - b1) * g[i]);
      v[i] = static_cast<float>(b2 * v[i] + (1 - b2) * g[i] * g[i]);
      w[i] -= static_cast<float>(lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps));
    }
  }
};

VoiceEmotionModel::Impl::Net TrainNet(const std::vector<std::vector<float>>& z, std::span<const VoiceExample> examples,
                                      const std::vector<double>& weights, std::size_t features, std::size_t hidden,
                                      const VoiceTrainingOptions& options, std::uint64_t seed) {
  Rng rng(seed);
  VoiceEmotionModel::Impl::Net net;
  const std::size_t width = hidden > 0 ? hidden : features;
  if (hidden > 0) {
    const double a = std::sqrt(6.0 / static_cast<double>(features + hidden));
    net.w1.resize(hidden * features);
    for (float& w : net.w1) w = static_cast<float>((2 * rng.Uniform() - 1) * a);
    net.b1.assign(hidden, 0.0f);
  }
  const double b = hidden > 0 ? std::sqrt(6.0 / static_cast<double>(hidden + kClasses)) : 0.0;
  net.w2.resize(kClasses * width);
  for (float& w : net.w2) w = static_cast<float>((2 * rng.Uniform() - 1) * b);
  net.b2.assign(kClasses, 0.0f);

  Adam a_w1(net.w1.size()), a_b1(net.b1.size()), a_w2(net.w2.size()), a_b2(net.b2.size());
  std::vector<float> g_w1(net.w1.size()), g_b1(net.b1.size()), g_w2(net.w2.size()), g_b2(net.b2.size());
  std::vector<std::size_t> order(examples.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<float> x(features), h, dh(hidden);
  std::array<float, kClasses> p{};
  const auto batch = static_cast<std::size_t>(options.batch);
  const std::size_t steps_per_epoch = (examples.size() + batch - 1) / batch;
  const double total_steps = static_cast<double>(steps_per_epoch) * options.epochs;
  int t = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    for (std::size_t start = 0; start < order.size(); start += batch) {
      const std::size_t stop = std::min(order.size(), start + batch);
      std::fill(g_w1.begin(), g_w1.end(), 0.0f);
      std::fill(g_b1.begin(), g_b1.end(), 0.0f);
      std::fill(g_w2.begin(), g_w2.end(), 0.0f);
      std::fill(g_b2.begin(), g_b2.end(), 0.0f);
      double batch_weight = 0;
      for (std::size_t s = start; s < stop; ++s) batch_weight += weights[order[s]];
      for (std::size_t s = start; s < stop; ++s) {
        const std::size_t e = order[s];
        for (std::size_t f = 0; f < features; ++f)
          x[f] = z[e][f] + static_cast<float>(options.input_noise * rng.Normal());
        Forward(net, features, hidden, x.data(), h, p);
        const float scale = static_cast<float>(weights[e] / batch_weight);
        std::array<float, kClasses> g{};
        for (std::size_t k = 0; k < kClasses; ++k) g[k] = scale * (p[k] - (k == examples[e].label ? 1.0f : 0.0f));
        const float* input = hidden > 0 ? h.data() : x.data();
        for (std::size_t k = 0; k < kClasses; ++k) {
          g_b2[k] += g[k];
          float* gw = g_w2.data() + k * width;
          for (std::size_t j = 0; j < width; ++j) gw[j] += g[k] * input[j];
        }
        if (hidden > 0) {
          for (std::size_t j = 0; j < hidden; ++j) {
            float s = 0;
            for (std::size_t k = 0; k < kClasses; ++k) s += g[k] * net.w2[k * hidden + j];
            dh[j] = s * (1 - h[j] * h[j]);
          }
          for (std::size_t j = 0; j < hidden; ++j) {
            g_b1[j] += dh[j];
            float* gw = g_w1.data() + j * features;
            const float d = dh[j];
            for (std::size_t f = 0; f < features; ++f) gw[f] += d * x[f];
          }
        }
      }
      // L2 on the weights, as a per-example penalty.
      const auto l2 = static_cast<float>(options.l2);
      for (std::size_t i = 0; i < g_w1.size(); ++i) g_w1[i] += l2 * net.w1[i];
      for (std::size_t i = 0; i < g_w2.size(); ++i) g_w2[i] += l2 * net.w2[i];
      ++t;
      // Cosine decay to a tenth of the step size over the run.
      const double progress = static_cast<double>(t) / total_steps;
      const double lr = options.learning_rate * (0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * progress)));
      if (hidden > 0) {
        a_w1.Step(net.w1, g_w1, lr, t);
        a_b1.Step(net.b1, g_b1, lr, t);
      }
      a_w2.Step(net.w2, g_w2, lr, t);
      a_b2.Step(net.b2, g_b2, lr, t);
    }
  }
  return net;
}

}  // namespace

VoiceEmotionModel::VoiceEmotionModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VoiceEmotionModel::~VoiceEmotionModel() = default;

std::size_t VoiceEmotionModel::feature_count() const { return impl_->features; }
const std::string& VoiceEmotionModel::description() const { return impl_->description; }

Result<std::unique_ptr<VoiceEmotionModel>> VoiceEmotionModel::Train(std::span<const VoiceExample> examples,
                                                                    const VoiceTrainingOptions& options,
                                                                    std::string description) {
  if (options.hidden < 0 || options.hidden > 1024) return Status::InvalidArgument("hidden units must be in 0..1024");
  if (options.members < 1 || options.members > 32) return Status::InvalidArgument("members must be in 1..32");
  if (options.epochs < 1 || options.epochs > 10000) return Status::InvalidArgument("epochs must be in 1..10000");
  if (!(options.learning_rate > 0 && options.learning_rate <= 1)) return Status::InvalidArgument("learning rate must be in (0, 1]");
  if (!(options.l2 >= 0 && options.l2 <= 10)) return Status::InvalidArgument("l2 must be in [0, 10]");
  if (!(options.input_noise >= 0 && options.input_noise <= 5)) return Status::InvalidArgument("input noise must be in [0, 5]");
  if (options.batch < 1 || options.batch > 4096) return Status::InvalidArgument("batch must be in 1..4096");
  if (examples.empty()) return Status::InvalidArgument("no training examples");
  const std::size_t features = examples[0].features.size();
  if (features == 0) return Status::InvalidArgument("examples have no features");
  std::array<double, kClasses> class_weight{};
  for (const VoiceExample& e : examples) {
    if (e.features.size() != features) return Status::InvalidArgument("examples differ in their number of features");
    if (e.label >= kClasses) return Status::InvalidArgument(fmt::format("label {} is not a RAVDESS emotion index (0..7)", e.label));
    if (!(e.weight > 0)) return Status::InvalidArgument("example weights must be positive");
    class_weight[e.label] += e.weight;
  }
  const auto present = std::count_if(class_weight.begin(), class_weight.end(), [](double w) { return w > 0; });
  if (present < 2) return Status::InvalidArgument("training needs at least two emotions");

  auto impl = std::make_unique<Impl>();
  impl->features = features;
  impl->hidden = static_cast<std::size_t>(options.hidden);
  impl->description = std::move(description);
  impl->mean.assign(features, 0.0f);
  impl->scale.assign(features, 1.0f);
  const double n = static_cast<double>(examples.size());
  for (std::size_t f = 0; f < features; ++f) {
    double mean = 0, sq = 0;
    for (const VoiceExample& e : examples) mean += e.features[f];
    mean /= n;
    for (const VoiceExample& e : examples) sq += (e.features[f] - mean) * (e.features[f] - mean);
    const double sd = std::sqrt(sq / n);
    impl->mean[f] = static_cast<float>(mean);
    impl->scale[f] = sd > 1e-6 ? static_cast<float>(sd) : 1.0f;
  }
  std::vector<std::vector<float>> z(examples.size());
  for (std::size_t e = 0; e < examples.size(); ++e) impl->Standardise(examples[e].features, z[e]);
  std::vector<double> weights(examples.size());
  const double total = std::accumulate(class_weight.begin(), class_weight.end(), 0.0);
  for (std::size_t e = 0; e < examples.size(); ++e)
    weights[e] = examples[e].weight * (options.balance_classes ? total / (static_cast<double>(present) * class_weight[examples[e].label]) : 1.0);
  for (int m = 0; m < options.members; ++m)
    impl->members.push_back(TrainNet(z, examples, weights, features, impl->hidden, options,
                                     options.seed * 1000003ULL + static_cast<std::uint64_t>(m)));
  return std::unique_ptr<VoiceEmotionModel>(new VoiceEmotionModel(std::move(impl)));
}

RavdessProbabilities VoiceEmotionModel::Predict(std::span<const float> features) const {
  const Impl& m = *impl_;
  if (features.size() != m.features)
    throw std::invalid_argument(fmt::format("VoiceEmotionModel::Predict: {} features for a model of {}", features.size(), m.features));
  std::vector<float> z, h;
  m.Standardise(features, z);
  RavdessProbabilities sum{};
  std::array<float, kClasses> p{};
  for (const Impl::Net& net : m.members) {
    Forward(net, m.features, m.hidden, z.data(), h, p);
    for (std::size_t k = 0; k < kClasses; ++k) sum[k] += p[k];
  }
  for (double& v : sum) v /= static_cast<double>(m.members.size());
  return sum;
}

Status VoiceEmotionModel::Save(const std::string& path) const {
  const Impl& m = *impl_;
  std::string bytes(kMagic, sizeof kMagic);
  AppendBytes(&bytes, FeatureNamesHash());
  AppendBytes(&bytes, static_cast<std::uint32_t>(m.features));
  AppendBytes(&bytes, static_cast<std::uint32_t>(m.hidden));
  AppendBytes(&bytes, static_cast<std::uint32_t>(m.members.size()));
  AppendBytes(&bytes, static_cast<std::uint32_t>(kClasses));
  for (float v : m.mean) AppendBytes(&bytes, v);
  for (float v : m.scale) AppendBytes(&bytes, v);
  for (const Impl::Net& net : m.members)
    for (const auto* part : {&net.w1, &net.b1, &net.w2, &net.b2})
      for (float v : *part) AppendBytes(&bytes, v);
  const std::string description = m.description.substr(0, kMaxDescription);
  AppendBytes(&bytes, static_cast<std::uint32_t>(description.size()));
  bytes += description;
  return WriteFileAtomically(path, bytes);
}

Result<std::unique_ptr<VoiceEmotionModel>> VoiceEmotionModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("{}: no voice model there", path));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0 || size > (64 << 20)) return Status::Corruption(fmt::format("{}: not a voice emotion model (size)", path));
  in.seekg(0);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), size);
  if (!in) return Status::IoError(fmt::format("{}: cannot read", path));
  const auto corrupt = [&](const char* why) {
    return Status::Corruption(fmt::format("{}: not a voice emotion model this version can read ({})", path, why));
  };
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return corrupt("bad magic");
  ByteCursor c(std::string_view(bytes).substr(sizeof kMagic));
  std::uint64_t names_hash = 0;
  std::uint32_t features = 0, hidden = 0, members = 0, classes = 0;
  if (!c.Take(&names_hash) || !c.Take(&features) || !c.Take(&hidden) || !c.Take(&members) || !c.Take(&classes))
    return corrupt("truncated header");
  if (names_hash != FeatureNamesHash() || features != VoiceFeatureCount())
    return corrupt("it was trained on other features; retrain it with emotune train voice");
  if (hidden > 1024 || members < 1 || members > 32 || classes != kClasses) return corrupt("bad sizes");
  auto impl = std::make_unique<Impl>();
  impl->features = features;
  impl->hidden = hidden;
  if (!c.TakeFloats(&impl->mean, features) || !c.TakeFloats(&impl->scale, features)) return corrupt("truncated");
  for (float s : impl->scale)
    if (!(s > 0)) return corrupt("non-positive scale");
  const std::size_t width = hidden > 0 ? hidden : features;
  for (std::uint32_t m = 0; m < members; ++m) {
    Impl::Net net;
    if (!c.TakeFloats(&net.w1, static_cast<std::size_t>(hidden) * features) || !c.TakeFloats(&net.b1, hidden) ||
        !c.TakeFloats(&net.w2, kClasses * width) || !c.TakeFloats(&net.b2, kClasses))
      return corrupt("truncated weights");
    impl->members.push_back(std::move(net));
  }
  if (!c.TakeString(&impl->description, kMaxDescription)) return corrupt("truncated description");
  if (!c.at_end()) return corrupt("bytes after the end");
  return std::unique_ptr<VoiceEmotionModel>(new VoiceEmotionModel(std::move(impl)));
}

}  // namespace emotune
