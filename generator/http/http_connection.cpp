#include "generator/http/http_connection.h"

#include "generator/http/curl_connection.h"
#include "generator/http/native_connection.h"
#include "generator/http/transport_context.h"

namespace stampede::http {

std::unique_ptr<HttpConnection> make_connection(TransportContext& ctx, ExchangeOwner& owner) {
  if (ctx.defaults.transport == TransportKind::kNative)
    return std::make_unique<NativeConnection>(ctx, owner);
  return std::make_unique<CurlConnection>(ctx, owner);
}

}  // namespace stampede::http
