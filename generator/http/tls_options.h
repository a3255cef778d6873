// How an https:// run checks the target's certificate: the choice made once, from the
// command line (--insecure, --ca-file), for both transports. No OpenSSL here: the engine's
// RunConfig carries it; generator/http/tls_client.h turns it into an OpenSSL context.
#pragma once

#include <string>

namespace stampede::http {

struct TlsOptions {
  // false (--insecure): any certificate, any host name is accepted.
  bool verify = true;
  // A PEM file of CA certificates trusted besides the system store (--ca-file); empty: none.
  std::string ca_file;
};

}  // namespace stampede::http
