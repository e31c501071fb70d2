// Mood fusion: several estimates of one listener's mood (text + face + voice, or
// the turns of a chat) combined into one, weighted by how sure each source was and
// how recent it is.
//
//   weight_i     = confidence_i · 0.5^(age_i / recency_half_life)
//   distribution = Σ weight_i · D_i / Σ weight_i       (inputs with weight ≥ min_weight)
//   point        = Σ weight_i · point_i / Σ weight_i   (so it matches the distribution
//                                                      for estimates made FromDistribution)
//   agreement_i  = (Σ_k √(D_i[k] · F[k]))²             F = the fused distribution
//   confidence   = 1 − Π_i (1 − weight_i · agreement_i)
//
// agreement_i is the squared Bhattacharyya coefficient: for a one-hot input it is
// the fused share of the emotion that input named. The confidence combines the
// inputs as independent evidence, each discounted by how much it agrees with the
// verdict: one input on its own keeps its confidence (times its recency); two that
// agree end up surer than either; two that contradict each other end up less sure
// than the surer one (joy at 0.8 against sadness at 0.8 gives 0.64).
//
// Pure function: thread-safe.
#pragma once

#include <span>

#include "emotune/mood_estimate.h"

namespace emotune {

struct FusionOptions {
  // How much older evidence counts, in the unit of TimedEstimate::age (chat turns
  // or seconds): an input this old weighs half as much as a fresh one. Default 3;
  // must be > 0 (throws std::invalid_argument otherwise); +infinity disables decay.
  double recency_half_life = 3.0;

  // Inputs weighing less than this (confidence × recency) are left out of the
  // distribution, point and confidence, so a stale turn or a near-blind guess
  // cannot nudge the result; they stay listed in `sources`. Default 0.01; [0, 1].
  double min_weight = 0.01;
};

struct TimedEstimate {
  MoodEstimate estimate;
  double age = 0;  // how long ago, in the unit of recency_half_life; negative/NaN → 0
};

// Fuses `inputs` as described above. The result's sources are every input's
// sources, in input order. No inputs: the neutral estimate (all mass on neutral,
// point (0, 0)) with confidence 0. Every input below min_weight: the unweighted
// mean of the inputs, with confidence 0 — what was said, but too weak to act on.
MoodEstimate FuseMoods(std::span<const TimedEstimate> inputs, const FusionOptions& options = {});

}  // namespace emotune
