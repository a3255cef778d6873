#include "generator/http/curl_connection.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string_view>

#include "generator/http/transport_context.h"

namespace stampede::http {
namespace {

constexpr std::string_view kServerTiming = "server-timing:";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

TransportError describe_transfer_error(CURLcode code, long os_errno) {
  using K = ErrorKind;
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) return {K::kConnect, "connection refused"};
      if (os_errno == ETIMEDOUT) return {K::kConnect, "connect timeout"};
      if (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH) return {K::kConnect, "host unreachable"};
      return {K::kConnect, "could not connect"};
    case CURLE_OPERATION_TIMEDOUT:
      return {K::kTimeout, "request timeout"};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {K::kConnect, "could not resolve host"};
    case CURLE_GOT_NOTHING:
      return {K::kConnection, "empty reply from server"};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      if (os_errno == ECONNRESET) return {K::kConnection, "connection reset"};
      if (os_errno == EPIPE) return {K::kConnection, "connection closed by server"};
      return {K::kConnection, code == CURLE_SEND_ERROR ? "send error" : "receive error"};
    case CURLE_PARTIAL_FILE:
      return {K::kProtocol, "response body truncated"};
    case CURLE_PEER_FAILED_VERIFICATION:
      return {K::kConnect, "certificate verify failed"};
    case CURLE_SSL_CONNECT_ERROR:
      return {K::kConnect, "TLS handshake failed"};
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {K::kProtocol, "invalid HTTP response"};
    default:
      return {K::kOther, curl_easy_strerror(code)};  // static strings
  }
}

CurlConnection::CurlConnection(TransportContext& ctx, ExchangeOwner& owner)
    : ctx_(ctx), owner_(owner), easy_(curl_easy_init()) {
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  ctx_.curl.adopt(easy_, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(ctx_.defaults.connect_timeout.count()));
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlConnection::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &CurlConnection::on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  // Talk to the target directly: no proxy from the environment (it would also cost a
  // getenv() per transfer).
  curl_easy_setopt(easy_, CURLOPT_PROXY, "");
  // ... and no no_proxy/NO_PROXY lookup either: curl reads them on every transfer unless
  // a no-proxy list is set ("*": every host).
  curl_easy_setopt(easy_, CURLOPT_NOPROXY, "*");
  // Smaller receive buffer than curl's 16 KiB default: thousands of users each own one.
  curl_easy_setopt(easy_, CURLOPT_BUFFERSIZE, 8192L);
  // Removing a transfer that is still resolving its host must not wait for the resolver
  // thread (libcurl joins it otherwise): a stop or a run's end never waits for DNS.
  curl_easy_setopt(easy_, CURLOPT_QUICK_EXIT, 1L);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
  if (!ctx_.defaults.tls.verify) {
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!ctx_.defaults.tls.ca_file.empty()) {
    curl_easy_setopt(easy_, CURLOPT_CAINFO, ctx_.defaults.tls.ca_file.c_str());
  }

  target_ = curl_url();
  const std::string root = ctx_.defaults.base_url + "/";
  if (target_ != nullptr && curl_url_set(target_, CURLUPART_URL, root.c_str(), 0) == CURLUE_OK) {
    curl_easy_setopt(easy_, CURLOPT_CURLU, target_);
  } else {
    curl_url_cleanup(target_);
    target_ = nullptr;
  }
}

CurlConnection::~CurlConnection() {
  if (in_flight_) ctx_.curl.abort(easy_);
  ctx_.curl.release(easy_);
  curl_easy_cleanup(easy_);
  curl_url_cleanup(target_);
  curl_slist_free_all(headers_);
}

void CurlConnection::set_headers(const scenarios::RenderedRequest& request) {
  if (request.headers == header_lines_ && (headers_ != nullptr || header_lines_.empty())) return;
  curl_slist_free_all(headers_);
  headers_ = nullptr;
  for (const std::string& line : request.headers) headers_ = curl_slist_append(headers_, line.c_str());
  // No "Expect: 100-continue" round trip for larger bodies.
  headers_ = curl_slist_append(headers_, "Expect:");
  header_lines_ = request.headers;
}

void CurlConnection::set_target(std::string_view target) {
  if (target_ == nullptr) {
    url_.assign(ctx_.defaults.base_url);
    url_.append(target);
    curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
    return;
  }
  // Curl reads path and query from the handle at each transfer (it copies the CURLU).
  const std::size_t question = target.find('?');
  path_.assign(target.substr(0, question));
  curl_url_set(target_, CURLUPART_PATH, path_.c_str(), 0);
  if (question == std::string_view::npos) {
    curl_url_set(target_, CURLUPART_QUERY, nullptr, 0);
  } else {
    query_.assign(target.substr(question + 1));
    curl_url_set(target_, CURLUPART_QUERY, query_.c_str(), 0);
  }
}

void CurlConnection::send(const scenarios::RenderedRequest& request,
                          std::chrono::milliseconds timeout, BodyUse body) {
  set_target(request.target);
  const std::string_view method = request.method;
  if (method == "GET") {
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, nullptr);
  } else if (method == "POST") {
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request.body.data());
  } else {
    if (request.body.empty()) {
      curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request.body.data());
    }
    // Method names come from the scenario and live as long as it does.
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, method.data());
    curl_easy_setopt(easy_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
  }
  set_headers(request);
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));

  body_.start(ctx_.bodies, body);
  length_seen_ = false;
  shard_timings_.clear();
  header_fields_.clear();
  timing_notes_ = {};
  in_flight_ = true;
  ctx_.curl.start(easy_);
}

