#include "locust/messages.h"

#include <msgpack.hpp>

#include <string_view>

namespace stampede::locust {
namespace {

using Packer = msgpack::packer<msgpack::sbuffer>;

// (type, data, node_id) with `data` written by `pack_data` (exactly one value).
template <typename Fn>
std::string frame(std::string_view type, const std::string& node_id, Fn&& pack_data) {
  msgpack::sbuffer buffer;
  Packer pk(buffer);
  pk.pack_array(3);
  pk.pack(std::string(type));
  pack_data(pk);
  pk.pack(node_id);
  return std::string(buffer.data(), buffer.size());
}

std::string frame_without_data(std::string_view type, const std::string& node_id) {
  return frame(type, node_id, [](Packer& pk) { pk.pack_nil(); });
}

void pack_optional(Packer& pk, const std::optional<double>& v) {
  if (v) pk.pack_double(*v);
  else pk.pack_nil();
}

template <typename Map>
void pack_int_map(Packer& pk, const Map& map) {
  pk.pack_map(static_cast<std::uint32_t>(map.size()));
  for (const auto& [k, n] : map) {
    pk.pack(k);
    pk.pack(n);
  }
}

void pack_entry(Packer& pk, const StatsEntry& e) {
  pk.pack_map(14);
  pk.pack(std::string("name"));
  pk.pack(e.name);
  pk.pack(std::string("method"));
  pk.pack(e.method);
  pk.pack(std::string("last_request_timestamp"));
  pack_optional(pk, e.last_request_timestamp);
  pk.pack(std::string("start_time"));
  pk.pack_double(e.start_time);
  pk.pack(std::string("num_requests"));
  pk.pack(e.num_requests);
  pk.pack(std::string("num_none_requests"));
  pk.pack(e.num_none_requests);
  pk.pack(std::string("num_failures"));
  pk.pack(e.num_failures);
  pk.pack(std::string("total_response_time"));
  pk.pack_double(e.total_response_time);
  pk.pack(std::string("max_response_time"));
  pk.pack_double(e.max_response_time);
  pk.pack(std::string("min_response_time"));
  pack_optional(pk, e.min_response_time);
  pk.pack(std::string("total_content_length"));
  pk.pack(e.total_content_length);
  pk.pack(std::string("response_times"));
  pack_int_map(pk, e.response_times);
  pk.pack(std::string("num_reqs_per_sec"));
  pack_int_map(pk, e.num_reqs_per_sec);
  pk.pack(std::string("num_fail_per_sec"));
  pack_int_map(pk, e.num_fail_per_sec);
}

void pack_counts(Packer& pk, const std::map<std::string, int>& counts) {
  pk.pack_map(static_cast<std::uint32_t>(counts.size()));
  for (const auto& [cls, n] : counts) {
    pk.pack(cls);
    pk.pack(n);
  }
}

int sum_of(const std::map<std::string, int>& counts) {
  int sum = 0;
  for (const auto& [cls, n] : counts) sum += n;
  return sum;
}

// --- decoding ----------------------------------------------------------------------

const msgpack::object* find(const msgpack::object& map, std::string_view key) {
  if (map.type != msgpack::type::MAP) return nullptr;
  for (std::uint32_t i = 0; i < map.via.map.size; ++i) {
    const msgpack::object_kv& kv = map.via.map.ptr[i];
    if (kv.key.type == msgpack::type::STR && std::string_view(kv.key.via.str.ptr, kv.key.via.str.size) == key)
      return &kv.val;
  }
  return nullptr;
}

[[noreturn]] void bad(const std::string& type, const std::string& what) {
  throw ProtocolError("Locust message '" + type + "': " + what);
}

double number(const msgpack::object& o, const std::string& type, const std::string& field) {
  switch (o.type) {
    case msgpack::type::POSITIVE_INTEGER: return static_cast<double>(o.via.u64);
    case msgpack::type::NEGATIVE_INTEGER: return static_cast<double>(o.via.i64);
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: return o.via.f64;
    default: bad(type, "'" + field + "' is not a number");
  }
}

std::string text(const msgpack::object& o, const std::string& type, const std::string& field) {
  if (o.type != msgpack::type::STR) bad(type, "'" + field + "' is not a string");
  return std::string(o.via.str.ptr, o.via.str.size);
}

SpawnMessage decode_spawn(const msgpack::object& data) {
  const std::string type = "spawn";
  if (data.type != msgpack::type::MAP) bad(type, "data is not a map");
  SpawnMessage spawn;
  const msgpack::object* timestamp = find(data, "timestamp");
  if (timestamp == nullptr) bad(type, "no 'timestamp'");
  spawn.timestamp = number(*timestamp, type, "timestamp");
  const msgpack::object* counts = find(data, "user_classes_count");
  if (counts == nullptr || counts->type != msgpack::type::MAP) bad(type, "no 'user_classes_count' map");
  for (std::uint32_t i = 0; i < counts->via.map.size; ++i) {
    const msgpack::object_kv& kv = counts->via.map.ptr[i];
    const std::string cls = text(kv.key, type, "user_classes_count");
    const double n = number(kv.val, type, "user_classes_count/" + cls);
    if (n < 0 || n != static_cast<double>(static_cast<int>(n)))
      bad(type, "'user_classes_count/" + cls + "' is not a user count");
    spawn.user_classes_count[cls] = static_cast<int>(n);
  }
  if (const msgpack::object* host = find(data, "host"); host != nullptr && host->type == msgpack::type::STR)
    spawn.host = text(*host, type, "host");
  if (const msgpack::object* stop = find(data, "stop_timeout"); stop != nullptr && stop->type != msgpack::type::NIL)
    spawn.stop_timeout = number(*stop, type, "stop_timeout");
  return spawn;
}

}  // namespace

std::string encode_client_ready(const std::string& node_id, const std::string& version) {
  return frame("client_ready", node_id, [&](Packer& pk) {
    if (version.empty()) pk.pack(-1);
    else pk.pack(version);
  });
}

std::string encode_heartbeat(const std::string& node_id, const std::string& state, double cpu_percent,
                             std::uint64_t memory_bytes) {
  return frame("heartbeat", node_id, [&](Packer& pk) {
    pk.pack_map(3);
    pk.pack(std::string("state"));
    pk.pack(state);
    pk.pack(std::string("current_cpu_usage"));
    pk.pack_double(cpu_percent);
    pk.pack(std::string("current_memory_usage"));
    pk.pack(memory_bytes);
  });
}

std::string encode_spawning(const std::string& node_id) { return frame_without_data("spawning", node_id); }

std::string encode_spawning_complete(const std::string& node_id, const std::map<std::string, int>& counts) {
  return frame("spawning_complete", node_id, [&](Packer& pk) {
    pk.pack_map(2);
    pk.pack(std::string("user_classes_count"));
    pack_counts(pk, counts);
    pk.pack(std::string("user_count"));
    pk.pack(sum_of(counts));
  });
}

std::string encode_stats(const std::string& node_id, const StatsReport& report) {
  return frame("stats", node_id, [&](Packer& pk) {
    pk.pack_map(5);
    pk.pack(std::string("stats"));
    std::uint32_t active = 0;
    for (const StatsEntry& e : report.stats) active += e.empty() ? 0 : 1;
    pk.pack_array(active);
    for (const StatsEntry& e : report.stats)
      if (!e.empty()) pack_entry(pk, e);
    pk.pack(std::string("stats_total"));
    pack_entry(pk, report.total);
    pk.pack(std::string("errors"));
    pk.pack_map(static_cast<std::uint32_t>(report.errors.size()));
    for (const auto& [key, row] : report.errors) {
      pk.pack(key);
      pk.pack_map(4);
      pk.pack(std::string("name"));
      pk.pack(row.name);
      pk.pack(std::string("method"));
      pk.pack(row.method);
      pk.pack(std::string("error"));
      pk.pack(row.error);
      pk.pack(std::string("occurrences"));
      pk.pack(row.occurrences);
    }
    pk.pack(std::string("user_classes_count"));
    pack_counts(pk, report.user_classes_count);
    pk.pack(std::string("user_count"));
    pk.pack(report.user_count);
  });
}

std::string encode_client_stopped(const std::string& node_id) { return frame_without_data("client_stopped", node_id); }

std::string encode_quit(const std::string& node_id) { return frame_without_data("quit", node_id); }

std::string encode_exception(const std::string& node_id, const std::string& msg, const std::string& traceback) {
  return frame("exception", node_id, [&](Packer& pk) {
    pk.pack_map(2);
    pk.pack(std::string("msg"));
    pk.pack(msg);
    pk.pack(std::string("traceback"));
    pk.pack(traceback);
  });
}

MasterMessage decode_master_message(const void* bytes, std::size_t size) {
  msgpack::object_handle handle;
  try {
    handle = msgpack::unpack(static_cast<const char*>(bytes), size);
  } catch (const std::exception& e) {
    throw ProtocolError(std::string("Locust message: not msgpack: ") + e.what());
  }
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::ARRAY || root.via.array.size != 3)
    throw ProtocolError("Locust message: not a (type, data, node_id) array");
  const msgpack::object& type_obj = root.via.array.ptr[0];
  const msgpack::object& data = root.via.array.ptr[1];
  const msgpack::object& node = root.via.array.ptr[2];
  if (type_obj.type != msgpack::type::STR) throw ProtocolError("Locust message: the type is not a string");
  MasterMessage m;
  m.type_name = std::string(type_obj.via.str.ptr, type_obj.via.str.size);
  if (node.type == msgpack::type::STR) m.node_id = std::string(node.via.str.ptr, node.via.str.size);
  static const std::map<std::string, MasterMessage::Type> kTypes{
      {"ack", MasterMessage::Type::kAck},   {"spawn", MasterMessage::Type::kSpawn},
      {"stop", MasterMessage::Type::kStop}, {"quit", MasterMessage::Type::kQuit},
      {"heartbeat", MasterMessage::Type::kHeartbeat}, {"reconnect", MasterMessage::Type::kReconnect}};
  const auto known = kTypes.find(m.type_name);
  m.type = known == kTypes.end() ? MasterMessage::Type::kOther : known->second;
  if (m.type == MasterMessage::Type::kAck) {
    if (const msgpack::object* index = find(data, "index"); index != nullptr)
      m.ack_index = static_cast<int>(number(*index, m.type_name, "index"));
  } else if (m.type == MasterMessage::Type::kSpawn) {
    m.spawn = decode_spawn(data);
  }
  return m;
}

}  // namespace stampede::locust
