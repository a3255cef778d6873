// stampede-scenario-check: validates scenario files and previews what they send.
//   stampede-scenario-check FILE...            exit 0 when every file is valid, 1 when one
//                                              is not, 2 on a usage or internal error
//   stampede-scenario-check --render N FILE    also print N rendered requests per class
#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace {

void preview(const stampede::scenarios::Scenario& scenario, int count) {
  using namespace stampede::scenarios;
  std::uint64_t seed = 1;
  for (const UserClass& cls : scenario.user_classes()) {
    std::cout << "  class " << cls.name << ":\n";
    UserSession session(cls, Rng(seed++));
    RenderedRequest out;
    for (int i = 0; i < count; ++i) {
      // on_start requests first (with the user's data row), then its tasks; a task that
      // `when` skips sends nothing and is not shown.
      RequestRef ref = session.in_setup() ? session.next_setup() : RequestRef{};
      if (!ref) ref = session.next();
      if (!ref) continue;
      session.render(ref, out);
      std::cout << "    " << out.method << ' ' << out.target;
      if (!out.body.empty()) std::cout << "  " << out.body;
      std::cout << "   [" << scenario.endpoints()[out.endpoint_id].name << "]\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stampede::scenarios;
  int render_count = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--render" && i + 1 < argc) {
      render_count = std::atoi(argv[++i]);
    } else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: stampede-scenario-check [--render N] FILE...\n";
      return 0;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: stampede-scenario-check [--render N] FILE...\n";
    return 2;
  }
  int status = 0;
  for (const auto& file : files) {
    try {
      const Scenario scenario = Scenario::load(file);
      std::cout << file << ": OK — '" << scenario.name() << "', " << scenario.user_classes().size()
                << " user classes, " << scenario.endpoints().size() << " endpoints";
      if (scenario.load_shape()) std::cout << ", load shape with " << scenario.load_shape()->stages.size() << " stages";
      if (const auto& shape = scenario.arrival_shape())
        std::cout << ", arrival-rate shape with " << shape->stages.size() << " stages (" << shape->end_s()
                  << " s, at most " << shape->peak_rate() << "/s, " << std::ceil(shape->expected_arrivals())
                  << " arrivals)";
      std::cout << '\n';
      if (render_count > 0) preview(scenario, render_count);
    } catch (const ScenarioError& e) {
      for (const auto& p : e.problems()) std::cerr << p.to_string() << '\n';
      std::cerr << file << ": " << e.problems().size() << " problem(s)\n";
      status = std::max(status, 1);
    } catch (const std::exception& e) {
      // Input errors are all ScenarioErrors; this is a bug (or memory running out).
      std::cerr << file << ": internal error: " << e.what() << '\n';
      status = 2;
    }
  }
  return status;
}
