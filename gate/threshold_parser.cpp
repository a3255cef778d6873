// The threshold grammar (threshold.h): parse_threshold and ThresholdError, each problem
// with its column and a caret line.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "gate/threshold.h"
#include "gate/threshold_detail.h"
#include "units/duration.h"

namespace stampede::gate {
namespace {

using detail::format_number;
using detail::FigurePrefix;
using detail::kFigures;

std::string message_for(const std::string& expression, std::size_t column,
                         const std::string& problem) {
  std::string msg = "threshold '" + expression + "': " + problem + " at column " +
                    std::to_string(column) + "\n  " + expression + "\n  " +
                    std::string(column > 0 ? column - 1 : 0, ' ') + "^";
  return msg;
}

// "service.p99, service.avg, service.min, service.max"
std::string latency_examples(std::string_view prefix) {
  std::string out;
  for (const char* m : {"p99", "avg", "min", "max"})
    out += (out.empty() ? "" : ", ") + std::string(prefix) + "." + m;
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Threshold parse() {
    Threshold t;
    t.text = std::string(text_);
    skip_space();
    if (at_end()) fail("empty expression; expected a metric such as p95, avg, rps, error_rate");
    parse_metric(t);
    skip_space();
    if (peek() == '{') parse_selectors(t);
    skip_space();
    parse_comparison(t);
    skip_space();
    parse_limit(t);
    skip_space();
    if (!at_end()) parse_suffix(t);
    return t;
  }

 private:
  [[noreturn]] void fail(const std::string& problem, std::size_t at) const {
    throw ThresholdError(std::string(text_), at + 1, problem);
  }
  [[noreturn]] void fail(const std::string& problem) const { fail(problem, pos_); }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  std::string_view word() {
    std::size_t start = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                         text_[pos_] == '_' || text_[pos_] == '.'))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::optional<double> number() {
    std::size_t start = pos_;
    while (!at_end() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.'))
      ++pos_;
    if (pos_ == start) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, v);
    if (ec != std::errc() || end != text_.data() + pos_) {
      pos_ = start;
      return std::nullopt;
    }
    return v;
  }

  void parse_metric(Threshold& t) {
    std::size_t start = pos_;
    std::string_view w = word();
    // `figure.latency`: which histogram a latency metric reads (kFigures).
    const auto dot = w.find('.');
    const std::string_view head = w.substr(0, dot);
    const auto figure = std::find_if(std::begin(kFigures), std::end(kFigures),
                                     [&](const FigurePrefix& f) { return f.name == head; });
    if (figure != std::end(kFigures)) {
      const std::string examples = latency_examples(figure->name);
      if (dot == std::string_view::npos)
        fail("expected '" + std::string(head) + ".' and a latency metric (" + examples + ")", start);
      t.of = figure->of;
      start += dot + 1;
      w.remove_prefix(dot + 1);
      if (w.empty()) fail("expected a latency metric after '" + std::string(head) + ".' (" + examples + ")", start);
    }
    if (w == "avg") t.metric = Metric::kAvg;
    else if (w == "min") t.metric = Metric::kMin;
    else if (w == "max") t.metric = Metric::kMax;
    else if (w == "rps") t.metric = Metric::kRps;
    else if (w == "error_rate") t.metric = Metric::kErrorRate;
    else if (w == "count") t.metric = Metric::kCount;
    else if (w == "dropped") t.metric = Metric::kDropped;
    else if (w == "cache_hit_ratio") t.metric = Metric::kCacheHitRatio;
    else if (w == "rate_limited") t.metric = Metric::kRateLimited;
    else if (w.size() > 1 && w[0] == 'p' && std::isdigit(static_cast<unsigned char>(w[1]))) {
      double p = -1;
      auto [end, ec] = std::from_chars(w.data() + 1, w.data() + w.size(), p);
      if (ec != std::errc() || end != w.data() + w.size() || p < 0 || p > 100)
        fail("bad percentile '" + std::string(w) + "'; expected p0..p100, e.g. p95 or p99.9", start);
      t.metric = Metric::kPercentile;
      t.percentile = p;
    } else if (figure != std::end(kFigures)) {
      fail("unknown latency metric '" + std::string(w) + "' after '" + std::string(head) +
               ".'; expected a percentile (" + std::string(head) + ".p99), avg, min or max",
           start);
    } else {
      fail("unknown metric '" + std::string(w.empty() ? text_.substr(pos_, 1) : w) +
               "'; expected a percentile (p50, p95, p99.9), avg, min, max, rps, error_rate, count, "
               "dropped, cache_hit_ratio, rate_limited or a latency of service., connect., tls. or ttfb. (service.p99, "
               "connect.p95, tls.p95, ttfb.p95)",
           start);
    }
    if (figure != std::end(kFigures) && !t.is_latency())
      fail("'" + std::string(head) + ".' goes with a latency metric (" + latency_examples(figure->name) +
               "), not '" + std::string(w) + "'",
           start);
  }

