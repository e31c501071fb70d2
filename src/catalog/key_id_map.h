// KeyIdMap: track key hashes → catalog ids for the keys one bulk write has seen.
// Open addressing with linear probing over one flat array: a million-row import looks
// up every key, and one cache miss per lookup (std::unordered_map takes several)
// is a tenth of the import's time. Keys are already well-mixed 64-bit hashes, so
// their low bits index the table directly. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace emotune {

class KeyIdMap {
 public:
  // The id stored for `key`, or 0 if none (ids start at 1).
  std::int64_t Find(std::int64_t key) const {
    if (slots_.empty()) return 0;
    for (std::size_t i = Index(key);; i = (i + 1) & mask_) {
      if (slots_[i].id == 0) return 0;
      if (slots_[i].key == key) return slots_[i].id;
    }
  }
  // Stores `id` (> 0) for `key`, replacing any earlier id.
  void Put(std::int64_t key, std::int64_t id) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (std::size_t i = Index(key);; i = (i + 1) & mask_) {
      if (slots_[i].id == 0) {
        slots_[i] = {key, id};
        ++size_;
        return;
      }
      if (slots_[i].key == key) {
        slots_[i].id = id;
        return;
      }
    }
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::int64_t key = 0;
    std::int64_t id = 0;  // 0: empty
  };
  std::size_t Index(std::int64_t key) const { return static_cast<std::uint64_t>(key) & mask_; }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old)
      if (s.id != 0) Put(s.key, s.id);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace emotune
