#include "emotune/text_emotion_model.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/utf8.h"
#include "text/text_model_impl.h"

namespace emotune {
namespace {

constexpr char kMagic[8] = {'E', 'M', 'O', 'T', 'X', 'T', '0', '1'};
// Long text is read in chunks of this many tokens and pooled; at most kMaxChunks of
// them, so 100 KB of text takes milliseconds and 100 MB cannot take minutes.
constexpr std::size_t kChunkTokens = 64;
constexpr std::size_t kMaxChunks = 4096;

// Below this share of known words the model is reading a language it never learnt:
// confidence falls to 0 at kCoverageFloor and is untouched from kCoverageFull.
constexpr double kCoverageFloor = 0.25, kCoverageFull = 0.7;

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) {}
  template <typename T>
  void Put(const T& v) { ok_ &= std::fwrite(&v, sizeof v, 1, f_) == 1; }
  template <typename T>
  void PutArray(std::span<const T> v) { ok_ &= v.empty() || std::fwrite(v.data(), sizeof(T), v.size(), f_) == v.size(); }
  void PutString(const std::string& s) {
    Put(static_cast<std::uint32_t>(s.size()));
    PutArray(std::span<const char>(s.data(), s.size()));
  }
  bool ok() const { return ok_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::FILE* f) : f_(f) {}
  template <typename T>
  bool Get(T* v) { return ok_ &= std::fread(v, sizeof *v, 1, f_) == 1; }
  template <typename T>
  bool GetArray(std::vector<T>* v, std::size_t n) {
    v->resize(n);
    return ok_ &= n == 0 || std::fread(v->data(), sizeof(T), n, f_) == n;
  }
  bool GetString(std::string* s, std::uint32_t max = 1 << 20) {
    std::uint32_t n = 0;
    if (!Get(&n) || n > max) return ok_ = false;
    s->resize(n);
    return ok_ &= n == 0 || std::fread(s->data(), 1, n, f_) == n;
  }
  bool ok() const { return ok_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
};

}  // namespace

void TextEmotionModel::Impl::Score(std::span<const TextFeature> features,
                                   std::array<double, kEmotionCount>* out) const {
  std::array<float, kEmotionCount> s = bias;
  for (const TextFeature& f : features) {
    const _Float16* w = &weights[static_cast<std::size_t>(f.index) * kEmotionCount];
    for (std::size_t k = 0; k < kEmotionCount; ++k) s[k] += f.value * static_cast<float>(w[k]);
  }
  const float top = *std::max_element(s.begin(), s.end());
  double sum = 0;
  for (std::size_t k = 0; k < kEmotionCount; ++k) sum += (*out)[k] = std::exp((s[k] - top) / temperature);
  for (auto& p : *out) p /= sum;
}

EmotionDistribution TextEmotionModel::Impl::ScoreTokens(std::span<const TextToken> tokens) const {
  thread_local std::vector<TextFeature> features;
  featurizer.Count(tokens, &features);
  featurizer.Weight(idf, &features);
  std::array<double, kEmotionCount> p{};
  Score(features, &p);
  EmotionDistribution d;
  std::copy(p.begin(), p.end(), d.begin());
  return d;
}

namespace {

// What a firmly negated feeling leaves: "not sad anymore" is relief, not sadness;
// "not happy at all" is low. (The training tweets label "i dont feel X" as X, so
// the learnt weights cannot say this by themselves.)
constexpr std::array<Emotion, kEmotionCount> kNegatedTo = {
    Emotion::kSadness,  // joy
    Emotion::kSadness,  // love
    Emotion::kFear,     // calm: not calm is uneasy
    Emotion::kNeutral,  // neutral
    Emotion::kNeutral,  // surprise
    Emotion::kCalm,     // fear
    Emotion::kCalm,     // anger
    Emotion::kNeutral,  // disgust
    Emotion::kCalm,     // sadness
};

// Words that make a negation firm: "not … anymore", "not … at all", "no longer".
bool FirmNegationMarker(std::span<const TextToken> tokens, std::size_t i) {
  const std::string& w = tokens[i].word;
  if (w == "anymore" || w == "longer") return true;
  if (i + 1 >= tokens.size()) return false;
  const std::string& next = tokens[i + 1].word;
  return (w == "at" && next == "all") || (w == "any" && next == "more");
}

}  // namespace

TextEmotionModel::TextEmotionModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextEmotionModel::~TextEmotionModel() = default;

const std::string& TextEmotionModel::description() const { return impl_->description; }