  std::string quoted_string() {
    if (peek() != '"') fail("expected a double-quoted string");
    std::size_t open = pos_++;
    std::string out;
    while (!at_end() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (at_end()) fail("unterminated string (missing closing \")", open);
    ++pos_;
    return out;
  }

  void parse_selectors(Threshold& t) {
    Selector& sel = t.selector;
    ++pos_;  // '{'
    for (;;) {
      skip_space();
      std::size_t key_at = pos_;
      std::string_view key = word();
      if (key.empty()) fail("expected a selector: name=\"...\", method=\"...\" or shard=N");
      skip_space();
      if (peek() != '=') fail("expected '=' after '" + std::string(key) + "'");
      ++pos_;
      skip_space();
      std::size_t value_at = pos_;
      if (key == "name" || key == "method") {
        std::string value = quoted_string();
        if (value.empty()) fail("empty " + std::string(key), value_at);
        auto& slot = key == "name" ? sel.name : sel.method;
        if (slot) fail("'" + std::string(key) + "' given twice", key_at);
        slot = value;
      } else if (key == "shard") {
        bool quoted = peek() == '"';
        if (quoted) ++pos_;
        std::size_t digits_at = pos_;
        while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        int shard = -1;
        auto [end, ec] = std::from_chars(text_.data() + digits_at, text_.data() + pos_, shard);
        if (pos_ == digits_at || ec != std::errc() || end != text_.data() + pos_)
          fail("expected a shard number (0, 1, ...)", value_at);
        if (quoted) {
          if (peek() != '"') fail("expected '\"' after the shard number");
          ++pos_;
        }
        if (sel.shard) fail("'shard' given twice", key_at);
        // None is recorded per shard; a shard's latency is the server's own time there.
        if (t.of == LatencyOf::kService)
          fail("service time is not recorded per shard; a shard threshold already judges the server's "
               "own time on it (e.g. p95{shard=0})",
               key_at);
        if (t.is_exchange())
          fail("'" + t.metric_name() + "' is not recorded per shard (connections, time to first byte and the "
               "cache are counted per endpoint); use name= or method=",
               key_at);
        if (t.metric == Metric::kDropped)
          fail("dropped arrivals are not recorded per shard (they were never sent)", key_at);
        if (t.metric == Metric::kRateLimited)
          fail("rate-limited answers are not recorded per shard (the limiter answers before any shard); use "
               "name= or method=",
               key_at);
        sel.shard = shard;
      } else {
        fail("unknown selector '" + std::string(key) + "'; expected name, method or shard", key_at);
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return;
      }
      fail("expected ',' or '}'");
    }
  }

  void parse_comparison(Threshold& t) {
    char c = peek();
    if (c == '<' || c == '>') {
      ++pos_;
      bool equal = peek() == '=';
      if (equal) ++pos_;
      t.comparison = c == '<' ? (equal ? Comparison::kLessEqual : Comparison::kLess)
                              : (equal ? Comparison::kGreaterEqual : Comparison::kGreater);
      return;
    }
    if (c == '=' || c == '!')
      fail("unsupported operator; use <, <=, > or >=");
    fail(at_end() ? "missing comparison; expected <, <=, > or >=" : "expected <, <=, > or >=");
  }

  void parse_limit(Threshold& t) {
    std::size_t at = pos_;
    if (peek() == '-') fail("limits can't be negative");
    std::optional<double> v = number();
    if (!v) fail(at_end() ? "missing limit; expected a number" : "expected a number");
    std::size_t unit_at = pos_;
    std::string_view unit;
    if (peek() == '%') {
      unit = text_.substr(pos_++, 1);
    } else {
      unit = word();
    }
    if (unit.empty()) {
      // "150 ms": a unit after a space is still the limit's unit (a keyword is not).
      const std::size_t before = pos_;
      skip_space();
      const std::size_t spaced_at = pos_;
      std::string_view spaced = peek() == '%' ? text_.substr(pos_++, 1) : word();
      if (spaced == "us" || spaced == "ms" || spaced == "s" || spaced == "%") {
        unit = spaced;
        unit_at = spaced_at;
      } else {
        pos_ = before;
      }
    }
    if (t.is_latency()) {
      // Latency limits are shown in the unit they were written in, so only us, ms and s.
      const bool shown = unit == "us" || unit == "ms" || unit == "s";
      if (shown) {
        t.limit = *v * (*units::seconds_per_unit(unit) * 1e6);  // exact per-unit factors: 1, 1e3, 1e6
        t.unit = unit == "us" ? Unit::kMicroseconds : unit == "ms" ? Unit::kMilliseconds : Unit::kSeconds;
      } else if (unit.empty()) fail("missing unit; latency limits need us, ms or s (e.g. 150ms)", unit_at);
      else fail("unknown unit '" + std::string(unit) + "'; latency limits take us, ms or s", unit_at);
    } else if (t.metric == Metric::kErrorRate || t.metric == Metric::kCacheHitRatio) {
      const std::string name = t.metric_name();
      if (unit == "%") {
        if (t.metric == Metric::kCacheHitRatio && *v > 100) fail("cache_hit_ratio is at most 100%", at);
        t.limit = *v / 100;
        t.unit = Unit::kPercent;
      } else if (unit.empty()) {
        if (*v > 1) fail(name + " without % is a fraction (0..1); write " + format_number(*v) + "% for percent", at);
        t.limit = *v;
      } else fail("unknown unit '" + std::string(unit) + "'; " + name + " takes % (e.g. 1%) or a fraction", unit_at);
    } else if (t.metric == Metric::kRateLimited) {
      // With % the share of requests answered 429; without a unit their count.
      if (unit == "%") {
        t.limit = *v / 100;
        t.unit = Unit::kPercent;
      } else if (unit.empty()) {
        t.limit = *v;
      } else fail("unknown unit '" + std::string(unit) + "'; rate_limited takes % (a share of the requests) or "
                  "a plain count", unit_at);
    } else {
      if (!unit.empty())
        fail("'" + metric_name_of(t) + "' takes a plain number, not '" + std::string(unit) + "'", unit_at);
      t.limit = *v;
    }
  }

  void parse_suffix(Threshold& t) {
    std::size_t at = pos_;
    std::string_view w = word();
    if (w == "over") {
      parse_window(t);
      skip_space();
      if (at_end()) return;
      at = pos_;
      w = word();
    }
    if (w != "abort")
      fail("unexpected '" + std::string(w.empty() ? text_.substr(pos_) : w) +
               "'; expected 'over <duration>', 'abort' or the end", at);
    t.abort = true;
    skip_space();
    if (!at_end()) fail("unexpected text after 'abort'", pos_);
  }

  void parse_window(Threshold& t) {
    skip_space();
    std::size_t dur_at = pos_;
    std::optional<double> v = number();
    if (!v) fail("expected a window duration like 10s", dur_at);
    std::string_view unit = word();
    if (unit.empty()) {  // "10 s"
      skip_space();
      unit = word();
    }
    // The project's duration units (units/duration.h): ms, s, m, h, d (us is below a second).
    const std::optional<double> per_unit_s = units::seconds_per_unit(unit);
    if (!per_unit_s) fail("expected a duration unit (ms, s, m, h) after the window length", dur_at);
    const double ms = *v * (*per_unit_s * 1e3);
    // History points are one second apart: a shorter window would silently be a second.
    if (ms < 1000) fail("a window must be at least 1s (the history has one point per second)", dur_at);
    // Longer would overflow the milliseconds below (and is no duration in this project).
    if (!(ms <= units::kMaxDurationSeconds * 1e3)) fail("a window can be at most 1e9 s (the longest duration)", dur_at);
    t.window = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(ms)));
  }

  static std::string metric_name_of(const Threshold& t) { return t.metric_name(); }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

ThresholdError::ThresholdError(std::string expression, std::size_t column, const std::string& problem)
    : std::runtime_error(message_for(expression, column, problem)),
      expression_(std::move(expression)),
      column_(column),
      problem_(problem) {}

Threshold parse_threshold(std::string_view text) { return Parser(trim(text)).parse(); }

}  // namespace stampede::gate
