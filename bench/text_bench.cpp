// Text emotion benchmark: model load time, per-sentence latency on one thread
// (median and p99 over every sentence of the data, after one warm-up pass), and batch
// throughput on all cores.
//
//   build/release/bench/text_bench --model models/text-emotion.bin --data FILE [--json]
// FILE is any CARER or GoEmotions file (their texts are used, not their labels).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "emotune/text_corpus.h"
#include "emotune/text_emotion_model.h"

namespace {
using Clock = std::chrono::steady_clock;
double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
}  // namespace

int main(int argc, char** argv) {
  std::string model_path = EMOTUNE_SOURCE_DIR "/models/text-emotion.bin", data;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) model_path = argv[++i];
    else if (a == "--data" && i + 1 < argc) data = argv[++i];
    else if (a == "--json") json = true;
    else {
      fmt::print(stderr, "usage: text_bench [--model FILE] --data FILE [--json]\n");
      return 2;
    }
  }
  if (data.empty()) {
    fmt::print(stderr, "text_bench: --data FILE (a CARER or GoEmotions file) is required\n");
    return 2;
  }
  const auto load_start = Clock::now();
  auto model = emotune::TextEmotionModel::Load(model_path);
  const double load_ms = Micros(Clock::now() - load_start) / 1000;
  if (!model.ok()) {
    fmt::print(stderr, "text_bench: {}\n", model.status().message());
    return 1;
  }
  auto corpus = emotune::ReadTextCorpus(data);
  if (!corpus.ok()) {
    fmt::print(stderr, "text_bench: {}\n", corpus.status().message());
    return 1;
  }
  std::vector<std::string> texts;
  for (const auto& ex : corpus->examples) texts.push_back(ex.text);
  for (const auto& t : texts) (void)(*model)->Predict(t);  // warm-up
  std::vector<double> micros;
  micros.reserve(texts.size());
  for (const auto& t : texts) {
    const auto start = Clock::now();
    auto p = (*model)->Predict(t);
    micros.push_back(Micros(Clock::now() - start));
    if (!p.ok()) return 1;
  }
  std::sort(micros.begin(), micros.end());
  const double median = micros[micros.size() / 2], p99 = micros[micros.size() * 99 / 100];
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto batch_start = Clock::now();
  auto batch = (*model)->PredictBatch(texts, 0);
  const double batch_s = Micros(Clock::now() - batch_start) / 1e6;
  std::FILE* f = std::fopen(model_path.c_str(), "rb");
  std::fseek(f, 0, SEEK_END);
  const double mib = std::ftell(f) / 1048576.0;
  std::fclose(f);
  if (json) {
    fmt::print("{{\"sentences\": {}, \"median_us\": {:.1f}, \"p99_us\": {:.1f}, \"load_ms\": {:.1f}, "
               "\"model_mib\": {:.1f}, \"batch_threads\": {}, \"batch_per_s\": {:.0f}}}\n",
               texts.size(), median, p99, load_ms, mib, cores, texts.size() / batch_s);
  } else {
    fmt::print("model {} ({:.1f} MiB), loaded in {:.1f} ms\n", model_path, mib, load_ms);
    fmt::print("one thread, {} sentences: median {:.1f} µs, p99 {:.1f} µs\n", texts.size(), median, p99);
    fmt::print("batch on {} threads: {:.0f} sentences/s\n", cores, texts.size() / batch_s);
  }
  return 0;
}
