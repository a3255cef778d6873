// The comparison report as sections of text and tables, built once from a Comparison and
// rendered by the console, Markdown and HTML writers (the HTML page adds charts per
// section id). Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "reporters/comparison.h"
#include "reporters/report_table.h"

namespace stampede::reporters {

struct CaptionedTable {
  std::string caption;  // "" = none
  ReportTable table;
};

struct ReportSection {
  std::string id;                     // stable anchor: runs, reading, a caller's check sections (their id), endpoints, open, exchange, fanout, hot, shards, balance, reshard, notes
  std::string title;
  std::vector<std::string> warnings;  // shown first, marked as warnings
  std::vector<std::string> bullets;
  std::vector<CaptionedTable> tables;
  std::vector<std::string> notes;     // after the tables
};

std::vector<ReportSection> comparison_sections(const Comparison& c);

// The footnotes: every definition the numbers rely on (balance score, ratio, shares, ...).
std::vector<std::string> comparison_definitions();

}  // namespace stampede::reporters
