// The comparison report as one self-contained HTML page: inline CSS, inline SVG charts
// drawn here, tables with the same cells as the console/Markdown report, no JavaScript and
// no external resource of any kind (it opens from a file, offline).
#include <algorithm>

#include "reporters/comparison.h"
#include "reporters/comparison_format.h"
#include "reporters/comparison_html_style.h"
#include "reporters/comparison_sections.h"
#include "reporters/svg_bar_chart.h"

namespace stampede::reporters {

namespace {

std::vector<BarSeries> run_series(const Comparison& c) {
  std::vector<BarSeries> out;
  for (std::size_t i = 0; i < c.runs.size(); ++i) out.push_back({c.runs[i].label, run_colour(i), {}});
  return out;
}

std::string endpoint_title(const EndpointRow& row) { return row.method + " " + row.name; }

std::size_t max_shards(const Comparison& c) {
  std::size_t n = 0;
  for (const RunShards& s : c.shards) n = std::max(n, s.shards.size());
  return n;
}

// The even share 1/N as a reference line when every run with shards has the same N.
void even_line(const Comparison& c, BarChart& chart) {
  std::size_t n = 0;
  for (const RunShards& s : c.shards) {
    if (s.shards.empty()) continue;
    if (n != 0 && n != s.shards.size()) return;
    n = s.shards.size();
  }
  if (n < 2) return;
  chart.reference = 100.0 / static_cast<double>(n);
  chart.reference_label = "even 1/" + std::to_string(n) + " = " + fmt_pct(*chart.reference);
}

template <typename Get>
BarChart shard_chart(const Comparison& c, std::string title, std::string unit, int decimals, Get get) {
  BarChart chart{std::move(title), std::move(unit), decimals, {}, run_series(c), {}, {}, {}};
  const std::size_t n = max_shards(c);
  for (std::size_t k = 0; k < n; ++k) chart.groups.push_back("shard " + std::to_string(k));
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      const auto& shards = c.shards[i].shards;
      chart.series[i].values.push_back(k < shards.size() ? get(c.shards[i], shards[k]) : std::optional<double>());
    }
  }
  return chart;
}

template <typename Get>
BarChart endpoint_chart(const Comparison& c, std::string title, std::string unit, int decimals, Get get) {
  BarChart chart{std::move(title), std::move(unit), decimals, {}, run_series(c), {}, {}, {}};
  for (const EndpointRow& row : c.endpoints) {
    chart.groups.push_back(endpoint_title(row));
    for (std::size_t i = 0; i < row.runs.size(); ++i) chart.series[i].values.push_back(get(row.runs[i]));
  }
  return chart;
}

