#include "gui/model/series.h"

#include <algorithm>
#include <cmath>

namespace stampede::gui {

QList<double> percentile_levels() {
  constexpr int kPerDecade = 5;
  constexpr int kDecades = 4;  // up to 99.99
  QList<double> levels;
  for (int i = 0; i <= kPerDecade * kDecades; ++i) {
    const double tail = std::pow(10.0, -static_cast<double>(i) / kPerDecade);
    levels.append(100.0 * (1.0 - tail));
  }
  return levels;
}

double percentile_to_x(double p) { return 100.0 / std::max(1e-9, 100.0 - p); }

SeriesData percentile_curve(const results::Histogram& latency_us, const QString& name) {
  SeriesData s{name, {}};
  if (latency_us.empty()) return s;
  // N requests resolve the tail down to 1/N: levels further out would all read the max.
  const double n = static_cast<double>(latency_us.count());
  for (double p : percentile_levels()) {
    const double x = percentile_to_x(p);
    if (x > n * (1 + 1e-9)) break;
    s.points.append({x, us_to_ms(latency_us.value_at_percentile(p))});
  }
  const QPointF max_point{n, us_to_ms(latency_us.max())};
  if (s.points.back().x() < n * (1 - 1e-9)) s.points.append(max_point);
  return s;
}

double percentile_axis_end(const QList<SeriesData>& curves) {
  double right = 10;
  for (const SeriesData& c : curves) {
    if (!c.points.isEmpty()) right = std::max(right, c.points.back().x());
  }
  return std::pow(10.0, std::ceil(std::log10(right) - 1e-9));
}

QList<HistogramBin> latency_bins(const results::Histogram& latency_us, int bins) {
  QList<HistogramBin> out;
  if (latency_us.empty() || bins <= 0) return out;
  // Log spacing needs a positive lower edge; 1 µs is the resolution of the data.
  const double lo = std::max<double>(1.0, static_cast<double>(latency_us.min()));
  const double hi = std::max<double>(lo, static_cast<double>(latency_us.max()));
  if (hi <= lo) {
    out.append({us_to_ms(latency_us.min()), us_to_ms(latency_us.max()), latency_us.count()});
    return out;
  }
  const double ratio = std::pow(hi / lo, 1.0 / bins);
  for (int i = 0; i < bins; ++i) {
    out.append({lo * std::pow(ratio, i) / 1000.0, lo * std::pow(ratio, i + 1) / 1000.0, 0});
  }
  latency_us.for_each_bucket([&](std::uint64_t b_lo, std::uint64_t b_hi, std::uint64_t count) {
    // Place each bucket by its midpoint, clamped into [min, max].
    const double mid = std::clamp((static_cast<double>(b_lo) + static_cast<double>(b_hi)) / 2.0, lo, hi);
    int idx = static_cast<int>(std::floor(std::log(mid / lo) / std::log(ratio)));
    idx = std::clamp(idx, 0, bins - 1);
    out[idx].count += count;
  });
  return out;
}

AxisRange log_axis_range(const QList<SeriesData>& series) {
  double lo = 0, hi = 0;
  for (const SeriesData& s : series) {
    for (const QPointF& p : s.points) {
      if (p.y() <= 0) continue;
      lo = lo > 0 ? std::min(lo, p.y()) : p.y();
      hi = std::max(hi, p.y());
    }
  }
  if (hi <= 0) return {1, 10};
  AxisRange r{std::pow(10.0, std::floor(std::log10(lo) + 1e-9)), std::pow(10.0, std::ceil(std::log10(hi) - 1e-9))};
  if (r.max <= r.min) r.max = r.min * 10;
  return r;
}

AxisRange log_count_range(quint64 top_count) {
  const double top = std::max(1.0, static_cast<double>(top_count));
  // The decade above the tallest bin, with room for it to be seen as less than the top.
  return {kLogCountFloor, std::pow(10.0, std::floor(std::log10(top)) + 1)};
}

QList<QPointF> on_log_axis(QList<QPointF> points, double floor) {
  for (QPointF& p : points) p.setY(std::max(p.y(), floor));
  return points;
}

}  // namespace stampede::gui
