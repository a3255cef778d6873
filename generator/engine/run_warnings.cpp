#include "generator/engine/run_warnings.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "units/bytes.h"
#include "units/duration.h"

namespace stampede::engine {

std::optional<std::string> unreachable_warning(const std::vector<Interval>& intervals, const std::string& host) {
  std::uint64_t requests = 0, connect_errors = 0;
  std::map<std::string_view, std::uint64_t> texts;
  for (const Interval& in : intervals) {
    for (const auto& e : in.endpoints) requests += e.requests;
    connect_errors += in.errors_by_kind[static_cast<std::size_t>(http::ErrorKind::kConnect)];
    for (const auto& [key, count] : in.failures) texts[key.second] += count;
  }
  if (requests == 0 || connect_errors < requests) return std::nullopt;
  // Every failure was a connect error, so the most frequent text names it.
  auto most = std::max_element(texts.begin(), texts.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return "warning: cannot reach " + host + " (" +
         std::string(most == texts.end() ? std::string_view("could not connect") : most->first) +
         "); every request so far failed to connect — is the server running" +
         (host.rfind("https://", 0) == 0 ? " and is its certificate trusted (--ca-file, --insecure)?\n" : "?\n");
}

std::string left_behind_warning(int threads, std::chrono::seconds grace) {
  return "warning: " + std::to_string(threads) + " worker thread" + (threads == 1 ? " was" : "s were") +
         " still busy " + units::format_duration(grace) + " after the stop; the run ended without " +
         (threads == 1 ? "it" : "them") + " (statistics not yet handed over are missing)\n";
}

std::string body_memory_warning(std::uint64_t responses, std::uint64_t max_body_memory_bytes) {
  return "warning: " + std::to_string(responses) + " response" + (responses == 1 ? "" : "s") +
         " failed because the response bodies kept for checks and captures reached --max-body-memory (" +
         units::format_bytes(max_body_memory_bytes) + "); raise it, or let fewer users keep large bodies at once\n";
}

}  // namespace stampede::engine
