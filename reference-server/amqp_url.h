// Where the queued write path finds RabbitMQ: `--amqp URL` (or STAMPEDE_AMQP, which
// `fixtures/stack up --rabbitmq` writes to stack.env as `127.0.0.1:PORT`).
//
// Accepted forms: `host:port` (the stack.env form; user and password guest), or
// `amqp://[user[:password]@]host[:port][/vhost]` (port 5672 and vhost `/` by default; an
// empty path is the vhost `/`, `%2f` is decoded). No TLS (amqps://) and no query string.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stampede::server {

struct AmqpUrl {
  std::string host = "127.0.0.1";
  int port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";

  std::string address() const;  // "host:port" (never the password)
};

// The default when neither --amqp nor STAMPEDE_AMQP says: the broker's own default port.
inline constexpr const char* kDefaultAmqpUrl = "amqp://guest:guest@127.0.0.1:5672/";

// nullopt with `problem` set ("expected host:port or amqp://user:pass@host:port/vhost").
std::optional<AmqpUrl> parse_amqp_url(std::string_view text, std::string& problem);

}  // namespace stampede::server
