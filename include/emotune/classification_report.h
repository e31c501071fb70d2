// ClassificationReport: how well a detector's labels match the truth — accuracy,
// macro-F1, per-class precision/recall/F1 and the confusion matrix — the figures
// every `emotune eval …` command prints. Accumulate with Add(); not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace emotune {

class ClassificationReport {
 public:
  explicit ClassificationReport(std::vector<std::string> classes);

  // One example: its true class and the predicted one (indexes into classes()).
  void Add(std::size_t truth, std::size_t predicted);

  const std::vector<std::string>& classes() const { return classes_; }
  std::int64_t count() const { return n_; }
  double Accuracy() const;
  // The unweighted mean of per-class F1 over classes that occur in the truth or the
  // predictions (a class never seen on either side has no F1 to average).
  double MacroF1() const;
  double Precision(std::size_t c) const;
  double Recall(std::size_t c) const;
  double F1(std::size_t c) const;
  std::int64_t Support(std::size_t c) const;  // true examples of class c
  // confusion()[truth][predicted]
  const std::vector<std::vector<std::int64_t>>& confusion() const { return confusion_; }

  // {"n", "accuracy", "macro_f1", "classes": [{name, precision, recall, f1, support}], "confusion"}
  nlohmann::json ToJson() const;
  // A plain-text table for terminals.
  std::string ToText() const;

 private:
  std::vector<std::string> classes_;
  std::vector<std::vector<std::int64_t>> confusion_;
  std::int64_t n_ = 0;
};

}  // namespace emotune
