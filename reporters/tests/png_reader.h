// A minimal PNG decoder for tests: 8-bit RGB or RGBA, not interlaced (what Chromium's
// screenshots are), with zlib for the IDAT stream. Not a general PNG library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stampede::reporters::testing {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> rgb;  // 0xRRGGBB per pixel, row by row (alpha dropped)
};

// nullopt with `error` set when the file is missing, not a PNG, or a kind this reader skips.
std::optional<Image> read_png(const std::string& path, std::string& error);

}  // namespace stampede::reporters::testing
