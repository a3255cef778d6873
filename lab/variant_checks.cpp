#include "lab/variant_checks.h"

#include <set>

#include "lab/read_scaling_checks.h"
#include "lab/study_checks.h"
#include "lab/variants.h"

namespace stampede::lab {
namespace {

// A family of checks and the server flag whose values it compares. `add` is null for a
// family whose checks are not written yet (issue 17's queue: the grab p95 and drain proof),
// each with the seed's own number beside ours as study_checks does.
using AddChecks = void (*)(reporters::Comparison&, const std::vector<VariantServer>&);
struct CheckFamily {
  std::string_view flag;
  std::string_view server_default;
  AddChecks add;
};

void add_strategy_family(reporters::Comparison& c, const std::vector<VariantServer>&) { add_study_checks(c); }
void add_cache_family(reporters::Comparison& c, const std::vector<VariantServer>& servers) {
  c.check_sections.push_back(cache_checks(c, servers));
}
void add_replica_family(reporters::Comparison& c, const std::vector<VariantServer>& servers) {
  c.check_sections.push_back(replica_checks(c, servers));
}

constexpr CheckFamily kCheckFamilies[] = {
    {"--strategy", kServerDefaultStrategy, &add_strategy_family},
    {"--cache", "off", &add_cache_family},
    {"--read-from", "primary", &add_replica_family},
    {"--write-path", "sync", nullptr},
};

}  // namespace

std::string setting_of(const VariantServer& server, std::string_view flag, std::string_view server_default) {
  return flag_value(server.flags, flag).value_or(std::string(server_default));
}

bool servers_differ_in(const std::vector<VariantServer>& servers, std::string_view flag, std::string_view server_default) {
  std::set<std::string> values;
  for (const VariantServer& s : servers) values.insert(setting_of(s, flag, server_default));
  return values.size() > 1;
}

std::vector<std::string> add_checks_that_apply(reporters::Comparison& c, const std::vector<VariantServer>& servers,
                                               bool strategy_variants) {
  std::vector<std::string> applied;
  for (const CheckFamily& family : kCheckFamilies) {
    const bool strategies = family.flag == "--strategy" && strategy_variants;
    if (!strategies && !servers_differ_in(servers, family.flag, family.server_default)) continue;
    applied.emplace_back(family.flag);
    if (family.add != nullptr) family.add(c, servers);
  }
  return applied;
}

}  // namespace stampede::lab
