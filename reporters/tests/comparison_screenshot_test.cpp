// The comparison page in a real browser: Debian's headless Chromium renders it to a PNG and
// to a DOM dump, and we check that the charts are there and the run colours were painted.
// Skipped (with the reason) when Chromium is not installed; STAMPEDE_CHROMIUM overrides the
// binary. Runs as root too (--no-sandbox). Registered as its own ctest entry (RUN_SERIAL).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "reporters/comparison.h"
#include "reporters/comparison_html_style.h"
#include "reporters/tests/chromium.h"
#include "reporters/tests/lab_runs.h"
#include "reporters/tests/png_reader.h"

namespace stampede::reporters {
namespace {

namespace fs = std::filesystem;

using testing::chromium_binary;
using testing::count_of;
using testing::page_errors;
using testing::read_file_text;

std::string read_all(const fs::path& p) { return read_file_text(p); }

std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

class ComparisonScreenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = chromium_binary();
    if (chromium_.empty()) GTEST_SKIP() << "no Chromium (/usr/bin/chromium): install it with scripts/install-deps";
    dir_ = fs::path(STAMPEDE_BINARY_DIR) / "reporters" / "screenshot-test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "profile");
    page_ = dir_ / "comparison.html";
    std::ofstream(page_) << comparison_html(build_comparison(testing::make_lab_pair()));
  }

  // Runs Chromium headless on the page with extra flags; returns its exit status.
  int run_chromium(const std::string& flags, const fs::path& out, const fs::path& err) {
    return testing::run_headless_chromium(chromium_, dir_ / "profile", page_, flags, out, err);
  }

  void expect_no_page_errors(const fs::path& err) { EXPECT_EQ(page_errors(read_all(err)), ""); }

  std::string chromium_;
  fs::path dir_;
  fs::path page_;
};

std::uint32_t rgb_of(const std::string& hex) { return static_cast<std::uint32_t>(std::stoul(hex.substr(1), nullptr, 16)); }

TEST_F(ComparisonScreenshot, RunColoursArePaintedInTheCharts) {
  const fs::path png = dir_ / "comparison.png";
  const int status = run_chromium("--screenshot=" + shell_quoted(png.string()) + " --window-size=1280,2400", dir_ / "stdout.txt",
                                  dir_ / "stderr.txt");
  ASSERT_EQ(status, 0) << read_all(dir_ / "stderr.txt");
  ASSERT_TRUE(fs::exists(png)) << read_all(dir_ / "stderr.txt");
  std::string error;
  const auto img = testing::read_png(png.string(), error);
  ASSERT_TRUE(img.has_value()) << error;
  EXPECT_EQ(img->width, 1280);
  EXPECT_EQ(img->height, 2400);
  std::map<std::uint32_t, std::size_t> counts;
  for (std::uint32_t px : img->rgb) ++counts[px];
  // In the first 2400 px: the legend, the p95 chart (8 bars) and the shards-per-request
  // chart (8 bars); each bar is 16 px high and tens to hundreds of px long.
  for (std::size_t run = 0; run < 2; ++run) {
    const std::size_t n = counts[rgb_of(run_colour(run))];
    std::cout << "run " << run << " colour " << run_colour(run) << ": " << n << " px\n";
    EXPECT_GE(n, 5000u) << "run " << run << " colour " << run_colour(run) << " painted on only " << n << " pixels";
  }
  // A page, not a blank or an error screen: mostly white, with dark text.
  EXPECT_GT(counts[0xffffff], img->rgb.size() / 2);
  std::size_t dark = 0;
  for (const auto& [px, n] : counts)
    if (((px >> 16) & 0xff) < 80 && ((px >> 8) & 0xff) < 80 && (px & 0xff) < 80) dark += n;
  EXPECT_GT(dark, 2000u);
  expect_no_page_errors(dir_ / "stderr.txt");
}

TEST_F(ComparisonScreenshot, DomHasTheSvgCharts) {
  const int status = run_chromium("--dump-dom", dir_ / "dom.html", dir_ / "stderr.txt");
  ASSERT_EQ(status, 0) << read_all(dir_ / "stderr.txt");
  const std::string dom = read_all(dir_ / "dom.html");
  const std::size_t open = count_of(dom, "<svg"), close = count_of(dom, "</svg>");
  EXPECT_EQ(open, 8u);
  EXPECT_EQ(close, open);
  for (const char* title : {"p95 latency per endpoint", "Hot shard: the largest shard", "Share of writes per shard", "coupon_results rows per shard",
                            "Balance score (100 = even)", "Rows that would move"})
    EXPECT_NE(dom.find(title), std::string::npos) << title;
  expect_no_page_errors(dir_ / "stderr.txt");
}

}  // namespace
}  // namespace stampede::reporters
