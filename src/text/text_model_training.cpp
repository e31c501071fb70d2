// Training TextEmotionModel: TF-IDF over hashed n-grams, then one linear SVM per
// emotion. Deterministic: featurising fills fixed slots, and each class's solver
// shuffles with its own seed.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "emotune/utf8.h"
#include "text/text_model_impl.h"

namespace emotune {
namespace {

struct Sample {
  std::vector<TextFeature> features;
  std::array<float, kEmotionCount> target{};
  float weight = 1;
};

template <typename Fn>
void ParallelFor(std::size_t n, int threads, Fn fn) {
  const unsigned count = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < count; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < n; i += count) fn(i);
    });
  for (auto& th : pool) th.join();
}

// One binary L2-loss linear SVM over features scaled by `scale`, solved by dual
// coordinate descent (Hsieh et al., ICML 2008, the liblinear algorithm) with a
// constant feature for the bias, written to `bias`. Returns the weights on the
// scaled features. Each class shuffles with its own seed.
template <typename Positive>
std::vector<double> SolveSvm(const std::vector<Sample>& samples, Positive positive, const std::vector<double>& r,
                             const TextTrainingOptions& o, std::size_t k, double* bias) {
  std::vector<double> sq_norm(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double sum = 1.0;  // the bias feature
    for (const auto& f : samples[i].features) sum += std::pow(f.value * r[f.index], 2);
    sq_norm[i] = sum;
  }
  std::vector<double> w(r.size(), 0.0);
  double b = 0;
  std::vector<double> alpha(samples.size(), 0.0);
  std::vector<std::size_t> order(samples.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed * 1000003 + k);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double max_pg = 0;
    for (std::size_t i : order) {
      const Sample& s = samples[i];
      const double y = positive(s) ? 1.0 : -1.0;
      const double diag = 1.0 / (2.0 * o.svm_c * s.weight);  // squared hinge: D_ii = 1 / (2 C_i)
      double margin = b;
      for (const auto& f : s.features) margin += w[f.index] * f.value * r[f.index];
      const double grad = y * margin - 1.0 + diag * alpha[i];
      const double pg = alpha[i] == 0 ? std::min(grad, 0.0) : grad;
      if (std::abs(pg) < 1e-12) continue;
      max_pg = std::max(max_pg, std::abs(pg));
      const double old = alpha[i];
      alpha[i] = std::max(old - grad / (sq_norm[i] + diag), 0.0);
      const double delta = (alpha[i] - old) * y;
      for (const auto& f : s.features) w[f.index] += delta * f.value * r[f.index];
      b += delta;
    }
    if (max_pg < 0.01) break;  // every example within tolerance of optimal
  }
  *bias = b;
  return w;
}

}  // namespace

