#include "generator/http_connection.h"

#include "generator/curl_connection.h"
#include "generator/native_connection.h"
#include "generator/worker_context.h"

namespace stampede::generator {

std::unique_ptr<HttpConnection> make_connection(WorkerContext& ctx, ExchangeOwner& owner) {
  if (ctx.defaults.transport == TransportKind::kNative)
    return std::make_unique<NativeConnection>(ctx, owner);
  return std::make_unique<CurlConnection>(ctx, owner);
}

}  // namespace stampede::generator
