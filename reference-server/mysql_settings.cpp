#include "reference-server/mysql_settings.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>

namespace stampede::server {

namespace {

constexpr std::string_view kMain = "STAMPEDE_MYSQL_MAIN";
constexpr std::string_view kShards = "STAMPEDE_MYSQL_SHARDS";
constexpr std::string_view kUser = "STAMPEDE_MYSQL_USER";
constexpr std::string_view kPassword = "STAMPEDE_MYSQL_PASSWORD";
constexpr std::string_view kRedis = "STAMPEDE_REDIS";
constexpr std::string_view kMainReplicas = "STAMPEDE_MYSQL_MAIN_REPLICAS";
constexpr std::string_view kShardReplicas = "STAMPEDE_MYSQL_SHARD_REPLICAS";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> from_environment(std::string_view key) {
  const std::string name(key);
  if (const char* value = std::getenv(name.c_str()); value != nullptr) return std::string(value);
  return std::nullopt;
}

// Items of `text` separated by `separator` (an empty text: none; empty items are kept).
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  if (trim(text).empty()) return items;
  for (;;) {
    const auto at = text.find(separator);
    items.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return items;
    text = text.substr(at + 1);
  }
}

// "h:p/db+h:p/db": one database's replicas.
std::vector<MysqlEndpoint> parse_replica_list(std::string_view key, std::string_view list) {
  std::vector<MysqlEndpoint> out;
  for (const auto item : split(list, '+')) {
    auto endpoint = parse_endpoint(item, true);
    if (!endpoint) {
      throw StoreError(std::string(key) + ": expected host:port/database (replicas joined by +), got '" +
                       std::string(item) + "'");
    }
    out.push_back(*endpoint);
  }
  return out;
}

}  // namespace

std::string MysqlEndpoint::address() const { return host + ":" + std::to_string(port); }

std::optional<MysqlEndpoint> parse_endpoint(std::string_view text, bool need_database) {
  text = trim(text);
  MysqlEndpoint out;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    out.database = std::string(text.substr(slash + 1));
    text = text.substr(0, slash);
  }
  if (need_database && out.database.empty()) return std::nullopt;
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  out.host = std::string(text.substr(0, colon));
  const auto port_text = text.substr(colon + 1);
  int port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  out.port = port;
  return out;
}

void apply_settings(MysqlSettings& settings,
                    const std::function<std::optional<std::string>(std::string_view)>& lookup) {
  if (auto main = lookup(kMain)) {
    auto endpoint = parse_endpoint(*main, true);
    if (!endpoint) throw StoreError(std::string(kMain) + ": expected host:port/database, got '" + *main + "'");
    settings.main = *endpoint;
  }
  if (auto shards = lookup(kShards)) {
    settings.shards.clear();
    std::string_view rest = *shards;
    while (!trim(rest).empty()) {
      const auto comma = rest.find(',');
      const auto item = rest.substr(0, comma);
      auto endpoint = parse_endpoint(item, true);
      if (!endpoint) {
        throw StoreError(std::string(kShards) + ": expected host:port/database, got '" +
                         std::string(item) + "'");
      }
      settings.shards.push_back(*endpoint);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  if (auto user = lookup(kUser)) settings.user = *user;
  if (auto password = lookup(kPassword)) settings.password = *password;
  if (auto replicas = lookup(kMainReplicas)) settings.main_replicas = parse_replica_list(kMainReplicas, *replicas);
  if (auto replicas = lookup(kShardReplicas)) {
    settings.shard_replicas.clear();
    for (const auto list : split(*replicas, ',')) {
      settings.shard_replicas.push_back(parse_replica_list(kShardReplicas, list));
    }
  }
  if (auto redis = lookup(kRedis)) {
    auto endpoint = parse_endpoint(*redis, false);
    if (!endpoint) throw StoreError(std::string(kRedis) + ": expected host:port, got '" + *redis + "'");
    settings.redis = *endpoint;
  }
}

MysqlSettings read_stack_env(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw StoreError("cannot read " + file.string());
  std::map<std::string, std::string, std::less<>> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw StoreError(file.string() + ":" + std::to_string(number) + ": expected KEY=VALUE");
    }
    values[std::string(trim(text.substr(0, eq)))] = std::string(trim(text.substr(eq + 1)));
  }
  MysqlSettings settings;
  apply_settings(settings, [&](std::string_view key) -> std::optional<std::string> {
    if (auto it = values.find(key); it != values.end()) return it->second;
    return std::nullopt;
  });
  if (settings.main.database.empty()) throw StoreError(file.string() + ": no " + std::string(kMain));
  settings.source = file.string();
  return settings;
}

std::optional<std::filesystem::path> find_stack_env() {
  if (auto dir = from_environment("STAMPEDE_STACK_DIR"); dir && !dir->empty()) {
    auto file = std::filesystem::path(*dir) / "stack.env";
    if (std::filesystem::exists(file)) return file;
    return std::nullopt;
  }
  std::error_code ec;
  auto dir = std::filesystem::current_path(ec);
  while (!ec && !dir.empty()) {
    auto file = dir / ".stampede" / "stack" / "stack.env";
    if (std::filesystem::exists(file, ec)) return file;
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

MysqlSettings find_mysql_settings() {
  MysqlSettings settings;
  if (auto file = find_stack_env()) settings = read_stack_env(*file);
  apply_settings(settings, from_environment);
  if (settings.main.database.empty()) {
    throw StoreError(
        "mysql store: no stack settings found; run `fixtures/stack up` (writes "
        ".stampede/stack/stack.env), set STAMPEDE_STACK_DIR, or set STAMPEDE_MYSQL_MAIN, "
        "STAMPEDE_MYSQL_SHARDS, STAMPEDE_MYSQL_USER, STAMPEDE_MYSQL_PASSWORD, STAMPEDE_REDIS");
  }
  if (settings.shards.empty()) throw StoreError("mysql store: no shards (STAMPEDE_MYSQL_SHARDS)");
  if (settings.source.empty()) settings.source = "environment";
  return settings;
}

}  // namespace stampede::server
