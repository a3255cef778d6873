#include "reference-server/store.h"

namespace stampede::server {

std::string_view to_string(FailReason reason) {
  switch (reason) {
    case FailReason::none: return "none";
    case FailReason::out_of_stock: return "out_of_stock";
    case FailReason::duplicate: return "duplicate";
  }
  return "none";
}

}  // namespace stampede::server
