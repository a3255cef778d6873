// Scenario files: the bytes as the text of a scenario file, through what
// `stampede-scenario-check --render` does with it (Scenario::load reads the file and calls
// parse_text): validate, and for a valid scenario preview a few requests of every class,
// split users over the classes and follow the load shape. Every problem must come out as
// a ScenarioError; anything else (a crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace {

using namespace stampede::scenarios;

void preview(const Scenario& scenario) {
  std::uint64_t seed = 1;
  for (const UserClass& cls : scenario.user_classes()) {
    UserSession session(cls, Rng(seed++));
    RenderedRequest out;
    for (int i = 0; i < 4; ++i) {
      const RequestRef ref = session.next();
      session.render(ref, out);
      // The engine's answer to a request that got a small JSON body back.
      (void)session.check(ref, 200, R"({"grab_status":1,"coupon_id":7,"coupons":[{"coupon_id":3}]})");
      (void)session.task_finished();
      (void)session.wait_after(std::chrono::milliseconds(5));
    }
  }
  (void)distribute_users(scenario.user_classes(), 100);
  if (const auto& shape = scenario.load_shape()) {
    for (double t : {0.0, 1.0, 59.5, 3600.0}) (void)shape->at(t);
  }
  (void)scenario.filtered({}, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    preview(Scenario::parse_text(text, "fuzz.json"));
  } catch (const ScenarioError&) {
    // The validator's answer to bad input: expected.
  }
  return 0;
}
