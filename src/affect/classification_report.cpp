#include "emotune/classification_report.h"

#include <fmt/format.h>

namespace emotune {

ClassificationReport::ClassificationReport(std::vector<std::string> classes)
    : classes_(std::move(classes)), confusion_(classes_.size(), std::vector<std::int64_t>(classes_.size(), 0)) {}

void ClassificationReport::Add(std::size_t truth, std::size_t predicted) {
  ++confusion_.at(truth).at(predicted);
  ++n_;
}

double ClassificationReport::Accuracy() const {
  std::int64_t right = 0;
  for (std::size_t c = 0; c < classes_.size(); ++c) right += confusion_[c][c];
  return n_ ? static_cast<double>(right) / n_ : 0.0;
}

std::int64_t ClassificationReport::Support(std::size_t c) const {
  std::int64_t n = 0;
  for (auto v : confusion_[c]) n += v;
  return n;
}

double ClassificationReport::Precision(std::size_t c) const {
  std::int64_t predicted = 0;
  for (const auto& row : confusion_) predicted += row[c];
  return predicted ? static_cast<double>(confusion_[c][c]) / predicted : 0.0;
}

double ClassificationReport::Recall(std::size_t c) const {
  const std::int64_t support = Support(c);
  return support ? static_cast<double>(confusion_[c][c]) / support : 0.0;
}

double ClassificationReport::F1(std::size_t c) const {
  const double p = Precision(c), r = Recall(c);
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double ClassificationReport::MacroF1() const {
  double sum = 0;
  int classes = 0;
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    std::int64_t predicted = 0;
    for (const auto& row : confusion_) predicted += row[c];
    if (Support(c) == 0 && predicted == 0) continue;
    sum += F1(c);
    ++classes;
  }
  return classes ? sum / classes : 0.0;
}

nlohmann::json ClassificationReport::ToJson() const {
  nlohmann::json per_class = nlohmann::json::array();
  for (std::size_t c = 0; c < classes_.size(); ++c)
    per_class.push_back({{"name", classes_[c]},
                         {"precision", Precision(c)},
                         {"recall", Recall(c)},
                         {"f1", F1(c)},
                         {"support", Support(c)}});
  return {{"n", n_},
          {"accuracy", Accuracy()},
          {"macro_f1", MacroF1()},
          {"classes", per_class},
          {"confusion", confusion_},
          {"confusion_labels", classes_}};
}

std::string ClassificationReport::ToText() const {
  std::string out = fmt::format("n {}  accuracy {:.4f}  macro-F1 {:.4f}\n\n", n_, Accuracy(), MacroF1());
  out += fmt::format("{:<12} {:>9} {:>9} {:>9} {:>8}\n", "class", "precision", "recall", "f1", "support");
  for (std::size_t c = 0; c < classes_.size(); ++c)
    out += fmt::format("{:<12} {:>9.4f} {:>9.4f} {:>9.4f} {:>8}\n", classes_[c], Precision(c), Recall(c), F1(c),
                       Support(c));
  out += "\nconfusion (rows: truth, columns: predicted)\n" + fmt::format("{:<12}", "");
  for (const auto& name : classes_) out += fmt::format(" {:>8.8}", name);
  out += "\n";
  for (std::size_t t = 0; t < classes_.size(); ++t) {
    out += fmt::format("{:<12}", classes_[t]);
    for (auto v : confusion_[t]) out += fmt::format(" {:>8}", v);
    out += "\n";
  }
  return out;
}

}  // namespace emotune