Result<TextPrediction> TextEmotionModel::Predict(std::string_view text) const {
  if (TrimSpace(text).empty()) return Status::InvalidArgument("no text: the message is empty");
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = RepairUtf8(text);
    text = repaired;
  }
  thread_local std::vector<TextToken> tokens;
  tokens.clear();
  impl_->tokenizer.Tokenize(text, &tokens);
  TextPrediction result;
  if (tokens.empty()) {  // only punctuation or symbols: nothing to read
    result.distribution = Normalized({});
    return result;
  }
  // A lengthened word the model does not know may be one it does: "happyy" → "happy".
  for (auto& t : tokens)
    if (!t.single.empty() && !impl_->Known(impl_->featurizer.WordIndex(t.word)) &&
        impl_->Known(impl_->featurizer.WordIndex(t.single)))
      t.word = t.single;
  // Firmly negated feelings are taken out of the text and count as what they leave.
  std::array<double, kEmotionCount> flipped{};
  double flipped_weight = 0;
  for (std::size_t i = 0; i < tokens.size();) {
    if (!tokens[i].negated) {
      ++i;
      continue;
    }
    std::size_t end = i;
    bool firm = false;
    while (end < tokens.size() && tokens[end].negated) firm |= FirmNegationMarker(tokens, end++);
    for (std::size_t k = i; firm && k < end; ++k) {
      const EmotionDistribution d = impl_->ScoreTokens(std::span<const TextToken>(&tokens[k], 1));
      const double c = DistributionConfidence(d);
      if (c < 0.5) continue;  // not a feeling word
      for (std::size_t e = 0; e < kEmotionCount; ++e) flipped[EmotionIndex(kNegatedTo[e])] += c * d[e];
      flipped_weight += c;
      tokens[k].word.clear();
    }
    i = end;
  }
  if (flipped_weight > 0)
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(), [](const TextToken& t) { return t.word.empty(); }),
                 tokens.end());

  const std::size_t used = std::min(tokens.size(), kChunkTokens * kMaxChunks);
  std::array<double, kEmotionCount> pooled{};
  std::size_t known = 0;
  for (std::size_t begin = 0; begin < used; begin += kChunkTokens) {
    const std::span<const TextToken> part(tokens.data() + begin, std::min(kChunkTokens, used - begin));
    const EmotionDistribution d = impl_->ScoreTokens(part);
    // Confident chunks speak louder than filler ones.
    const double weight = part.size() * (0.05 + DistributionConfidence(d));
    for (std::size_t k = 0; k < kEmotionCount; ++k) pooled[k] += weight * d[k];
    for (const auto& t : part) known += impl_->Known(impl_->featurizer.WordIndex(t.word));
  }
  if (flipped_weight > 0) {
    // The negated feelings weigh like the rest of the message together.
    const double rest = std::accumulate(pooled.begin(), pooled.end(), 0.0);
    const double share = rest > 0 ? rest : 1.0;
    for (std::size_t k = 0; k < kEmotionCount; ++k) pooled[k] += share * flipped[k] / flipped_weight;
    known += static_cast<std::size_t>(flipped_weight > 0);
  }
  std::copy(pooled.begin(), pooled.end(), result.distribution.begin());
  result.distribution = Normalized(result.distribution);
  result.coverage = std::min(1.0, static_cast<double>(known) / std::max<std::size_t>(used, 1));
  const double coverage_factor =
      std::clamp((result.coverage - kCoverageFloor) / (kCoverageFull - kCoverageFloor), 0.0, 1.0);
  // One or two words are little evidence however peaked the model is: "ok" should
  // not read as a confident feeling. Factor 0.39 for one word, 0.78 for three.
  const double words = static_cast<double>(used) + (flipped_weight > 0 ? 1 : 0);
  const double length_factor = 1.0 - std::exp(-words / 2.0);
  result.confidence = DistributionConfidence(result.distribution) * coverage_factor * length_factor;
  return result;
}

Result<MoodEstimate> TextEmotionModel::ReadMood(std::string_view text) const {
  auto p = Predict(text);
  if (!p.ok()) return p.status();
  return MoodEstimate::FromDistribution(p->distribution, p->confidence, "text");
}

std::vector<Result<TextPrediction>> TextEmotionModel::PredictBatch(std::span<const std::string> texts,
                                                                    int threads) const {
  std::vector<Result<TextPrediction>> out(texts.size(), Status::InvalidArgument("not run"));
  const unsigned n = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < texts.size(); i += n) out[i] = Predict(texts[i]);
    });
  for (auto& th : pool) th.join();
  return out;
}

