#include "affect/model_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

namespace emotune {

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp.c_str());
    return Status::IoError(fmt::format("{}: write failed: {}", path, std::strerror(error)));
  }
  return Status::Ok();
}

}  // namespace emotune
