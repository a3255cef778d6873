// Responses: the bytes as what a server sends back on one keep-alive connection of the
// engine's native client, read under the client's own parser limits and turned into an
// Exchange (generator/http/native_response.h), then taken through what a virtual user does
// with it (generator/engine/virtual_user.cpp): the scenario's checks and captures, the
// statistics recorder (latency, failures, Server-Timing shards), and rendering the next
// request from what was captured.
//
// Input: the first byte's bit 0 says whether the request was a HEAD, bit 1 whether the run
// had small body limits (--max-body 4KiB, --max-body-memory 6KiB: a worker's allowance) or
// none given (the parser's defaults); the rest is the server's bytes, possibly several
// responses in a row (the connection is kept alive while responses say so). The end of the input is the server closing the connection. Parse
// errors end the connection, as they do in the client; a crash, a sanitizer report or an
// exception is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "generator/engine/stats_recorder.h"
#include "generator/http/body_limits.h"
#include "generator/http/native_response.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace {

using namespace stampede;
namespace beast_http = boost::beast::http;

// Checks of every kind, captures of every type, and a second step that sends them back.
constexpr std::string_view kScenario = R"json({
  "stampede_scenario": 1,
  "name": "response-fuzz",
  "user_classes": [{
    "name": "U",
    "on_start": {"user_id": "uniform(1, 1000)"},
    "tasks": [{"sequence": [
      {"name": "grab", "method": "POST", "path": "/api/coupon/grab",
       "json": {"user_id": "${user_id}", "coupon_id": 3},
       "check": {"status": [200, 201, 204, 404],
                 "json": [{"path": "grab_status", "in": [0, 1, "x", null]},
                          {"path": "data.items[0].id", "exists": true},
                          {"path": "ok", "equals": {"a": [1, 2.5]}},
                          {"path": "error", "exists": false}]},
       "capture": {"coupon": "coupon_id", "items": "data.items", "first": "data.items[0].id"}},
      {"name": "stock", "path": "/api/coupon/${coupon}/stock",
       "query": {"items": "${items}", "first": "${first}"},
       "json": {"coupon": "${coupon}", "sum": "${first + 1}", "text": "c-${coupon}"}}
    ]}]
  }]
})json";

const scenarios::Scenario& scenario() {
  static const scenarios::Scenario loaded = scenarios::Scenario::parse_text(kScenario, "response-fuzz.json");
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool head = (data[0] & 1) != 0;
  const bool small_limits = (data[0] & 2) != 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  const scenarios::Scenario& s = scenario();
  scenarios::UserSession session(s.user_classes().front(), scenarios::Rng(1));
  scenarios::RenderedRequest request;
  engine::StatsRecorder recorder(s.endpoints().size());
  std::vector<http::ShardTiming> shards;
  http::BodyLimits limits(4 * 1024, 6 * 1024);
  http::BodyAllowance allowance(limits);

  for (int exchanges = 0; exchanges < 8; ++exchanges) {
    const scenarios::RequestRef ref = session.next();
    session.render(ref, request);
    std::optional<http::NativeResponseParser> parser;
    parser.emplace();
    // What the user's connection does (virtual_user.cpp, native_connection.cpp).
    const http::BodyUse use = session.needs_body(ref) ? http::BodyUse::kKeep : http::BodyUse::kCount;
    http::prepare_response_parser(*parser, head, small_limits ? &allowance : nullptr, use);
    boost::system::error_code ec;
    while (!parser->is_done()) {
      const std::size_t used =
          rest.empty() ? 0 : parser->put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec && ec != beast_http::error::need_more) break;
      ec = {};
      if (used == 0) {  // every byte given: the server closed the connection
        parser->put_eof(ec);
        break;
      }
    }
    if (ec) {
      const http::ResponseBody& body = parser->get().body();
      std::string error = ec.message();  // the connection names the few it tells apart
      if (body.refusal() != http::ResponseBody::Refusal::kNone) {
        error = body.refusal_error().text;
      } else if (ec == beast_http::error::body_limit) {
        error = body.too_large_error().text;
      }
      recorder.record(request.endpoint_id, 1000, 0, true);
      recorder.record_failure(request.endpoint_id, error);
      break;
    }
    const http::Exchange exchange = http::exchange_of(parser->get(), shards);
    const std::optional<std::string> failure = session.check(ref, exchange.status, exchange.body);
    recorder.record(request.endpoint_id, 1000, exchange.body_bytes, failure.has_value());
    if (failure) recorder.record_failure(request.endpoint_id, *failure);
    recorder.record_shards(request.endpoint_id, *exchange.shards, 1000);
    (void)session.task_finished();
    const bool keep_alive = parser->get().keep_alive();
    parser->get().body().release();  // as the connection does once the owner is told
    if (!keep_alive || rest.empty()) break;
  }
  (void)recorder.take();
  return 0;
}
