// Whether a run that says "running" still has an engine behind it.
//
// The engine writes its process id (run.json pid) and hostname. A run is "engine gone"
// when its status is "running", it was made on this host, and no process with that id
// exists any more: the engine was killed or crashed before it could write stats.json and
// its final status. Anything else (another host, no pid, a live process) is not known to be
// gone. A recycled pid reads as alive: the run then just stays followed, as before.
#pragma once

#include "results/run_result.h"

namespace stampede::gui {

bool engine_gone(const results::RunInfo& info);

}  // namespace stampede::gui
