// JUnit XML: golden file, counts, escaping.
#include "gate/junit.h"

#include <sstream>

#include <gtest/gtest.h>

#include "gate/tests/sample_report.h"

namespace stampede::gate {
namespace {

TEST(Junit, MatchesGoldenFile) {
  std::ostringstream out;
  write_junit(out, {testing::sample_report()});
  testing::expect_golden("thresholds.junit.xml", out.str());
}

TEST(Junit, CountsTestsAndFailures) {
  GateReport report = testing::sample_report();
  ASSERT_EQ(report.rows.size(), 4u);
  EXPECT_EQ(report.failures(), 3u);  // p99 fails, error_rate fails (3%), the odd name has no data
  std::ostringstream out;
  write_junit(out, {report, report});
  const std::string xml = out.str();
  EXPECT_NE(xml.find("<testsuites name=\"stampede\" tests=\"8\" failures=\"6\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("tests=\"4\" failures=\"3\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("type=\"no-data\""), std::string::npos);
  // The failed threshold is named with its measured value and limit in the message.
  EXPECT_NE(xml.find("message=\"error_rate = 3.00%, limit &lt; 1% (all requests)\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("timestamp=\"2026-11-18T"), std::string::npos) << xml;
}

TEST(Junit, EscapesEverythingXmlCares) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(xml_escape("x\ny\x01z"), "x&#10;y\xEF\xBF\xBDz");
  EXPECT_EQ(xml_escape("grüße"), "grüße");
  std::ostringstream out;
  write_junit(out, {testing::sample_report()});
  EXPECT_EQ(out.str().find("<main>"), std::string::npos);
  EXPECT_NE(out.str().find("nightly &lt;main&gt;"), std::string::npos);
}

}  // namespace
}  // namespace stampede::gate
