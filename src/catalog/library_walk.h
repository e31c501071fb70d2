// The file-system half of a library scan: which files are there, and what they are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emotune/status.h"

namespace emotune {

struct WalkedFile {
  std::string path;
  std::int64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;
};

struct LibraryWalk {
  std::vector<WalkedFile> files;   // audio files, sorted by path
  std::vector<std::string> roots;  // the roots as absolute, symlink-free paths
};

// Walks `roots` recursively: hidden entries skipped, symlinks followed but every
// folder entered once (no loops), audio files by extension. NotFound if a root does
// not exist; unreadable subfolders are skipped.
Result<LibraryWalk> WalkLibrary(const std::vector<std::string>& roots);

// Whether `path` is `root` or lies under it.
bool IsUnderRoot(const std::string& path, const std::string& root);

}  // namespace emotune
