// JsonFields: path-aware, typed access to the members of one JSON object, used by the
// result-folder readers so every error names the JSON Pointer path of the bad value.
//
// Errors: std::runtime_error "<path>: <what>", e.g. "/endpoints/2/requests: expected a
// non-negative integer, found string". A member given a fallback may be absent (or null);
// one without is required. Unknown members are ignored (forward-compatible additions).
// Thread-safety: none needed; holds a reference to the JSON it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/histogram.h"

namespace stampede::results {

class JsonFields {
 public:
  // Throws if `j` is not an object. `path` is this object's JSON Pointer ("" = root).
  JsonFields(const nlohmann::json& j, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const;
  // nullptr when absent or null.
  const nlohmann::json* find(std::string_view key) const;

  std::string string(std::string_view key, std::optional<std::string> fallback = {}) const;
  std::uint64_t u64(std::string_view key, std::optional<std::uint64_t> fallback = {}) const;
  std::int64_t i64(std::string_view key, std::optional<std::int64_t> fallback = {}) const;
  int i32(std::string_view key, std::optional<int> fallback = {}) const;
  double number(std::string_view key, std::optional<double> fallback = {}) const;
  bool boolean(std::string_view key, std::optional<bool> fallback = {}) const;
  std::vector<std::string> strings(std::string_view key) const;  // optional, default []
  const nlohmann::json& array(std::string_view key) const;       // required
  Histogram histogram(std::string_view key) const;               // optional, default empty

  [[noreturn]] static void fail(const std::string& path, const std::string& what);

 private:
  const nlohmann::json& require(std::string_view key) const;

  const nlohmann::json& json_;
  std::string path_;
};

// Readable name of a JSON value's type for messages ("string", "array", ...).
std::string json_type_name(const nlohmann::json& j);

}  // namespace stampede::results
