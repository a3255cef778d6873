// Python-compatible text formatting, so our CSV files are byte-identical in form to the
// ones Locust (Python 3, csv module) writes.
//
// Pure functions, no I/O, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stampede::reporters {

// repr(float) of CPython 3: the shortest string that round-trips, "0.1", "2000.0",
// "1e-05", "1.5e+16", "nan", "inf", "-inf". Fixed notation when the decimal exponent is in
// [-4, 16), scientific otherwise, exactly like float_repr_style 'short'.
std::string py_float_repr(double value);

// printf-style "%.<decimals>f" (Python's f"{x:2f}" is "%f": six decimals).
std::string fixed(double value, int decimals);

// One field as csv.writer (QUOTE_MINIMAL, doublequote) writes it: quoted when it contains
// a comma, a double quote, CR or LF; inner quotes doubled.
std::string csv_field(std::string_view field);

// One row: fields joined by ',' and terminated by "\r\n" (csv.writer's lineterminator).
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace stampede::reporters
