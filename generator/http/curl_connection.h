// CurlConnection: a virtual user's requests on its own libcurl easy handle, run by the
// worker's CurlTransport (curl multi driven by Asio). Handles https:// and connections
// shared among the users of a transport lane; see generator/http_connection.h. https://
// follows the run's TlsOptions as the native transport does: --insecure turns off the peer
// and host checks, --ca-file is trusted besides the system store (CURLOPT_CAINFO; Debian's
// libcurl keeps its CA path /etc/ssl/certs). A certificate that fails verification fails
// "certificate verify failed for <host>: <reason>" (kind kConnect), as on the native one.
//
// Latency-relevant work per request: the URL is a parsed CURLU handle (scheme, host and
// port parsed once; only path and query are replaced per request), the header list is
// rebuilt only when the rendered headers change.
#pragma once

#include <string>
#include <vector>

#include <curl/curl.h>

#include "generator/http/curl_transport.h"
#include "generator/http/http_connection.h"
#include "generator/http/response_body.h"
#include "generator/http/transport_error.h"

namespace stampede::http {

class CurlConnection final : public HttpConnection, private TransferOwner {
 public:
  CurlConnection(TransportContext& ctx, ExchangeOwner& owner);
  ~CurlConnection() override;
  CurlConnection(const CurlConnection&) = delete;
  CurlConnection& operator=(const CurlConnection&) = delete;

  void send(const scenarios::RenderedRequest& request, std::chrono::milliseconds timeout,
            BodyUse body) override;
  void abort() override;

 private:
  void on_transfer_done(CURLcode result) override;
  void set_headers(const scenarios::RenderedRequest& request);
  void set_target(std::string_view target);
  std::string_view describe_tls_failure(CURLcode result);
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);
  void note_timings(Exchange& exchange) const;

  TransportContext& ctx_;
  ExchangeOwner& owner_;
  CURL* easy_;
  bool in_flight_ = false;
  // Null if the base URL did not parse as a CURLU; then url_ goes in CURLOPT_URL instead.
  CURLU* target_ = nullptr;
  std::string url_;
  std::string path_;
  std::string query_;
  std::vector<std::string> header_lines_;  // what headers_ was built from
  curl_slist* headers_ = nullptr;
  ResponseBody body_;
  bool length_seen_ = false;  // on_body has asked for the announced Content-Length
  std::vector<ShardTiming> shard_timings_;
  std::vector<std::pair<std::string, std::string>> header_fields_;  // of the final response
  ServerTimingNotes timing_notes_;  // Server-Timing cache and server of the response
  char error_buffer_[CURL_ERROR_SIZE] = {};  // libcurl's detail of the last failure
  std::string tls_failure_;  // the text of the last TLS failure, naming host and reason
};

// A libcurl failure by kind, with a short, stable text for the failures table, e.g.
// "connection refused", "request timeout", "connection reset" (the same texts as the
// native transport's where they mean the same).
TransportError describe_transfer_error(CURLcode code, long os_errno);

}  // namespace stampede::http
