// Requests with exactly the headers a test chooses (Host, Origin, Content-Type,
// Authorization), over the tests' HttpClient; and the admin token the tests' servers use.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "reference-server/tests/http_client.h"

namespace stampede::server::testing {

inline constexpr const char* kTestAdminToken = "server-tests-admin-token-0123";

using Headers = std::vector<std::pair<std::string, std::string>>;

// What a legitimate admin client sends: a loopback Host, JSON, the test token.
inline Headers admin_headers(const std::string& token = kTestAdminToken) {
  return {{"Host", "127.0.0.1"}, {"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
}

// `method target` with `headers` only (plus Content-Length when there is a body or it is a POST).
inline ClientResponse request_with(HttpClient& client, const std::string& method, const std::string& target,
                                   const Headers& headers, const std::string& body = "") {
  std::string req = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  client.send_raw(req);
  return client.read_response();
}

// An admin request as the lab makes it.
inline ClientResponse admin_request(HttpClient& client, const std::string& method, const std::string& target) {
  return request_with(client, method, target, admin_headers());
}

}  // namespace stampede::server::testing
