// Number formats shared by the comparison report's renderers (console, Markdown, HTML),
// so one number always reads the same everywhere. Absent values print as "—".
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace stampede::reporters {

inline constexpr const char* kAbsent = "—";

std::string fmt_ms(double ms);                    // "0.27 ms"-style precision without the unit: 2 decimals < 10, 1 < 1000, else 0
std::string fmt_pct(double pct);                  // one decimal and "%": "71.0%"
std::string fmt_pct_short(double pct);            // for sentences: "71%", below 10 one decimal: "2.5%"
std::string fmt_ratio(std::optional<double> r);   // "×3.90", "—"
std::string fmt_factor(double r);                 // for sentences: "3.9×" (2 decimals below 2)
std::string fmt_score(double score);              // balance score, rounded: "97"
std::string fmt_score(std::optional<double> score);
std::string fmt_count(std::uint64_t n);           // thousands separated: "41,250"
std::string fmt_rate(double per_s);               // "12.3"
std::string fmt_seconds(double s);                // "60.0 s"
std::string fmt_fixed(double v, int decimals);

}  // namespace stampede::reporters
