// JsonWriter: writes JSON text straight into a string, value by value, with no
// document tree in between. The API's hot answers (a playlist, a track list) are
// written with it, because building an nlohmann::json tree and dumping it cost more
// than finding the playlist. The same Write… functions also give the tree
// (nlohmann::json::parse of their text) where a caller wants to add keys, so every
// surface names fields one way.
//
// Output is compact (no spaces), keys in the order written; doubles in their
// shortest round-trip form, non-finite doubles as null (as nlohmann's dump does);
// strings escaped per RFC 8259 with invalid UTF-8 replaced by U+FFFD.
//
// Not thread-safe: one writer per thread. Misnesting (a value where a key is due,
// EndObject inside an array) is a programming error and is not checked beyond
// assertions in debug builds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace emotune {

class JsonWriter {
 public:
  // `reserve`: bytes to reserve up front; default 0.
  explicit JsonWriter(std::size_t reserve = 0) { out_.reserve(reserve); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next value's name; only inside an object.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Integer(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // The value, or null when absent (or, for strings, empty).
  JsonWriter& StringOrNull(std::string_view value) { return value.empty() ? Null() : String(value); }
  template <typename T>
  JsonWriter& OrNull(const std::optional<T>& value) {
    if (!value) return Null();
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) return Number(*value);
    else if constexpr (std::is_same_v<T, bool>) return Bool(*value);
    else if constexpr (std::is_integral_v<T>) return Integer(*value);
    else return String(*value);
  }

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();
  void Open(char bracket);
  void Close(char bracket);

  std::string out_;
  // One entry per open container: whether it has a member yet.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

}  // namespace emotune
