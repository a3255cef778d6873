#include "locust/stats_entry.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace stampede::locust {

std::int64_t locust_bucket_ms(double ms) {
  // std::nearbyint rounds halves to even in the default rounding mode, as Python's round().
  double step = 1;
  if (ms >= 10000) step = 1000;
  else if (ms >= 1000) step = 100;
  else if (ms >= 100) step = 10;
  return static_cast<std::int64_t>(std::nearbyint(ms / step) * step);
}

void StatsEntry::log(double response_time_ms, std::uint64_t content_length, double unix_s, std::uint64_t count) {
  if (count == 0) return;
  num_requests += count;
  num_reqs_per_sec[static_cast<std::int64_t>(std::floor(unix_s))] += count;
  last_request_timestamp = std::max(last_request_timestamp.value_or(unix_s), unix_s);
  total_response_time += response_time_ms * static_cast<double>(count);
  min_response_time = std::min(min_response_time.value_or(response_time_ms), response_time_ms);
  max_response_time = std::max(max_response_time, response_time_ms);
  response_times[locust_bucket_ms(response_time_ms)] += count;
  total_content_length += content_length;
}

void StatsEntry::log_error(double unix_s, std::uint64_t count) {
  if (count == 0) return;
  num_failures += count;
  num_fail_per_sec[static_cast<std::int64_t>(std::floor(unix_s))] += count;
}

void StatsEntry::extend(const StatsEntry& other) {
  if (other.last_request_timestamp)
    last_request_timestamp = std::max(last_request_timestamp.value_or(*other.last_request_timestamp),
                                      *other.last_request_timestamp);
  start_time = std::min(start_time, other.start_time);
  num_requests += other.num_requests;
  num_none_requests += other.num_none_requests;
  num_failures += other.num_failures;
  total_response_time += other.total_response_time;
  max_response_time = std::max(max_response_time, other.max_response_time);
  if (other.min_response_time)
    min_response_time = std::min(min_response_time.value_or(*other.min_response_time), *other.min_response_time);
  total_content_length += other.total_content_length;
  for (const auto& [k, n] : other.response_times) response_times[k] += n;
  for (const auto& [k, n] : other.num_reqs_per_sec) num_reqs_per_sec[k] += n;
  for (const auto& [k, n] : other.num_fail_per_sec) num_fail_per_sec[k] += n;
}

std::string error_key(const std::string& method, const std::string& name, const std::string& error) {
  const std::string text = method + "." + name + "." + error;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

}  // namespace stampede::locust