Status TextEmotionModel::Save(const std::string& path) const {
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const Impl& m = *impl_;
  Writer w(f);
  w.PutArray(std::span<const char>(kMagic, sizeof kMagic));
  const FeaturizerOptions& fo = m.featurizer.options();
  w.Put(static_cast<std::uint32_t>(fo.hash_bits));
  w.Put(static_cast<std::uint32_t>(fo.char_min));
  w.Put(static_cast<std::uint32_t>(fo.char_max));
  w.Put(m.temperature);
  w.PutString(m.description);
  w.Put(static_cast<std::uint32_t>(m.tokenizer.emoji_names().size()));
  // Sorted, so the same model always writes the same bytes.
  std::vector<std::pair<std::string, std::string>> emoji(m.tokenizer.emoji_names().begin(),
                                                         m.tokenizer.emoji_names().end());
  std::sort(emoji.begin(), emoji.end());
  for (const auto& [e, name] : emoji) {
    w.PutString(e);
    w.PutString(name);
  }
  w.PutArray(std::span<const float>(m.bias));
  std::vector<_Float16> idf16(m.idf.begin(), m.idf.end());
  w.PutArray(std::span<const _Float16>(idf16));
  w.PutArray(std::span<const _Float16>(m.weights));
  w.PutArray(std::span<const std::uint64_t>(m.known));
  const bool ok = w.ok() && std::fclose(f) == 0;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError(fmt::format("{}: write failed (disk full?)", path));
  }
  return Status::Ok();
}

Result<std::unique_ptr<TextEmotionModel>> TextEmotionModel::Load(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::NotFound(fmt::format("{}: no text model here (train one with `emotune train text`)", path));
  Reader r(f);
  const auto corrupt = [&](const char* what) {
    std::fclose(f);
    return Status::Corruption(fmt::format("{}: not an Emotune text model ({})", path, what));
  };
  std::vector<char> magic;
  if (!r.GetArray(&magic, sizeof kMagic) || std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0)
    return corrupt("bad magic");
  std::uint32_t bits = 0, cmin = 0, cmax = 0, emoji_count = 0;
  auto impl = std::make_unique<Impl>();
  r.Get(&bits);
  r.Get(&cmin);
  r.Get(&cmax);
  r.Get(&impl->temperature);
  r.GetString(&impl->description);
  if (!r.ok() || bits < 12 || bits > 24 || cmin < 1 || cmax < cmin || cmax > 8 || !(impl->temperature > 0))
    return corrupt("bad header");
  r.Get(&emoji_count);
  if (emoji_count > 100000) return corrupt("bad emoji table");
  std::unordered_map<std::string, std::string> emoji;
  for (std::uint32_t i = 0; i < emoji_count && r.ok(); ++i) {
    std::string e, name;
    r.GetString(&e, 64);
    r.GetString(&name, 256);
    emoji.emplace(std::move(e), std::move(name));
  }
  std::vector<float> bias;
  std::vector<_Float16> idf16;
  const std::size_t size = std::size_t{1} << bits;
  r.GetArray(&bias, kEmotionCount);
  r.GetArray(&idf16, size);
  r.GetArray(&impl->weights, size * kEmotionCount);
  r.GetArray(&impl->known, size / 2 / 64);
  char extra = 0;
  const bool trailing = std::fread(&extra, 1, 1, f) == 1;
  std::fclose(f);
  if (!r.ok() || trailing) return Status::Corruption(fmt::format("{}: not an Emotune text model (truncated or padded)", path));
  std::copy(bias.begin(), bias.end(), impl->bias.begin());
  impl->idf.assign(idf16.begin(), idf16.end());
  impl->featurizer = TextFeaturizer({static_cast<int>(bits), static_cast<int>(cmin), static_cast<int>(cmax)});
  impl->tokenizer = TextTokenizer(std::move(emoji));
  return std::unique_ptr<TextEmotionModel>(new TextEmotionModel(std::move(impl)));
}

Result<std::unordered_map<std::string, std::string>> ReadEmojiNames(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("{}: cannot open the emoji lexicon", path));
  std::unordered_map<std::string, std::string> names;
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || !IsValidUtf8(line))
      return Status::InvalidArgument(fmt::format("{}:{}: expected emoji<TAB>name", path, number));
    names.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return names;
}

}  // namespace emotune
