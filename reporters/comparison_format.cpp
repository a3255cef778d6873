#include "reporters/comparison_format.h"

#include <cmath>
#include <cstdio>

namespace stampede::reporters {

std::string fmt_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string fmt_ms(double ms) {
  if (ms < 10) return fmt_fixed(ms, 2);
  if (ms < 1000) return fmt_fixed(ms, 1);
  return fmt_fixed(ms, 0);
}

std::string fmt_pct(double pct) { return fmt_fixed(pct, 1) + "%"; }

std::string fmt_pct_short(double pct) {
  // Half away from zero (12.5 -> 13), as people round, not printf's half-to-even.
  return (pct < 10 ? fmt_fixed(std::round(pct * 10) / 10, 1) : fmt_fixed(std::round(pct), 0)) + "%";
}

std::string fmt_ratio(std::optional<double> r) {
  if (!r || !std::isfinite(*r)) return kAbsent;
  return "×" + fmt_fixed(*r, 2);
}

std::string fmt_factor(double r) { return fmt_fixed(r, r < 2 ? 2 : 1) + "×"; }

std::string fmt_score(double score) { return fmt_fixed(std::round(score), 0); }

std::string fmt_score(std::optional<double> score) { return score ? fmt_score(*score) : kAbsent; }

std::string fmt_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string fmt_rate(double per_s) { return fmt_fixed(per_s, per_s < 10 ? 2 : 1); }

std::string fmt_seconds(double s) { return fmt_fixed(s, 1) + " s"; }

}  // namespace stampede::reporters
