// scenarios_render_bench (opt-in, STAMPEDE_BUILD_BENCH): how long next() + render() take
// for each task of a scenario. A scratch measurement, not a test.
//   scenarios_render_bench [FILE] [ITERATIONS]
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

int main(int argc, char** argv) {
  using namespace stampede::scenarios;
  using Clock = std::chrono::steady_clock;
  const char* file = argc > 1 ? argv[1] : "scenarios/coupon.json";
  const long iterations = argc > 2 ? std::atol(argv[2]) : 2'000'000;
  const Scenario scenario = Scenario::load(file);
  std::size_t checksum = 0;
  for (const UserClass& cls : scenario.user_classes()) {
    UserSession session(cls, Rng(42));
    RenderedRequest out;
    for (int i = 0; i < 1000; ++i) session.render(session.next(), out);  // warm buffers
    const auto start = Clock::now();
    for (long i = 0; i < iterations; ++i) {
      session.render(session.next(), out);
      checksum += out.target.size() + out.body.size();
    }
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    // render() alone, of the class's first task (the grab request for the coupon classes).
    UserSession fixed(cls, Rng(42));
    RequestRef first = fixed.next();
    while (!fixed.task_finished()) fixed.next();
    const auto render_start = Clock::now();
    for (long i = 0; i < iterations; ++i) {
      fixed.render(first, out);
      checksum += out.body.size();
    }
    const double render_ns = std::chrono::duration<double, std::nano>(Clock::now() - render_start).count();
    std::cout << cls.name << ": next()+render() " << ns / static_cast<double>(iterations)
              << " ns/request; render() of '" << scenario.endpoints()[out.endpoint_id].name << "' "
              << render_ns / static_cast<double>(iterations) << " ns (" << iterations << " each)\n";
  }
  std::cout << "(checksum " << checksum << ")\n";
  return 0;
}
