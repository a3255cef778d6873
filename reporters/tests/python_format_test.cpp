#include "reporters/python_format.h"

#include <gtest/gtest.h>

#include <utility>

namespace stampede::reporters {
namespace {

// Expected strings are what CPython 3.11's repr() prints for the same doubles.
TEST(PyFloatRepr, MatchesCPythonRepr) {
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {2000.0, "2000.0"},
      {1.05, "1.05"},
      {1.1517320000393738, "1.1517320000393738"},
      {634.4451901565996, "634.4451901565996"},
      {1.0 / 3.0, "0.3333333333333333"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1.5e-7, "1.5e-07"},
      {1e15, "1000000000000000.0"},
      {1e16, "1e+16"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {-2.5, "-2.5"},
      {61000.0, "61000.0"},
  };
  for (const auto& [value, repr] : cases) EXPECT_EQ(py_float_repr(value), repr);
}

TEST(Fixed, IsPrintfF) {
  EXPECT_EQ(fixed(18.0, 6), "18.000000");
  EXPECT_EQ(fixed(40.666666666, 6), "40.666667");
  EXPECT_EQ(fixed(0.0, 6), "0.000000");
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  const std::pair<const char*, const char*> cases[] = {
      {"home page", "home page"},
      {"", ""},
      {"/big, \"quoted\"", "\"/big, \"\"quoted\"\"\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\r", "\"cr\r\""},
  };
  for (const auto& [field, csv] : cases) EXPECT_EQ(csv_field(field), csv);
}

TEST(CsvRow, JoinsWithCommaAndEndsWithCrLf) {
  EXPECT_EQ(csv_row({"a", "b,c", "", "1"}), "a,\"b,c\",,1\r\n");
  EXPECT_EQ(csv_row({"Count", "Message", "Traceback", "Nodes"}), "Count,Message,Traceback,Nodes\r\n");
}

}  // namespace
}  // namespace stampede::reporters
