#include "emotune/music_mood_model.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "recommend/music_mood_impl.h"

namespace emotune {
namespace {

constexpr std::size_t kF = kMusicMoodFeatureCount;
constexpr std::size_t kK = kMusicMoodCount;
// The solver stops once no gradient component exceeds this: far below what moves a
// probability in the third decimal.
constexpr double kGradientTolerance = 1e-7;

using Vector = std::array<double, kF>;
using Weights = std::array<double, kK * kF>;
using Bias = std::array<double, kK>;

Status CheckOptions(const MusicMoodOptions& o) {
  if (!(o.cost > 0 && o.cost <= 1000)) return Status::InvalidArgument(fmt::format("cost {} is outside (0, 1000]", o.cost));
  if (o.max_iterations < 1 || o.max_iterations > 100000)
    return Status::InvalidArgument(fmt::format("max_iterations {} is outside 1..100000", o.max_iterations));
  if (o.min_known_inputs < 1 || o.min_known_inputs > static_cast<int>(kMusicMoodInputCount))
    return Status::InvalidArgument(fmt::format("min_known_inputs {} is outside 1..{}", o.min_known_inputs, kMusicMoodInputCount));
  return Status::Ok();
}

// Mean and (population) spread of each feature over the rows that have it; a feature
// no row has, or one that never varies, keeps scale 1 and so stays at z = 0.
void FitStandardisation(std::span<const MusicMoodFeatures> rows, MusicMoodModel::Impl* m) {
  Vector sum{}, count{};
  for (const auto& row : rows)
    for (std::size_t f = 0; f < kF; ++f)
      if (row[f]) sum[f] += *row[f], count[f] += 1;
  for (std::size_t f = 0; f < kF; ++f) m->mean[f] = count[f] > 0 ? sum[f] / count[f] : 0;
  Vector sq{};
  for (const auto& row : rows)
    for (std::size_t f = 0; f < kF; ++f)
      if (row[f]) sq[f] += (*row[f] - m->mean[f]) * (*row[f] - m->mean[f]);
  for (std::size_t f = 0; f < kF; ++f) {
    const double sd = count[f] > 0 ? std::sqrt(sq[f] / count[f]) : 0;
    m->scale[f] = sd > 1e-12 ? sd : 1;
  }
}

// Mean cross-entropy + λ/2·‖W‖² (bias unpenalised): its gradient at (w, b).
// Returns the largest gradient component.
double Gradient(std::span<const Vector> z, std::span<const std::size_t> y, double lambda, const Weights& w,
                const Bias& b, Weights* gw, Bias* gb) {
  gw->fill(0);
  gb->fill(0);
  const double inv_n = 1.0 / static_cast<double>(z.size());
  for (std::size_t i = 0; i < z.size(); ++i) {
    Bias p;
    double top = -INFINITY;
    for (std::size_t k = 0; k < kK; ++k) {
      p[k] = b[k];
      for (std::size_t f = 0; f < kF; ++f) p[k] += w[k * kF + f] * z[i][f];
      top = std::max(top, p[k]);
    }
    double total = 0;
    for (double& s : p) total += s = std::exp(s - top);
    for (std::size_t k = 0; k < kK; ++k) {
      const double g = (p[k] / total - (y[i] == k ? 1.0 : 0.0)) * inv_n;
      (*gb)[k] += g;
      for (std::size_t f = 0; f < kF; ++f) (*gw)[k * kF + f] += g * z[i][f];
    }
  }
  double largest = 0;
  for (std::size_t j = 0; j < w.size(); ++j) {
    (*gw)[j] += lambda * w[j];
    largest = std::max(largest, std::abs((*gw)[j]));
  }
  for (double g : *gb) largest = std::max(largest, std::abs(g));
  return largest;
}

// Nesterov-accelerated gradient descent on the convex softmax loss. The step is
// 1/L with L bounding the loss's curvature (½·mean‖(z, 1)‖² + λ); the momentum is
// the strongly convex one for μ = λ. Deterministic: fixed order, no randomness.
int FitWeights(std::span<const Vector> z, std::span<const std::size_t> y, double lambda, int max_iterations,
               MusicMoodModel::Impl* m) {
  double mean_sq = 1;
  for (const Vector& row : z)
    for (double v : row) mean_sq += v * v / static_cast<double>(z.size());
  const double curvature = 0.5 * mean_sq + lambda;
  const double step = 1 / curvature;
  const double momentum = (std::sqrt(curvature) - std::sqrt(lambda)) / (std::sqrt(curvature) + std::sqrt(lambda));
  Weights w{}, w_prev{}, look_w, gw;
  Bias b{}, b_prev{}, look_b, gb;
  int iteration = 0;
  while (iteration < max_iterations) {
    ++iteration;
    for (std::size_t j = 0; j < w.size(); ++j) look_w[j] = w[j] + momentum * (w[j] - w_prev[j]);
    for (std::size_t k = 0; k < kK; ++k) look_b[k] = b[k] + momentum * (b[k] - b_prev[k]);
    const double largest = Gradient(z, y, lambda, look_w, look_b, &gw, &gb);
    w_prev = w;
    b_prev = b;
    for (std::size_t j = 0; j < w.size(); ++j) w[j] = look_w[j] - step * gw[j];
    for (std::size_t k = 0; k < kK; ++k) b[k] = look_b[k] - step * gb[k];
    if (largest < kGradientTolerance) break;
  }
  m->weights = w;
  m->bias = b;
  return iteration;
}

}  // namespace

Vector MusicMoodModel::Impl::Standardise(const MusicMoodFeatures& features) const {
  Vector z{};
  for (std::size_t f = 0; f < kF; ++f)
    if (features[f]) z[f] = (*features[f] - mean[f]) / scale[f];
  return z;
}

std::array<double, kK> MusicMoodModel::Impl::Probabilities(const Vector& z) const {
  Bias p = bias;
  for (std::size_t k = 0; k < kK; ++k)
    for (std::size_t f = 0; f < kF; ++f) p[k] += weights[k * kF + f] * z[f];
  const double top = *std::max_element(p.begin(), p.end());
  double total = 0;
  for (double& s : p) total += s = std::exp(s - top);
  for (double& s : p) s /= total;
  return p;
}

MusicMoodModel::MusicMoodModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MusicMoodModel::~MusicMoodModel() = default;

const std::string& MusicMoodModel::description() const { return impl_->description; }

Result<std::unique_ptr<MusicMoodModel>> MusicMoodModel::Train(std::span<const MusicMoodExample> examples,
                                                              const MusicMoodOptions& options) {
  if (Status s = CheckOptions(options); !s.ok()) return s;
  if (examples.empty()) return Status::InvalidArgument("no examples to train on");
  std::array<std::size_t, kK> per_mood{};
  std::vector<MusicMoodFeatures> rows;
  std::vector<std::size_t> moods;
  for (const MusicMoodExample& ex : examples) {
    if (ex.mood >= kK) return Status::InvalidArgument(fmt::format("mood index {} is outside 0..{}", ex.mood, kK - 1));
    ++per_mood[ex.mood];
    rows.push_back(EngineerMusicMoodFeatures(ReadMusicMoodInputs(ex.track)));
    moods.push_back(ex.mood);
  }
  if (std::count(per_mood.begin(), per_mood.end(), 0u) > static_cast<std::ptrdiff_t>(kK - 2))
    return Status::InvalidArgument("the examples carry fewer than two moods; nothing to tell apart");

  auto impl = std::make_unique<Impl>();
  impl->min_known_inputs = options.min_known_inputs;
  FitStandardisation(rows, impl.get());
  std::vector<Vector> z;
  z.reserve(rows.size());
  for (const auto& row : rows) z.push_back(impl->Standardise(row));
  const double lambda = 1 / (options.cost * static_cast<double>(rows.size()));
  const int iterations = FitWeights(z, moods, lambda, options.max_iterations, impl.get());

  const auto labels = Labels(LabelSet::kDataMoods);
  impl->description = fmt::format("multinomial logistic regression on {} examples (", rows.size());
  for (std::size_t k = 0; k < kK; ++k) impl->description += fmt::format("{}{} {}", k ? ", " : "", labels[k], per_mood[k]);
  impl->description += fmt::format("), cost {}, {} iterations, min_known_inputs {}", options.cost, iterations,
                                   options.min_known_inputs);
  return std::unique_ptr<MusicMoodModel>(new MusicMoodModel(std::move(impl)));
}

MusicMoodPrediction MusicMoodModel::Predict(const Track& track) const {
  const MusicMoodInputs inputs = ReadMusicMoodInputs(track);
  MusicMoodPrediction out;
  out.known_inputs = CountKnown(inputs);
  if (!IsReadable(inputs, impl_->min_known_inputs)) return out;
  out.known = true;
  out.probabilities = impl_->Probabilities(impl_->Standardise(EngineerMusicMoodFeatures(inputs)));
  out.distribution = MapDistribution(LabelSet::kDataMoods, out.probabilities);
  return out;
}

std::size_t MusicMoodPrediction::mood_index() const {
  if (!known) return kK;
  return static_cast<std::size_t>(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
}

std::string_view MusicMoodPrediction::mood() const {
  return known ? Labels(LabelSet::kDataMoods)[mood_index()] : "unknown";
}

ClassificationReport ScoreMusicMoodModel(const MusicMoodModel& model, std::span<const MusicMoodExample> examples) {
  std::vector<std::size_t> predicted;
  for (const MusicMoodExample& ex : examples) predicted.push_back(model.Predict(ex.track).mood_index());
  const auto labels = Labels(LabelSet::kDataMoods);
  std::vector<std::string> classes(labels.begin(), labels.end());
  if (std::find(predicted.begin(), predicted.end(), kK) != predicted.end()) classes.emplace_back("unknown");
  ClassificationReport report(classes);
  for (std::size_t i = 0; i < examples.size(); ++i) report.Add(examples[i].mood, predicted[i]);
  return report;
}

}  // namespace emotune
