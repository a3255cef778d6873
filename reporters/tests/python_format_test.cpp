#include "reporters/python_format.h"

#include <gtest/gtest.h>

namespace stampede::reporters {
namespace {

// Expected strings are what CPython 3.11's repr() prints for the same doubles.
TEST(PyFloatRepr, MatchesCPythonRepr) {
  EXPECT_EQ(py_float_repr(0.0), "0.0");
  EXPECT_EQ(py_float_repr(-0.0), "-0.0");
  EXPECT_EQ(py_float_repr(2000.0), "2000.0");
  EXPECT_EQ(py_float_repr(1.05), "1.05");
  EXPECT_EQ(py_float_repr(1.1517320000393738), "1.1517320000393738");
  EXPECT_EQ(py_float_repr(634.4451901565996), "634.4451901565996");
  EXPECT_EQ(py_float_repr(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(py_float_repr(0.0001), "0.0001");
  EXPECT_EQ(py_float_repr(0.00001), "1e-05");
  EXPECT_EQ(py_float_repr(1.5e-7), "1.5e-07");
  EXPECT_EQ(py_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(py_float_repr(1e16), "1e+16");
  EXPECT_EQ(py_float_repr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(py_float_repr(-2.5), "-2.5");
  EXPECT_EQ(py_float_repr(61000.0), "61000.0");
}

TEST(Fixed, IsPrintfF) {
  EXPECT_EQ(fixed(18.0, 6), "18.000000");
  EXPECT_EQ(fixed(40.666666666, 6), "40.666667");
  EXPECT_EQ(fixed(0.0, 6), "0.000000");
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("home page"), "home page");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("/big, \"quoted\""), "\"/big, \"\"quoted\"\"\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(CsvRow, JoinsWithCommaAndEndsWithCrLf) {
  EXPECT_EQ(csv_row({"a", "b,c", "", "1"}), "a,\"b,c\",,1\r\n");
  EXPECT_EQ(csv_row({"Count", "Message", "Traceback", "Nodes"}), "Count,Message,Traceback,Nodes\r\n");
}

}  // namespace
}  // namespace stampede::reporters
