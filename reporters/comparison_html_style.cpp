#include "reporters/comparison_html_style.h"

#include <array>

namespace stampede::reporters {

std::string run_colour(std::size_t run_index) {
  // Tableau 10's first eight: distinct for common colour-vision deficiencies, none close
  // to the page's greys, so a run's bars are recognisable (and countable in a screenshot).
  static constexpr std::array<const char*, kRunColourCount> kPalette = {
      "#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"};
  return kPalette[run_index % kPalette.size()];
}

}  // namespace stampede::reporters