std::vector<BarChart> charts_for(const Comparison& c, const std::string& id) {
  std::vector<BarChart> out;
  if (id == "endpoints" && !c.endpoints.empty()) {
    out.push_back(endpoint_chart(c, "p95 latency per endpoint (ms, lower is better)", "ms", 2,
                                 [](const EndpointCell& e) { return e.present ? std::optional(e.p95_ms) : std::nullopt; }));
  }
  if (id == "fanout" && !c.endpoints.empty()) {
    out.push_back(endpoint_chart(c, "Shards touched per request", "", 2, [](const EndpointCell& e) {
      return e.present && e.shard_touches > 0 ? std::optional(e.avg_shards) : std::nullopt;
    }));
  }
  if (id == "hot") {
    BarChart hot{"Hot shard: the largest shard's share of each write endpoint (%)", "%", 1, {}, run_series(c), {}, {}, {}};
    for (const EndpointRow& row : c.endpoints) {
      if (!row.is_write) continue;
      hot.groups.push_back(endpoint_title(row));
      for (std::size_t i = 0; i < row.runs.size(); ++i) {
        const EndpointCell& e = row.runs[i];
        hot.series[i].values.push_back(e.present && e.shard_touches > 0 ? std::optional(e.largest_shard_pct) : std::nullopt);
      }
    }
    even_line(c, hot);
    if (!hot.groups.empty()) out.push_back(std::move(hot));
  }
  if (id == "shards" && max_shards(c) > 0) {
    BarChart writes = shard_chart(c, "Share of writes per shard (%)", "%", 1, [](const RunShards& r, const ShardCell& s) {
      return r.write_touches > 0 ? std::optional(s.write_pct) : std::nullopt;
    });
    even_line(c, writes);
    out.push_back(std::move(writes));
    BarChart queries = shard_chart(c, "Share of queries per shard (%)", "%", 1, [](const RunShards& r, const ShardCell& s) {
      return r.query_touches > 0 ? std::optional(s.query_pct) : std::nullopt;
    });
    even_line(c, queries);
    out.push_back(std::move(queries));
    const bool rows = std::any_of(c.shards.begin(), c.shards.end(), [](const RunShards& s) {
      return std::any_of(s.shards.begin(), s.shards.end(), [](const ShardCell& x) { return x.result_rows.has_value(); });
    });
    if (rows) {
      out.push_back(shard_chart(c, "coupon_results rows per shard at the end", "rows", 0,
                                [](const RunShards&, const ShardCell& s) {
                                  return s.result_rows ? std::optional(static_cast<double>(*s.result_rows)) : std::nullopt;
                                }));
    }
  }
  if (id == "balance") {
    BarChart chart{"Balance score (100 = even)", "", 0, {"writes", "queries", "result rows"}, run_series(c), {}, {}, 100.0};
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
      const RunShards& s = c.shards[i];
      chart.series[i].values = {s.write_touches > 0 ? std::optional(s.write_balance) : std::nullopt,
                                s.query_touches > 0 ? std::optional(s.query_balance) : std::nullopt, s.rows_balance};
    }
    out.push_back(std::move(chart));
  }
  if (id == "reshard" && !c.reshard.empty()) {
    BarChart chart{"Rows that would move when adding a shard, per strategy estimated", "rows", 0,
                   c.reshard_strategies, run_series(c), {}, {}, {}};
    for (std::size_t i = 0; i < c.runs.size(); ++i) {
      for (const std::string& st : c.reshard_strategies) {
        std::optional<double> v;
        for (const ReshardCell& r : c.reshard)
          if (r.run == i && r.strategy == st) v = static_cast<double>(r.moved);
        chart.series[i].values.push_back(v);
      }
    }
    out.push_back(std::move(chart));
  }
  return out;
}

std::string bullet_class(const std::string& b) {
  if (b.rfind("[met]", 0) == 0) return " class=\"met\"";
  if (b.rfind("[NOT met]", 0) == 0) return " class=\"not-met\"";
  if (b.rfind("[not checked]", 0) == 0) return " class=\"not-checked\"";
  return "";
}

}  // namespace

std::string comparison_html(const Comparison& c) {
  std::string labels;
  for (const RunHeader& h : c.runs) labels += (labels.empty() ? "" : " vs ") + h.label;
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>Stampede comparison: " + html_escape(labels) + "</title>\n<style>\n" +
                  std::string(kComparisonCss) + "</style>\n</head>\n<body>\n";
  o += "<h1>Stampede comparison: " + html_escape(labels) + "</h1>\n<p class=\"runs-legend\">";
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    o += "<span class=\"swatch\" style=\"background:" + run_colour(i) + "\"></span>" + html_escape(c.runs[i].label) +
         (i == 0 ? " (baseline)" : "") + " ";
  }
  o += "</p>\n<nav>";
  const std::vector<ReportSection> sections = comparison_sections(c);
  for (const ReportSection& s : sections) o += "<a href=\"#" + s.id + "\">" + html_escape(s.title) + "</a> ";
  o += "</nav>\n";
  for (const ReportSection& s : sections) {
    o += "<section id=\"" + s.id + "\">\n<h2>" + html_escape(s.title) + "</h2>\n";
    for (const std::string& w : s.warnings) o += "<p class=\"warning\">Warning: " + html_escape(w) + "</p>\n";
    if (!s.bullets.empty()) {
      o += "<ul>\n";
      for (const std::string& b : s.bullets) o += "<li" + bullet_class(b) + ">" + html_escape(b) + "</li>\n";
      o += "</ul>\n";
    }
    for (const BarChart& chart : charts_for(c, s.id)) o += "<figure>\n" + render_bar_chart_svg(chart) + "</figure>\n";
    for (const CaptionedTable& t : s.tables) {
      if (!t.caption.empty()) o += "<h3>" + html_escape(t.caption) + "</h3>\n";
      o += "<div class=\"table-wrap\">" + render_html_table(t.table) + "</div>\n";
    }
    for (const std::string& n : s.notes) o += "<p class=\"note\">" + html_escape(n) + "</p>\n";
    o += "</section>\n";
  }
  o += "<footer>Generated by Stampede from the result folders listed under Runs. Self-contained: no scripts, "
       "no network.</footer>\n</body>\n</html>\n";
  return o;
}

}  // namespace stampede::reporters
