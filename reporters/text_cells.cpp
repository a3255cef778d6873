#include "reporters/text_cells.h"

#include <cmath>
#include <cstdio>

namespace stampede::reporters {

std::string format_ms(std::uint64_t us) {
  const double ms = static_cast<double>(us) / 1000.0;
  char buf[32];
  if (ms < 10) {
    std::snprintf(buf, sizeof buf, "%.2f", ms);
  } else if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%.1f", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", ms);
  }
  return buf;
}

std::string format_percent(std::uint64_t part, std::uint64_t whole) {
  const double pct = whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", pct);
  return buf;
}

std::string format_hms(double seconds) {
  const auto total = static_cast<long long>(std::floor(seconds < 0 ? 0 : seconds));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  return buf;
}

namespace {
// True for the second and later bytes of a UTF-8 sequence: never cut right before one.
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string fit(std::string_view raw, std::size_t width) {
  const std::string line = one_line(raw);
  const std::string_view text = line;
  if (text.size() <= width) return std::string(text);
  constexpr std::string_view kEllipsis = "...";
  std::size_t head = width;
  std::size_t tail = 0;
  if (width >= kEllipsis.size() + 2) {
    const std::size_t keep = width - kEllipsis.size();
    tail = keep / 2;
    head = keep - tail;
  }
  while (head > 0 && continuation(text[head])) --head;
  std::size_t tail_start = text.size() - tail;
  while (tail_start < text.size() && continuation(text[tail_start])) ++tail_start;
  std::string out(text.substr(0, head));
  if (tail > 0) {
    out += kEllipsis;
    out += text.substr(tail_start);
  }
  return out;
}

std::string separator_for(std::string_view header) {
  std::string sep(header.size(), '-');
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == '|') sep[i] = '|';
  }
  return sep;
}

std::string left(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string right(std::string_view text, std::size_t width) {
  std::string out;
  if (text.size() < width) out.append(width - text.size(), ' ');
  out += text;
  return out;
}

std::string endpoint_cells(std::string_view type, std::string_view name, std::size_t name_width) {
  return left(type, kTypeWidth) + " " + left(fit(name, name_width), name_width);
}

std::string latency_cells(const std::vector<std::string>& cells) {
  std::string out = " |";
  for (const std::string& c : cells) out += right(c, kLatencyWidth);
  return out;
}

}  // namespace stampede::reporters
