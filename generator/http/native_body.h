// NativeBody: the Boost.Beast Body the native client parses responses into. Its value is a
// ResponseBody (generator/http/response_body.h), so a body is kept within the run's size and
// memory limits, or only counted, as it arrives — where Beast's string_body would reserve
// whatever Content-Length a server announces and grow without a shared budget.
//
// Before parsing, call value.start() (message.body().start(allowance, use)); a body the
// limits refuse stops the parser with beast::http::error::body_limit (too large) or
// boost::asio::error::no_memory (over the memory limit), and body().refusal_error() says
// which, with the failures-table text.
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/asio/error.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "generator/http/response_body.h"

namespace stampede::http {

struct NativeBody {
  using value_type = ResponseBody;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::system::error_code& ec) {
      ec = {};
      if (length && !body_.expect(*length)) fail(ec);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      ec = {};
      std::size_t taken = 0;
      for (const auto b : boost::beast::buffers_range_ref(buffers)) {
        if (!body_.append(std::string_view(static_cast<const char*>(b.data()), b.size()))) {
          fail(ec);
          return taken;
        }
        taken += b.size();
      }
      return taken;
    }

    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    void fail(boost::system::error_code& ec) const {
      if (body_.refusal() == ResponseBody::Refusal::kOverMemory) {
        ec = boost::asio::error::no_memory;
      } else {
        ec = boost::beast::http::error::body_limit;
      }
    }

    value_type& body_;
  };
};

}  // namespace stampede::http
