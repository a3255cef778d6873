#include "reporters/tests/png_reader.h"

#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace stampede::reporters::testing {

namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

std::optional<Image> read_png(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<unsigned char> f((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static constexpr unsigned char kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (f.size() < 8 || !std::equal(kSig, kSig + 8, f.begin())) {
    error = path + ": not a PNG file (" + std::to_string(f.size()) + " bytes)";
    return std::nullopt;
  }
  Image img;
  int channels = 0;
  std::vector<unsigned char> idat;
  for (std::size_t at = 8; at + 12 <= f.size();) {
    const std::uint32_t len = be32(&f[at]);
    const std::string type(reinterpret_cast<const char*>(&f[at + 4]), 4);
    if (at + 12 + len > f.size()) break;
    const unsigned char* data = &f[at + 8];
    if (type == "IHDR") {
      img.width = static_cast<int>(be32(data));
      img.height = static_cast<int>(be32(data + 4));
      const int depth = data[8], colour = data[9], interlace = data[12];
      channels = colour == 2 ? 3 : colour == 6 ? 4 : 0;
      if (depth != 8 || channels == 0 || interlace != 0) {
        error = path + ": unsupported PNG (depth " + std::to_string(depth) + ", colour type " + std::to_string(colour) +
                ", interlace " + std::to_string(interlace) + ")";
        return std::nullopt;
      }
    } else if (type == "IDAT") {
      idat.insert(idat.end(), data, data + len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (channels == 0 || img.width <= 0 || img.height <= 0) {
    error = path + ": no IHDR";
    return std::nullopt;
  }
  const std::size_t stride = static_cast<std::size_t>(img.width) * channels;
  std::vector<unsigned char> raw((stride + 1) * static_cast<std::size_t>(img.height));
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, idat.data(), idat.size()) != Z_OK || raw_len != raw.size()) {
    error = path + ": bad IDAT stream";
    return std::nullopt;
  }
  std::vector<unsigned char> prev(stride, 0), cur(stride);
  img.rgb.reserve(static_cast<std::size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y) {
    const unsigned char* line = &raw[static_cast<std::size_t>(y) * (stride + 1)];
    const int filter = line[0];
    for (std::size_t i = 0; i < stride; ++i) {
      const int x = line[1 + i];
      const int a = i >= static_cast<std::size_t>(channels) ? cur[i - channels] : 0;
      const int b = prev[i];
      const int c = i >= static_cast<std::size_t>(channels) ? prev[i - channels] : 0;
      int v = x;
      switch (filter) {
        case 0: break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + (a + b) / 2; break;
        case 4: v = x + paeth(a, b, c); break;
        default: error = path + ": bad filter " + std::to_string(filter); return std::nullopt;
      }
      cur[i] = static_cast<unsigned char>(v & 0xff);
    }
    for (int px = 0; px < img.width; ++px) {
      const unsigned char* p = &cur[static_cast<std::size_t>(px) * channels];
      img.rgb.push_back((std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2]);
    }
    std::swap(prev, cur);
  }
  return img;
}

}  // namespace stampede::reporters::testing
