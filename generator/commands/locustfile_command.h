// `stampede locustfile`: the Locust master's view of a scenario (locust/locustfile.h), for
// `locust -f FILE --master` with stampede workers (docs/distributed.md).
#pragma once

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace stampede::commands {

// `stampede locustfile SCENARIO [-o FILE]`: the locustfile on `out` (or written atomically
// to FILE); exit 0, or 2 with every scenario problem (file, JSON path) or the file that
// could not be written on `err`.
struct RawLocustfileOptions {
  std::string scenario;
  std::string output;
};
void add_locustfile_options(CLI::App& locustfile, RawLocustfileOptions& raw);
int run_locustfile(const RawLocustfileOptions& raw, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
