#include "reference-server/route_support.h"

#include <algorithm>
#include <cstdint>

namespace stampede::server {

using nlohmann::json;

HttpResponse make_json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

HttpResponse make_json(const json& body, const ShardTimings& timings) {
  HttpResponse response = make_json(200, body);
  response.server_timing = format_server_timing(timings);
  return response;
}

HttpResponse make_error(int status, std::string_view message, const std::vector<std::string>& details) {
  json body = {{"error", message}};
  if (!details.empty()) body["details"] = details;
  return make_json(status, body);
}

HttpResponse make_written(JsonWriter& w, const ShardTimings& timings) {
  HttpResponse response;
  response.body = w.take();
  response.server_timing = format_server_timing(timings);
  return response;
}

HttpResponse cache_aside(const RouteContext& ctx, Endpoint endpoint, std::string_view key,
                         std::string_view field, const std::function<HttpResponse()>& load) {
  if (ctx.cache == nullptr) return load();
  if (auto body = ctx.cache->lookup(endpoint, key, field)) {
    HttpResponse hit;
    hit.body = std::move(*body);
    hit.server_timing = "cache;desc=hit";
    return hit;
  }
  HttpResponse miss = load();
  if (miss.status == 200) ctx.cache->store(key, field, miss.body);
  miss.server_timing += miss.server_timing.empty() ? "cache;desc=miss" : ", cache;desc=miss";
  return miss;
}

std::optional<std::int64_t> int_param(std::string_view raw, std::string_view what,
                                      std::vector<std::string>& details, std::string_view expected) {
  const auto value = parse_int(raw);
  if (!value) {
    details.push_back(std::string(what) + ": expected " + std::string(expected) + ", got '" +
                      std::string(raw.substr(0, 40)) + "'");
  }
  return value;
}

int parse_limit(const PathView& path, const RouterOptions& options, std::vector<std::string>& details) {
  const auto raw = path.param("limit");
  if (!raw) return options.default_limit;
  const auto value = parse_int(*raw);
  if (!value || *value < 1 || *value > options.max_limit) {
    details.push_back("limit: expected an integer between 1 and " + std::to_string(options.max_limit));
    return options.default_limit;
  }
  return static_cast<int>(*value);
}

std::optional<std::int64_t> int_field(const json& object, const char* name, bool required,
                                      std::vector<std::string>& details) {
  const auto it = object.find(name);
  if (it == object.end() || (!required && it->is_null())) {
    if (required) details.push_back(std::string(name) + ": missing (expected an integer)");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    details.push_back(std::string(name) + ": expected an integer, got " + it->type_name());
    return std::nullopt;
  }
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    details.push_back(std::string(name) + ": expected an integer in the int64 range, got " + it->dump());
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::string without_paths(std::string_view text) {
  constexpr std::string_view kWordEnd = " \t\r\n'\"`,;()[]{}<>";
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find_first_of(kWordEnd, pos), text.size());
    const std::string_view word = text.substr(pos, end - pos);
    const bool path = word.size() > 1 && (word.starts_with('/') || word.starts_with("./") ||
                                          word.starts_with("../") || word.starts_with("~/"));
    out += path ? word.substr(word.find_last_of('/') + 1) : word;
    if (end < text.size()) out += text[end];
    pos = end + 1;
  }
  return out;
}

}  // namespace stampede::server