Result<std::unique_ptr<TextEmotionModel>> TextEmotionModel::Train(
    std::span<const TextExample> examples, const TextTrainingOptions& o,
    std::unordered_map<std::string, std::string> emoji_names) {
  if (examples.empty()) return Status::InvalidArgument("no training examples");
  if (o.epochs < 1 || o.epochs > 100) return Status::InvalidArgument("epochs must be in 1..100");
  if (o.hash_bits < 16 || o.hash_bits > 22) return Status::InvalidArgument("hash_bits must be in 16..22");
  if (!(o.svm_c > 0 && o.svm_c <= 100)) return Status::InvalidArgument("C must be in (0, 100]");
  if (!(o.temperature > 0 && o.temperature <= 10)) return Status::InvalidArgument("temperature must be in (0, 10]");
  if (!(o.nb_alpha >= 0 && o.nb_alpha <= 10)) return Status::InvalidArgument("NB smoothing alpha must be in [0, 10]");
  if (!(o.nb_share >= 0 && o.nb_share <= 1)) return Status::InvalidArgument("NB share must be in [0, 1]");

  auto impl = std::make_unique<Impl>();
  impl->tokenizer = TextTokenizer(std::move(emoji_names));
  if (o.char_min < 1 || o.char_max < o.char_min || o.char_max > 8)
    return Status::InvalidArgument("character n-grams must satisfy 1 <= char_min <= char_max <= 8");
  impl->featurizer = TextFeaturizer({o.hash_bits, o.char_min, o.char_max});
  const std::size_t size = impl->featurizer.size();

  // Counts per example, then document frequencies for the IDF and the known words.
  std::vector<Sample> samples(examples.size());
  std::vector<std::vector<std::uint32_t>> words(examples.size());
  ParallelFor(examples.size(), o.threads, [&](std::size_t i) {
    std::vector<TextToken> tokens;
    impl->tokenizer.Tokenize(RepairUtf8(examples[i].text), &tokens);
    impl->featurizer.Count(tokens, &samples[i].features);
    for (const auto& t : tokens) words[i].push_back(impl->featurizer.WordIndex(t.word));
    std::sort(words[i].begin(), words[i].end());
    words[i].erase(std::unique(words[i].begin(), words[i].end()), words[i].end());
    const EmotionDistribution target = Normalized(examples[i].target);
    std::copy(target.begin(), target.end(), samples[i].target.begin());
  });
  std::vector<std::uint32_t> df(size, 0), word_df(size / 2, 0);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    for (const auto& f : samples[i].features) ++df[f.index];
    for (auto w : words[i]) ++word_df[w];
  }
  impl->idf.resize(size);
  const double n = static_cast<double>(samples.size());
  // Rounded to the half precision the file stores, so a trained model and the same
  // model loaded from disk read text identically.
  for (std::size_t f = 0; f < size; ++f)
    impl->idf[f] = static_cast<float>(static_cast<_Float16>(std::log((1 + n) / (1 + df[f])) + 1));
  impl->known.assign(size / 2 / 64, 0);
  for (std::size_t w = 0; w < word_df.size(); ++w)
    if (word_df[w] >= static_cast<std::uint32_t>(Impl::kKnownMinDocs)) impl->known[w >> 6] |= std::uint64_t{1} << (w & 63);
  ParallelFor(samples.size(), o.threads, [&](std::size_t i) { impl->featurizer.Weight(impl->idf, &samples[i].features); });

  // Class balance: each emotion's total weight becomes equal, within [0.2, 5] per example.
  std::array<double, kEmotionCount> mass{};
  for (const auto& s : samples)
    for (std::size_t k = 0; k < kEmotionCount; ++k) mass[k] += s.target[k];
  const double present = std::count_if(mass.begin(), mass.end(), [](double m) { return m > 0; });
  for (auto& s : samples) {
    if (!o.balance_classes) break;
    double w = 0;
    for (std::size_t k = 0; k < kEmotionCount; ++k)
      if (mass[k] > 0) w += s.target[k] * n / (present * mass[k]);
    s.weight = static_cast<float>(std::clamp(w, 0.2, 5.0));
  }
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!(examples[i].weight > 0)) return Status::InvalidArgument("example weights must be positive");
    samples[i].weight *= static_cast<float>(examples[i].weight);
  }

  // One-vs-rest linear SVMs (squared hinge, L2), each solved by dual coordinate
  // descent (Hsieh et al., ICML 2008, the liblinear algorithm) with a constant
  // feature for the bias. A line's emotions are positives for their classes, so
  // GoEmotions' multi-label lines need no special case. Classes are independent:
  // they train in parallel, each with its own seeded order, so the result does not
  // depend on the thread count.
  std::vector<float> weights(size * kEmotionCount, 0.0f);
  std::array<float, kEmotionCount> bias{};
  ParallelFor(kEmotionCount, o.threads, [&](std::size_t k) {
    const auto positive = [&](const Sample& s) { return s.target[k] >= 0.25f; };
    // NB scaling (Wang & Manning, ACL 2012): each feature is scaled by the log-ratio of
    // its share among this class's texts to its share among the others, so the SVM
    // starts from what Naive Bayes knows. The scale folds into the weights after
    // training, so reading text costs nothing more.
    std::vector<double> r(size, 1.0);
    if (o.nb_alpha > 0) {
      std::vector<double> pos(size, o.nb_alpha), neg(size, o.nb_alpha);
      for (const auto& s : samples)
        for (const auto& f : s.features) (positive(s) ? pos : neg)[f.index] += s.weight * f.value;
      const double pos_sum = std::accumulate(pos.begin(), pos.end(), 0.0);
      const double neg_sum = std::accumulate(neg.begin(), neg.end(), 0.0);
      for (std::size_t f = 0; f < size; ++f) r[f] = std::log((pos[f] / pos_sum) / (neg[f] / neg_sum));
    }
    // The NB-scaled SVM and the plain one see the data differently; their weights,
    // blended, score better than either (each a linear model, so the blend is one too).
    std::vector<double> blend(size, 0.0);
    double blend_bias = 0;
    const double nb_share = o.nb_alpha > 0 ? o.nb_share : 0.0;
    for (const bool scaled : {false, true}) {
      const double share = scaled ? nb_share : 1.0 - nb_share;
      if (share <= 0) continue;
      const std::vector<double> scale = scaled ? r : std::vector<double>(size, 1.0);
      double b = 0;
      const std::vector<double> w = SolveSvm(samples, positive, scale, o, k, &b);
      for (std::size_t f = 0; f < size; ++f) blend[f] += share * w[f] * scale[f];
      blend_bias += share * b;
    }
    for (std::size_t f = 0; f < size; ++f) weights[f * kEmotionCount + k] = static_cast<float>(blend[f]);
    bias[k] = static_cast<float>(blend_bias);
  });
  impl->weights.assign(weights.begin(), weights.end());
  impl->bias = bias;
  impl->temperature = static_cast<float>(o.temperature);
  impl->description = fmt::format(
      "one-vs-rest L2-loss linear SVMs over hashed word 1-2-grams and char {}-{}-grams (2^{} features, TF-IDF{}), "
      "softmax temperature {}; {} examples; seed {}, at most {} epochs, C {}, balanced classes {}",
      o.char_min, o.char_max, o.hash_bits, o.nb_alpha > 0 ? fmt::format(", NB-scaled alpha {}", o.nb_alpha) : "", o.temperature, samples.size(), o.seed, o.epochs, o.svm_c, o.balance_classes);
  return std::unique_ptr<TextEmotionModel>(new TextEmotionModel(std::move(impl)));
}

}  // namespace emotune
