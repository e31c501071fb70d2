// Hash64: the one 64-bit string hash Emotune stores or ships (catalog identities,
// hashed text features). FNV-1a over the bytes, then MurmurHash3's fmix64 finaliser
// so that keys differing in one byte differ in every output bit. Never change it:
// stored catalogs and trained models depend on its exact values. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace emotune {

constexpr std::uint64_t Hash64(std::string_view bytes, std::uint64_t seed = 0) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace emotune
