#include "reporters/svg_bar_chart.h"

#include <algorithm>
#include <cmath>

#include "reporters/comparison_format.h"
#include "reporters/report_table.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

constexpr int kLabelWidth = 330;   // group labels, right-aligned before the plot
constexpr int kPlotLeft = kLabelWidth + 10;
constexpr int kPlotRight = kChartWidth - 90;  // room for the value after the longest bar
constexpr int kBar = 16;
constexpr int kBarGap = 3;
constexpr int kGroupGap = 14;
constexpr int kTitleHeight = 26;
constexpr int kLegendHeight = 24;
constexpr int kAxisHeight = 28;
constexpr std::size_t kMaxLabelChars = 46;

std::string num(double v) { return fmt_fixed(v, 1); }

std::string value_text(const BarChart& c, double v) {
  const bool whole = c.decimals == 0 && v >= 0 && v < 1e15;
  return (whole ? fmt_count(static_cast<std::uint64_t>(std::llround(v))) : fmt_fixed(v, c.decimals)) + (c.unit.empty() ? "" : (c.unit == "%" ? "%" : " " + c.unit));
}

}  // namespace

double nice_ceiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * p >= v * (1 - 1e-12)) return m * p;
  }
  return 10 * p;
}

std::string render_bar_chart_svg(const BarChart& c) {
  double max_v = 0;
  for (const BarSeries& s : c.series)
    for (const auto& v : s.values)
      if (v && std::isfinite(*v)) max_v = std::max(max_v, *v);
  if (c.reference) max_v = std::max(max_v, *c.reference);
  const double axis = c.axis_max ? std::max(*c.axis_max, max_v) : nice_ceiling(max_v);
  const double plot_w = kPlotRight - kPlotLeft;
  auto x_of = [&](double v) { return kPlotLeft + plot_w * std::clamp(v / axis, 0.0, 1.0); };

  const int n_series = static_cast<int>(c.series.size());
  const int group_h = n_series * kBar + std::max(0, n_series - 1) * kBarGap;
  const int top = kTitleHeight + kLegendHeight + 18;
  const int n_groups = static_cast<int>(c.groups.size());
  const int plot_h = n_groups * group_h + std::max(0, n_groups - 1) * kGroupGap;
  const int height = top + plot_h + kAxisHeight + 6;

  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + std::to_string(kChartWidth) +
                  " " + std::to_string(height) + "\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
                  std::to_string(height) + "\" role=\"img\" aria-label=\"" + html_escape(c.title) + "\">\n";
  o += "<text x=\"0\" y=\"18\" class=\"chart-title\">" + html_escape(c.title) + "</text>\n";
  // Legend: a swatch and a label per series.
  int lx = 0;
  for (const BarSeries& s : c.series) {
    o += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(kTitleHeight + 4) + "\" width=\"14\" height=\"14\" fill=\"" +
         html_escape(s.colour) + "\"/>";
    o += "<text x=\"" + std::to_string(lx + 19) + "\" y=\"" + std::to_string(kTitleHeight + 16) + "\" class=\"legend\">" +
         html_escape(s.label) + "</text>\n";
    lx += 30 + 8 * static_cast<int>(std::min<std::size_t>(display_width(s.label), 30));
  }
  // Grid lines and tick labels at 0, 1/4 .. 4/4 of the axis.
  for (int i = 0; i <= 4; ++i) {
    const double v = axis * i / 4.0;
    const std::string x = num(x_of(v));
    o += "<line x1=\"" + x + "\" y1=\"" + std::to_string(top - 4) + "\" x2=\"" + x + "\" y2=\"" + std::to_string(top + plot_h + 4) +
         "\" class=\"grid\"/>";
    o += "<text x=\"" + x + "\" y=\"" + std::to_string(top + plot_h + 20) + "\" class=\"tick\" text-anchor=\"middle\">" +
         html_escape(value_text(c, v)) + "</text>\n";
  }
  for (int g = 0; g < n_groups; ++g) {
    const int gy = top + g * (group_h + kGroupGap);
    const std::string& label = c.groups[static_cast<std::size_t>(g)];
    o += "<text x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(gy + group_h / 2 + 5) +
         "\" class=\"group\" text-anchor=\"end\"><title>" + html_escape(label) + "</title>" +
         html_escape(fit(label, kMaxLabelChars)) + "</text>\n";
    for (int s = 0; s < n_series; ++s) {
      const BarSeries& series = c.series[static_cast<std::size_t>(s)];
      const int y = gy + s * (kBar + kBarGap);
      const auto v = static_cast<std::size_t>(g) < series.values.size() ? series.values[static_cast<std::size_t>(g)]
                                                                        : std::optional<double>();
      if (!v || !std::isfinite(*v)) {
        o += "<text x=\"" + std::to_string(kPlotLeft + 4) + "\" y=\"" + std::to_string(y + kBar - 4) +
             "\" class=\"nodata\">" + html_escape(series.label) + ": no data</text>\n";
        continue;
      }
      const double w = std::max(*v > 0 ? 1.0 : 0.0, x_of(*v) - kPlotLeft);
      const std::string tip = series.label + " — " + label + ": " + value_text(c, *v);
      o += "<rect x=\"" + std::to_string(kPlotLeft) + "\" y=\"" + std::to_string(y) + "\" width=\"" + num(w) +
           "\" height=\"" + std::to_string(kBar) + "\" fill=\"" + html_escape(series.colour) + "\"><title>" +
           html_escape(tip) + "</title></rect>";
      o += "<text x=\"" + num(kPlotLeft + w + 4) + "\" y=\"" + std::to_string(y + kBar - 4) + "\" class=\"value\">" +
           html_escape(value_text(c, *v)) + "</text>\n";
    }
  }
  if (c.reference) {
    const std::string x = num(x_of(*c.reference));
    o += "<line x1=\"" + x + "\" y1=\"" + std::to_string(top - 8) + "\" x2=\"" + x + "\" y2=\"" + std::to_string(top + plot_h + 4) +
         "\" class=\"reference\"><title>" + html_escape(c.reference_label) + "</title></line>";
    o += "<text x=\"" + x + "\" y=\"" + std::to_string(top - 10) + "\" class=\"reference-label\" text-anchor=\"middle\">" +
         html_escape(c.reference_label) + "</text>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace stampede::reporters
