// A scratch folder for one fuzzing process (files the target under test reads), in memory
// when /dev/shm exists, removed when the process exits normally.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace stampede::fuzz {

class ScratchDir {
 public:
  explicit ScratchDir(std::string_view name) {
    const std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                            : std::filesystem::temp_directory_path();
    path_ = base / ("stampede-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  void write(const std::string& file, std::string_view bytes) const {
    std::ofstream out(path_ / file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  void remove(const std::string& file) const {
    std::error_code ec;
    std::filesystem::remove(path_ / file, ec);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace stampede::fuzz
