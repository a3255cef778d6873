#include "gate/junit.h"

#include <cstdio>
#include <ctime>
#include <ostream>

namespace stampede::gate {
namespace {

std::string seconds3(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

// ISO 8601 UTC without zone suffix, as the JUnit schema's xs:dateTime usage expects.
std::string iso_timestamp(std::int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string suite_name(const GateReport& r) {
  std::string name = "stampede " + r.suite;
  if (!r.run_label.empty()) name += ": " + r.run_label;
  return name;
}

}  // namespace

void write_junit(std::ostream& out, const std::vector<GateReport>& reports) {
  std::size_t tests = 0, failures = 0;
  double time = 0;
  for (const GateReport& r : reports) {
    tests += r.rows.size();
    failures += r.failures();
    time = std::max(time, r.duration_s);
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"stampede\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\" time=\"" << seconds3(time) << "\">\n";
  for (const GateReport& r : reports) {
    out << "  <testsuite name=\"" << xml_escape(suite_name(r)) << "\" tests=\"" << r.rows.size()
        << "\" failures=\"" << r.failures() << "\" errors=\"0\" skipped=\"0\" time=\""
        << seconds3(r.duration_s) << "\"";
    if (r.started_unix_ms > 0) out << " timestamp=\"" << iso_timestamp(r.started_unix_ms) << "\"";
    out << ">\n";
    if (!r.run_dir.empty() || !r.scenario_name.empty()) {
      out << "    <properties>\n";
      if (!r.run_dir.empty())
        out << "      <property name=\"run_dir\" value=\"" << xml_escape(r.run_dir) << "\"/>\n";
      if (!r.scenario_name.empty())
        out << "      <property name=\"scenario\" value=\"" << xml_escape(r.scenario_name) << "\"/>\n";
      out << "    </properties>\n";
    }
    const std::string classname = "stampede." + r.suite;
    for (const CheckRow& row : r.rows) {
      std::string name = row.name;
      if (!row.scope.empty() && row.name.find('{') == std::string::npos && row.scope != "all requests")
        name += " [" + row.scope + "]";
      out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(name)
          << "\" time=\"0.000\"";
      if (row.passed()) {
        out << ">\n      <system-out>" << xml_escape(row.message) << "</system-out>\n    </testcase>\n";
        continue;
      }
      const char* type = row.verdict == Verdict::kNoData ? "no-data" : "threshold";
      if (r.suite != "thresholds" && row.verdict == Verdict::kFail) type = "regression";
      out << ">\n      <failure type=\"" << type << "\" message=\"" << xml_escape(row.message)
          << "\">" << xml_escape(row.name) << "\nmeasured: " << xml_escape(row.measured)
          << "\nlimit: " << xml_escape(row.limit) << "\nscope: " << xml_escape(row.scope) << "\n"
          << xml_escape(row.message) << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

void write_junit_file(const std::filesystem::path& path, const std::vector<GateReport>& reports) {
  write_report_file(path, reports, write_junit);
}

}  // namespace stampede::gate
