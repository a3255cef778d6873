#include "generator/engine/open_model_run.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <sstream>

#include "units/duration.h"

namespace stampede::engine {

std::vector<ArrivalPlan> arrival_plans(const RunConfig& config, std::size_t workers,
                                       std::chrono::steady_clock::time_point start) {
  const int taking = std::max(1, std::min(static_cast<int>(workers), config.max_users));
  // One curve, read by every worker.
  const std::shared_ptr<const RateCurve> curve =
      config.arrival_shape ? std::make_shared<const RateCurve>(*config.arrival_shape) : nullptr;
  std::vector<ArrivalPlan> plans;
  for (int w = 0; w < taking; ++w) {
    ArrivalPlan plan;
    plan.rate = config.arrival_rate;
    plan.curve = curve;
    plan.workers = taking;
    plan.index = w;
    plan.poisson = config.arrivals == RunConfig::Arrivals::kPoisson;
    plan.seed = config.seed;
    plan.max_users = config.max_users / taking + (w < config.max_users % taking ? 1 : 0);
    plan.start = start;
    plan.until = config.run_time;
    plans.push_back(plan);
  }
  return plans;
}

results::OpenModelInfo open_model_info(const RunConfig& config, const std::vector<scenarios::UserClass>& classes,
                                       const OpenModelInterval& totals) {
  results::OpenModelInfo o;
  o.arrival_rate = config.arrival_rate;  // with a shape: its highest rate (run_command sets it so)
  o.shape = config.arrival_shape.has_value();
  o.arrivals = config.arrivals == RunConfig::Arrivals::kPoisson ? results::Arrivals::kPoisson : results::Arrivals::kEven;
  o.max_users = config.max_users;
  o.iterations_started = totals.arrivals - std::min(totals.arrivals, totals.dropped);
  o.dropped = totals.dropped;
  for (std::size_t c = 0; c < totals.dropped_by_class.size() && c < classes.size(); ++c)
    if (totals.dropped_by_class[c] > 0) o.dropped_by_class[classes[c].name] += totals.dropped_by_class[c];
  o.late_arrivals = totals.late_arrivals;
  o.max_schedule_lag_ms = static_cast<double>(totals.lag_max_us) / 1000.0;
  o.total_schedule_lag_ms = static_cast<double>(totals.lag_total_us) / 1000.0;
  return o;
}

std::string describe_open_load(const RunConfig& config) {
  std::ostringstream s;
  if (const auto& shape = config.arrival_shape)
    s << "arrival-rate load shape from the scenario (" << shape->stages.size() << " stage"
      << (shape->stages.size() == 1 ? "" : "s") << " over "
      << units::format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::duration<double>(shape->end_s())))
      << "), up to ";
  s << config.arrival_rate << " iterations/s ("
    << (config.arrivals == RunConfig::Arrivals::kPoisson ? "poisson" : "even") << "), at most " << config.max_users
    << (config.max_users == 1 ? " user busy" : " users busy") << (config.run_time ? ", for " + units::format_duration(*config.run_time) : ", until Ctrl-C");
  return s.str();
}

void report_open_model(const RunConfig& config, const OpenModelInterval& o, std::ostream& err) {
  if (o.dropped > 0 && !config.quiet)
    err << "note: " << o.dropped << " of " << o.arrivals << " arrivals dropped: no free user under --max-users "
        << config.max_users << "\n";
  if (o.late_arrivals > 0)
    err << "warning: the generator fell behind its own arrival schedule: " << o.late_arrivals << " arrival"
        << (o.late_arrivals == 1 ? " was" : "s were") << " started more than " << kLateArrivalUs / 1000
        << " ms late (at most " << o.lag_max_us / 1000 << " ms); its CPU could not keep up with "
        << config.arrival_rate << "/s, so the rate and latencies are not those of the schedule\n";
}

}  // namespace stampede::engine
