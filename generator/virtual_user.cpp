#include "generator/virtual_user.h"

#include <cerrno>
#include <stdexcept>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stampede::generator {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct VirtualUser::Timer {
  explicit Timer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

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

std::uint64_t micros_since(Clock::time_point start) {
  auto d = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return d.count() < 0 ? 0 : static_cast<std::uint64_t>(d.count());
}

}  // namespace

std::string describe_transfer_error(CURLcode code, long os_errno) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) return "connection refused";
      if (os_errno == ETIMEDOUT) return "connect timeout";
      if (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH) return "host unreachable";
      return "could not connect";
    case CURLE_OPERATION_TIMEDOUT:
      return "request timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "could not resolve host";
    case CURLE_GOT_NOTHING:
      return "empty reply from server";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      if (os_errno == ECONNRESET) return "connection reset";
      if (os_errno == EPIPE) return "connection closed by server";
      return code == CURLE_SEND_ERROR ? "send error" : "receive error";
    case CURLE_PARTIAL_FILE:
      return "response body truncated";
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "invalid HTTP response";
    default:
      return curl_easy_strerror(code);
  }
}

VirtualUser::VirtualUser(WorkerContext& ctx, const scenarios::UserClass& user_class,
                         std::uint64_t seed)
    : ctx_(ctx),
      session_(user_class, scenarios::Rng(seed)),
      easy_(curl_easy_init()),
      timer_(std::make_unique<Timer>(ctx.io)) {
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  ctx_.transport.adopt(easy_, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(ctx_.defaults.connect_timeout.count()));
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &VirtualUser::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &VirtualUser::on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  // Talk to the target directly: no proxy from the environment (it would also cost a
  // getenv() per transfer).
  curl_easy_setopt(easy_, CURLOPT_PROXY, "");
  // ... and no no_proxy/NO_PROXY lookup either: curl reads them on every transfer unless
  // a no-proxy list is set ("*": every host).
  curl_easy_setopt(easy_, CURLOPT_NOPROXY, "*");
  // Smaller receive buffer than curl's 16 KiB default: thousands of users each own one.
  curl_easy_setopt(easy_, CURLOPT_BUFFERSIZE, 8192L);
  request_.headers.reserve(4);

  target_ = curl_url();
  const std::string root = ctx_.defaults.base_url + "/";
  if (target_ != nullptr && curl_url_set(target_, CURLUPART_URL, root.c_str(), 0) == CURLUE_OK) {
    curl_easy_setopt(easy_, CURLOPT_CURLU, target_);
  } else {
    curl_url_cleanup(target_);
    target_ = nullptr;
  }
}

VirtualUser::~VirtualUser() {
  if (state_ == State::kInFlight) ctx_.transport.abort(easy_);
  ctx_.transport.release(easy_);
  curl_easy_cleanup(easy_);
  curl_url_cleanup(target_);
  curl_slist_free_all(headers_);
}

void VirtualUser::start() {
  ++ctx_.running_users;
  begin_request();
}

void VirtualUser::stop() {
  stopping_ = true;
  if (state_ == State::kWaiting) {
    timer_->timer.cancel();
    finish();
  } else if (state_ == State::kIdle) {
    finish();
  }
}

void VirtualUser::abandon() {
  stopping_ = true;
  if (state_ == State::kInFlight) {
    ctx_.transport.abort(easy_);
    // A request sent and never answered is a failure, like a timeout: its latency is a
    // lower bound (the time it had been waiting). Dropping it would let a target that
    // accepts connections and never replies look like a clean run.
    const std::uint32_t endpoint = request_.endpoint_id;
    ctx_.recorder.record(endpoint, micros_since(sent_at_), response_body_.size(), true);
    ctx_.recorder.record_failure(endpoint, kAbandonedError);
    finish();
  } else {
    stop();
  }
}

void VirtualUser::finish() {
  if (state_ == State::kDone) return;
  state_ = State::kDone;
  --ctx_.running_users;
}

void VirtualUser::set_headers() {
  if (request_.headers == header_lines_ && (headers_ != nullptr || header_lines_.empty())) return;
  curl_slist_free_all(headers_);
  headers_ = nullptr;
  for (const std::string& line : request_.headers) headers_ = curl_slist_append(headers_, line.c_str());
  // No "Expect: 100-continue" round trip for larger bodies.
  headers_ = curl_slist_append(headers_, "Expect:");
  header_lines_ = request_.headers;
}

void VirtualUser::set_target() {
  const std::string_view target = request_.target;
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

void VirtualUser::begin_request() {
  if (stopping_) {
    finish();
    return;
  }
  ref_ = session_.next();
  if (!task_open_) {
    task_started_ = Clock::now();
    task_open_ = true;
  }
  session_.render(ref_, request_);

  set_target();
  const std::string_view method = request_.method;
  if (method == "GET") {
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, nullptr);
  } else if (method == "POST") {
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.body.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data());
  } else {
    if (request_.body.empty()) {
      curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.body.size()));
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data());
    }
    // Method names come from the scenario and live as long as it does.
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, method.data());
    curl_easy_setopt(easy_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
  }
  set_headers();
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
  auto timeout = request_.timeout.count() > 0 ? request_.timeout : ctx_.defaults.request_timeout;
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));

  response_body_.clear();
  shard_timings_.clear();
  state_ = State::kInFlight;
  sent_at_ = Clock::now();
  ctx_.transport.start(easy_);
}

void VirtualUser::on_transfer_done(CURLcode result) {
  const std::uint64_t latency_us = micros_since(sent_at_);
  const std::uint32_t endpoint = request_.endpoint_id;
  state_ = State::kIdle;

  if (result != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(easy_, CURLINFO_OS_ERRNO, &os_errno);
    ctx_.recorder.record(endpoint, latency_us, response_body_.size(), true);
    ctx_.recorder.record_failure(endpoint, describe_transfer_error(result, os_errno));
  } else {
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    std::optional<std::string> failure = session_.check(ref_, status, response_body_);
    ctx_.recorder.record(endpoint, latency_us, response_body_.size(), failure.has_value());
    if (failure) ctx_.recorder.record_failure(endpoint, *failure);
    ctx_.recorder.record_shards(endpoint, shard_timings_, latency_us);
  }

  if (stopping_) {
    finish();
    return;
  }
  if (!session_.task_finished()) {
    begin_request();
    return;
  }
  task_open_ = false;
  const auto wait = session_.wait_after(Clock::now() - task_started_);
  if (wait.count() <= 0) {
    begin_request();
    return;
  }
  state_ = State::kWaiting;
  timer_->timer.expires_after(wait);
  timer_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || state_ != State::kWaiting) return;
    state_ = State::kIdle;
    begin_request();
  });
}

std::size_t VirtualUser::on_body(char* data, std::size_t size, std::size_t n, void* self) {
  static_cast<VirtualUser*>(self)->response_body_.append(data, size * n);
  return size * n;
}

std::size_t VirtualUser::on_header(char* data, std::size_t size, std::size_t n, void* self) {
  std::string_view line(data, size * n);
  if (starts_with_nocase(line, kServerTiming)) {
    line.remove_prefix(kServerTiming.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    parse_shard_timings(line, static_cast<VirtualUser*>(self)->shard_timings_);
  }
  return size * n;
}

}  // namespace stampede::generator
