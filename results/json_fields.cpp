#include "results/json_fields.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace stampede::results {

std::string json_type_name(const nlohmann::json& j) {
  if (j.is_number_float()) return "a fractional number";
  if (j.is_number_integer() && !j.is_number_unsigned() && j.get<std::int64_t>() < 0) {
    return "a negative integer";
  }
  return j.type_name();
}

void JsonFields::fail(const std::string& path, const std::string& what) {
  throw std::runtime_error((path.empty() ? std::string("(root)") : path) + ": " + what);
}

JsonFields::JsonFields(const nlohmann::json& j, std::string path)
    : json_(j), path_(std::move(path)) {
  if (!json_.is_object()) fail(path_, "expected an object, found " + json_type_name(json_));
}

std::string JsonFields::path_of(std::string_view key) const {
  return path_ + "/" + std::string(key);
}

const nlohmann::json* JsonFields::find(std::string_view key) const {
  const auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return nullptr;
  return &*it;
}

const nlohmann::json& JsonFields::require(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) fail(path_of(key), "required member is missing");
  return *v;
}

std::string JsonFields::string(std::string_view key, std::optional<std::string> fallback) const {
  const nlohmann::json* v = fallback ? find(key) : &require(key);
  if (v == nullptr) return *fallback;
  if (!v->is_string()) fail(path_of(key), "expected a string, found " + json_type_name(*v));
  return v->get<std::string>();
}

std::uint64_t JsonFields::u64(std::string_view key, std::optional<std::uint64_t> fallback) const {
  const nlohmann::json* v = fallback ? find(key) : &require(key);
  if (v == nullptr) return *fallback;
  if (v->is_number_unsigned()) return v->get<std::uint64_t>();
  if (v->is_number_integer() && v->get<std::int64_t>() >= 0) return v->get<std::uint64_t>();
  fail(path_of(key), "expected a non-negative integer, found " + json_type_name(*v));
}

std::int64_t JsonFields::i64(std::string_view key, std::optional<std::int64_t> fallback) const {
  const nlohmann::json* v = fallback ? find(key) : &require(key);
  if (v == nullptr) return *fallback;
  if (v->is_number_unsigned()) {
    if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      fail(path_of(key), "integer out of range");
    }
    return v->get<std::int64_t>();
  }
  if (v->is_number_integer()) return v->get<std::int64_t>();
  fail(path_of(key), "expected an integer, found " + json_type_name(*v));
}

int JsonFields::i32(std::string_view key, std::optional<int> fallback) const {
  const std::int64_t v = i64(key, fallback);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    fail(path_of(key), "integer out of range");
  }
  return static_cast<int>(v);
}

double JsonFields::number(std::string_view key, std::optional<double> fallback) const {
  const nlohmann::json* v = fallback ? find(key) : &require(key);
  if (v == nullptr) return *fallback;
  if (!v->is_number()) fail(path_of(key), "expected a number, found " + json_type_name(*v));
  return v->get<double>();
}

bool JsonFields::boolean(std::string_view key, std::optional<bool> fallback) const {
  const nlohmann::json* v = fallback ? find(key) : &require(key);
  if (v == nullptr) return *fallback;
  if (!v->is_boolean()) fail(path_of(key), "expected true or false, found " + json_type_name(*v));
  return v->get<bool>();
}

std::vector<std::string> JsonFields::strings(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return {};
  if (!v->is_array()) fail(path_of(key), "expected an array of strings, found " + json_type_name(*v));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      fail(path_of(key) + "/" + std::to_string(i), "expected a string, found " + json_type_name(item));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

const nlohmann::json& JsonFields::array(std::string_view key) const {
  const nlohmann::json& v = require(key);
  if (!v.is_array()) fail(path_of(key), "expected an array, found " + json_type_name(v));
  return v;
}

Histogram JsonFields::histogram(std::string_view key) const {
  const std::string text = string(key, std::string{});
  auto h = Histogram::decode(text);
  if (!h) fail(path_of(key), "not a valid encoded histogram (see results/README.md)");
  return std::move(*h);
}

}  // namespace stampede::results
