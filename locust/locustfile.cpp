#include "locust/locustfile.h"

#include <array>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

namespace stampede::locust {
namespace {

using scenarios::WaitTime;

// A Python string literal: JSON's escapes (\" \\ \n \uXXXX) are Python's too.
std::string py_string(const std::string& text) { return nlohmann::json(text).dump(); }

// Numbers as Python reads them back exactly: integers without a point, others round-trip.
std::string py_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  return nlohmann::json(v).dump();
}

std::string py_wait_time(const WaitTime& w) {
  switch (w.kind) {
    case WaitTime::Kind::kBetween:
      return "between(" + py_number(w.a_s) + ", " + py_number(w.b_s) + ")";
    case WaitTime::Kind::kConstant:
      return "constant(" + py_number(w.a_s) + ")";
    case WaitTime::Kind::kConstantPacing:
      return "constant_pacing(" + py_number(w.a_s) + ")";
    case WaitTime::Kind::kConstantThroughput:
      return "constant_throughput(" + py_number(w.a_s) + ")";
    case WaitTime::Kind::kNone:
      break;
  }
  return "constant(0)";
}

void write_shape(std::ostream& out, const scenarios::Scenario& scenario) {
  if (scenario.arrival_shape()) {
    out << "\n# The scenario's load_shape is an arrival rate (the open model): Locust has no such shape.\n"
           "# Run the master with -u/-r; each stampede worker runs its share of the rate\n"
           "# (docs/distributed.md).\n";
    return;
  }
  if (!scenario.load_shape()) return;
  out << "\n\nclass StampedeShape(LoadTestShape):\n"
         "    \"\"\"The scenario's load_shape: (until_s, users, spawn_rate) stages; after the last, stop.\"\"\"\n\n"
         "    stages = [\n";
  for (const scenarios::LoadStage& s : scenario.load_shape()->stages)
    out << "        (" << py_number(s.until_s) << ", " << s.users << ", " << py_number(s.spawn_rate) << "),\n";
  out << "    ]\n\n"
         "    def tick(self):\n"
         "        run_time = self.get_run_time()\n"
         "        for until_s, users, spawn_rate in self.stages:\n"
         "            if run_time < until_s:\n"
         "                return (users, spawn_rate)\n"
         "        return None\n";
}

}  // namespace

bool is_python_identifier(const std::string& name) {
  static constexpr std::array<const char*, 35> kKeywords{
      "False", "None",   "True",    "and",      "as",   "assert", "async",  "await", "break",
      "class", "continue", "def",   "del",      "elif", "else",   "except", "finally", "for",
      "from",  "global", "if",      "import",   "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",   "raise",   "return",   "try",  "while",  "with",   "yield"};
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;  // non-ASCII identifiers exist in Python 3, but the globals() form is safe
  }
  for (const char* k : kKeywords)
    if (name == k) return false;
  return true;
}

std::string make_locustfile(const scenarios::Scenario& scenario, const std::string& scenario_file,
                            const std::string& version) {
  std::ostringstream out;
  out << "\"\"\"Locust master for the stampede scenario " << py_string(scenario.name()) << ".\n\n"
      << "Written by `stampede locustfile` (stampede " << version << ") from " << py_string(scenario_file) << ".\n"
      << "The master dispatches users of these classes (same names, weights, fixed counts and\n"
         "wait times as the scenario) to its workers; `stampede worker -f <scenario>` runs them.\n"
         "The tasks never run on the master; a Python worker given this file stops each user at once.\n"
         "\"\"\"\n\n"
         "from locust import LoadTestShape, User, between, constant, constant_pacing, constant_throughput\n"
         "from locust.exception import StopUser\n\n\n"
         "def stampede_task(user):\n"
         "    \"\"\"The requests are the stampede workers': a Python user stops here.\"\"\"\n"
         "    raise StopUser()\n";
  for (const scenarios::UserClass& c : scenario.user_classes()) {
    const std::string weight = py_number(c.weight);
    const std::string fixed = std::to_string(c.fixed_count.value_or(0));
    const std::string wait = py_wait_time(c.wait);
    if (is_python_identifier(c.name)) {
      out << "\n\nclass " << c.name << "(User):\n"
          << "    weight = " << weight << "\n"
          << "    fixed_count = " << fixed << "\n"
          << "    wait_time = " << wait << "\n"
          << "    tasks = [stampede_task]\n";
    } else {
      // Not a Python name: the class is made by type() and bound in globals() under the
      // scenario's exact name, which is what Locust lists and dispatches by.
      out << "\n\nglobals()[" << py_string(c.name) << "] = type(\n"
          << "    " << py_string(c.name) << ",\n"
          << "    (User,),\n"
          << "    {\"__module__\": __name__, \"weight\": " << weight << ", \"fixed_count\": " << fixed
          << ",\n     \"wait_time\": " << wait << ", \"tasks\": [stampede_task]},\n"
          << ")\n";
    }
  }
  write_shape(out, scenario);
  return out.str();
}

}  // namespace stampede::locust
