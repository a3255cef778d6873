// What the Overview says about a run above its charts. For an open-model run (`stampede run
// --arrival-rate`, docs/open-model.md): its schedule (rate, even or Poisson arrivals, the cap
// on busy users), what became of it (iterations started, arrivals dropped), and a warning
// when the generator fell behind its own schedule (arrivals started more than 10 ms late),
// as the engine warns at the end of such a run. Then, for any run, a line with the outcomes
// that are neither successes nor failures, each only when not 0: answers HTTP 429 (rate
// limited) and their share of the requests, requests/tasks skipped by a scenario's `when`,
// Set-Cookie headers the cookie jars ignored; and a line with the responses each server
// answered (Server-Timing srv-<i>, behind a load balancer) and their share, when any response
// named one. A closed-model run without any of them has no
// summary: the run list already shows what it did.
//
// Counts come from run.json `open_model`, recorded at the end; while the run is still
// written they are summed from the history lines. Qt Core only.
#pragma once

#include <QString>

#include "gui/model/run_model.h"

namespace stampede::gui {

struct RunSummary {
  QString text;     // "" for a closed-model run without 429s, skips or invalid cookies
  QString warning;  // "" unless the generator fell behind its schedule
};

RunSummary run_summary(const RunModel& run);

}  // namespace stampede::gui
