#include "lab/variant_checks.h"

#include <set>

#include "lab/study_checks.h"
#include "lab/variants.h"

namespace stampede::lab {
namespace {

// A family of checks and the server flag whose values it compares. `add` is null for a
// family whose checks are not written yet: the hook the server switches of issues 16 and 17
// fill in (the cache's hit ratio and read p95, the replicas' lag and stale reads, the queue's
// grab p95 and drain proof), each with the seed's own number beside ours as study_checks does.
struct CheckFamily {
  std::string_view flag;
  std::string_view server_default;
  void (*add)(reporters::Comparison&);
};

constexpr CheckFamily kCheckFamilies[] = {
    {"--strategy", kServerDefaultStrategy, &add_study_checks},
    {"--cache", "off", nullptr},
    {"--read-from", "primary", nullptr},
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
    if (family.add != nullptr) family.add(c);
  }
  return applied;
}

}  // namespace stampede::lab
