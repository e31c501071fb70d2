#include "catalog/library_walk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <array>
#include <filesystem>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/hash64.h"
#include "emotune/library_scanner.h"

namespace emotune {
namespace {

namespace fs = std::filesystem;

std::int64_t MtimeNs(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// Adds the audio files under `root` (a folder) to `out`.
void WalkFolder(const fs::path& root, std::set<std::pair<dev_t, ino_t>>& entered, std::vector<WalkedFile>& out) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
      const fs::path& path = it->path();
      if (path.filename().string().starts_with('.')) continue;  // .git, .Trash, macOS ._ sidecars
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) continue;  // a dangling link
      if (S_ISDIR(st.st_mode)) {
        if (entered.insert({st.st_dev, st.st_ino}).second) pending.push_back(path);
      } else if (S_ISREG(st.st_mode) && HasAudioExtension(path.native())) {
        out.push_back({path.string(), static_cast<std::int64_t>(st.st_size), MtimeNs(st)});
      }
    }
  }
}

}  // namespace

bool HasAudioExtension(std::string_view path) {
  // What FFmpeg's libraries decode and music libraries hold; video containers with
  // audio (mp4, webm, mka) too, since people keep music in them.
  static constexpr std::array<std::string_view, 26> kExtensions = {
      "mp3", "mp2", "ogg", "oga", "opus", "flac", "wav", "wave", "aif", "aiff", "aifc", "m4a", "m4b",
      "mp4", "aac", "wma", "ape", "wv",   "mpc",  "mka", "webm", "caf", "au",   "spx",  "tta",  "dsf"};
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return false;
  const std::string ext = AsciiLower(path.substr(dot + 1));
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool IsUnderRoot(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (!path.starts_with(root)) return false;
  return root.ends_with('/') || path[root.size()] == '/';
}

Result<LibraryWalk> WalkLibrary(const std::vector<std::string>& roots) {
  LibraryWalk walk;
  std::set<std::pair<dev_t, ino_t>> entered;
  for (const auto& root : roots) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(root, ec);
    struct stat st {};
    if (ec || ::stat(canonical.c_str(), &st) != 0)
      return Status::NotFound(fmt::format("{}: no such file or folder", root));
    walk.roots.push_back(canonical.string());
    if (S_ISDIR(st.st_mode)) {
      if (entered.insert({st.st_dev, st.st_ino}).second) WalkFolder(canonical, entered, walk.files);
    } else if (S_ISREG(st.st_mode)) {
      // A file named on the command line is scanned whatever its extension.
      walk.files.push_back({canonical.string(), static_cast<std::int64_t>(st.st_size), MtimeNs(st)});
    }
  }
  std::sort(walk.files.begin(), walk.files.end(),
            [](const WalkedFile& a, const WalkedFile& b) { return a.path < b.path; });
  walk.files.erase(std::unique(walk.files.begin(), walk.files.end(),
                               [](const WalkedFile& a, const WalkedFile& b) { return a.path == b.path; }),
                   walk.files.end());
  return walk;
}

Result<std::int64_t> FileFingerprint(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IoError(fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
  }
  constexpr off_t kChunk = 64 * 1024;
  const off_t size = st.st_size;
  std::string bytes = fmt::format("{}:", size);
  const off_t starts[] = {0, std::max<off_t>(0, size / 2 - kChunk / 2), std::max<off_t>(0, size - kChunk)};
  std::string chunk(static_cast<std::size_t>(kChunk), '\0');
  for (off_t start : starts) {
    const ssize_t n = ::pread(fd, chunk.data(), static_cast<std::size_t>(kChunk), start);
    if (n < 0) {
      ::close(fd);
      return Status::IoError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    }
    bytes.append(chunk.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return static_cast<std::int64_t>(Hash64(bytes));
}

}  // namespace emotune