void CurlConnection::abort() {
  if (!in_flight_) return;
  ctx_.curl.abort(easy_);
  in_flight_ = false;
  body_.release();
}

void CurlConnection::on_transfer_done(CURLcode result) {
  in_flight_ = false;
  Exchange exchange;
  exchange.shards = &shard_timings_;
  exchange.body = body_.kept();
  exchange.body_bytes = body_.received();
  exchange.headers = &header_fields_;
  exchange.server_timing = timing_notes_;
  note_timings(exchange);
  if (result != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(easy_, CURLINFO_OS_ERRNO, &os_errno);
    // on_body refused the body (CURLE_WRITE_ERROR): the same failures as the native
    // transport's.
    TransportError error = body_.refusal() != ResponseBody::Refusal::kNone
                               ? body_.refusal_error()
                               : describe_transfer_error(result, os_errno);
    if (result == CURLE_PEER_FAILED_VERIFICATION || result == CURLE_SSL_CONNECT_ERROR) error.text = describe_tls_failure(result);
    exchange.error = error.text;
    exchange.error_kind = error.kind;
  } else {
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &exchange.status);
  }
  owner_.on_exchange_done(exchange);
  // Unless the owner sent again from inside the call, the body's memory goes back now, not
  // at the next send: a user waiting between tasks holds none.
  if (!in_flight_) body_.release();
}

// libcurl's phase times (µs since the transfer's start) as the native client reports them:
// a connection opened for this transfer with its connect and TLS handshake times, and the
// time to first byte from the request's send (pretransfer) to the response's start.
// libcurl does not say whether a TLS session was resumed (tls_resumed stays false).
void CurlConnection::note_timings(Exchange& exchange) const {
  using std::chrono::microseconds;
  long connects = 0;
  curl_off_t lookup = 0, connect = 0, app_connect = 0, pretransfer = 0, start_transfer = 0;
  curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(easy_, CURLINFO_NAMELOOKUP_TIME_T, &lookup);
  curl_easy_getinfo(easy_, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo(easy_, CURLINFO_APPCONNECT_TIME_T, &app_connect);
  curl_easy_getinfo(easy_, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  curl_easy_getinfo(easy_, CURLINFO_STARTTRANSFER_TIME_T, &start_transfer);
  if (connects > 0 && connect > 0) {
    exchange.new_connection = true;
    exchange.connect_time = microseconds(std::max<curl_off_t>(0, connect - lookup));
    if (app_connect > 0) {
      exchange.tls_handshake = true;
      exchange.tls_time = microseconds(std::max<curl_off_t>(0, app_connect - connect));
    }
  }
  if (start_transfer > 0 && pretransfer > 0)
    exchange.ttfb = microseconds(std::max<curl_off_t>(0, start_transfer - pretransfer));
}

// libcurl's detail, e.g. "SSL certificate problem: unable to get local issuer certificate",
// with the host, in the native transport's words.
std::string_view CurlConnection::describe_tls_failure(CURLcode result) {
  std::string_view detail = error_buffer_;
  if (detail.empty()) detail = curl_easy_strerror(result);
  constexpr std::string_view kProblem = "SSL certificate problem: ";
  if (detail.starts_with(kProblem)) detail.remove_prefix(kProblem.size());
  char* host = nullptr;
  if (target_ != nullptr) curl_url_get(target_, CURLUPART_HOST, &host, 0);
  tls_failure_ = result == CURLE_PEER_FAILED_VERIFICATION ? "certificate verify failed for " : "TLS handshake failed with ";
  tls_failure_.append(host != nullptr ? host : ctx_.defaults.base_url.c_str());
  tls_failure_.append(": ");
  tls_failure_.append(detail);
  curl_free(host);
  return tls_failure_;
}

std::size_t CurlConnection::on_body(char* data, std::size_t size, std::size_t n, void* self) {
  auto* c = static_cast<CurlConnection*>(self);
  // The announced length is checked at the first piece of body (so a HEAD or 304 response,
  // which has none, is never refused for the length it names).
  if (!c->length_seen_) {
    c->length_seen_ = true;
    curl_off_t length = -1;
    if (curl_easy_getinfo(c->easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK && length >= 0 &&
        !c->body_.expect(static_cast<std::uint64_t>(length)))
      return 0;  // libcurl aborts the transfer (CURLE_WRITE_ERROR)
  }
  return c->body_.append(std::string_view(data, size * n)) ? size * n : 0;
}

std::size_t CurlConnection::on_header(char* data, std::size_t size, std::size_t n, void* self) {
  std::string_view line(data, size * n);
  auto* connection = static_cast<CurlConnection*>(self);
  // Header fields for cookies, redirects and header checks; a new status line (an interim
  // 1xx response) starts them over.
  if (line.starts_with("HTTP/")) {
    connection->header_fields_.clear();
  } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    connection->header_fields_.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  if (starts_with_nocase(line, kServerTiming)) {
    line.remove_prefix(kServerTiming.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    auto* c = static_cast<CurlConnection*>(self);
    parse_server_timing(line, c->shard_timings_, c->timing_notes_);
  }
  return size * n;
}

}  // namespace stampede::http
