#include "reference-server/shard_latency.h"

#include <random>
#include <thread>

#include "units/duration.h"

namespace stampede::server {

namespace {

constexpr std::string_view kExpected = "expected a duration like 1ms or a range like 0.2ms-2ms";

// One end of the text form: a duration with a unit, or a bare 0 (zero needs no unit).
std::optional<std::chrono::nanoseconds> parse_end(std::string_view text) {
  if (text == "0") return std::chrono::nanoseconds{0};
  return units::parse_duration(text, units::BareNumber::kRejected);
}

}  // namespace

std::chrono::nanoseconds ShardLatency::at(double unit) const {
  if (max <= min) return min;
  const auto span = static_cast<double>((max - min).count());
  return min + std::chrono::nanoseconds(static_cast<std::int64_t>(unit * span));
}

void ShardLatency::wait() const {
  if (!enabled()) return;
  if (min == max) {
    std::this_thread::sleep_for(min);
    return;
  }
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::this_thread::sleep_for(at(unit(generator)));
}

std::string ShardLatency::describe() const {
  if (!enabled()) return "none";
  if (min == max) return units::format_duration(min);
  return units::format_duration(min) + "-" + units::format_duration(max);
}

std::optional<ShardLatency> parse_shard_latency(std::string_view text, std::string& problem) {
  if (text.empty() || text == "0") return ShardLatency{};
  const auto got = [&] { return std::string(kExpected) + ", got '" + std::string(text.substr(0, 40)) + "'"; };
  const auto dash = text.find('-');
  const auto low_text = text.substr(0, dash);
  const auto high_text = dash == std::string_view::npos ? low_text : text.substr(dash + 1);
  const auto low = parse_end(low_text);
  const auto high = parse_end(high_text);
  if (!low || !high) {
    const bool bare = units::parse_duration(low_text) && units::parse_duration(high_text);
    problem = bare ? "'" + std::string(text.substr(0, 40)) + "' needs a unit (e.g. 1ms; a bare number is ambiguous)"
                   : got();
    return std::nullopt;
  }
  if (*low > *high) {
    problem = "the range's low end is above its high end in '" + std::string(text) + "'";
    return std::nullopt;
  }
  if (*high > kMaxShardLatency) {
    problem = "at most " + units::format_duration(kMaxShardLatency) + ", got '" + std::string(text) + "'";
    return std::nullopt;
  }
  return ShardLatency{*low, *high};
}

}  // namespace stampede::server
