#include "generator/commands/cli.h"

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "generator/commands/compare_command.h"
#include "generator/commands/exit_codes.h"
#include "generator/commands/gate_commands.h"
#include "generator/commands/lab_command.h"
#include "generator/commands/locustfile_command.h"
#include "generator/commands/merge_command.h"
#include "generator/commands/run_command.h"
#include "generator/commands/worker_command.h"

namespace stampede::commands {

int run_cli(int argc, char** argv, const std::atomic<int>& interrupts, std::ostream& out,
            std::ostream& err) {
  CLI::App app{"stampede — a fast, honest HTTP load generator"};
  app.require_subcommand(1);
  app.set_version_flag("--version", STAMPEDE_VERSION);
  RawRunOptions raw;
  CLI::App* run = app.add_subcommand("run", "Run a load test from a scenario file");
  add_run_options(*run, raw);
  RawCheckOptions raw_check;
  CLI::App* check = app.add_subcommand("check", "Gate an existing result folder with thresholds");
  add_check_options(*check, raw_check);
  RawCompareOptions raw_compare;
  CLI::App* compare = app.add_subcommand("compare", "Compare result folders side by side, with regression rules");
  add_compare_options(*compare, raw_compare);
  RawLabOptions raw_lab;
  CLI::App* lab = app.add_subcommand("lab", "The sharding lab: run the scenario against each strategy and compare");
  add_lab_options(*lab, raw_lab);
  RawMergeOptions raw_merge;
  CLI::App* merge = app.add_subcommand("merge", "Merge result folders of one scenario (e.g. distributed workers) into one");
  add_merge_options(*merge, raw_merge);
  RawLocustfileOptions raw_locustfile;
  CLI::App* locustfile = app.add_subcommand("locustfile", "Write the Locust master's locustfile for a scenario (stampede workers)");
  add_locustfile_options(*locustfile, raw_locustfile);
  RawWorkerOptions raw_worker;
  CLI::App* worker = app.add_subcommand("worker", "Run as a worker of a Locust 2.x master (docs/distributed.md)");
  add_worker_options(*worker, raw_worker);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    const bool sub_help = e.get_name() == "--help";
    std::string sub;
    for (const CLI::App* c : {run, check, compare, lab, merge, locustfile, worker})
      if (sub_help && c->parsed()) sub = c->get_name();
    out << app.help(sub);
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << STAMPEDE_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "stampede: " << e.what() << "\n\n"
        << (run->parsed() ? run->help() : check->parsed() ? check->help()
            : compare->parsed() ? compare->help() : lab->parsed() ? lab->help()
            : merge->parsed() ? merge->help() : locustfile->parsed() ? locustfile->help()
            : worker->parsed() ? worker->help() : app.help());
    return kExitUsage;
  }

  const std::vector<std::string> command_line(argv, argv + argc);
  if (check->parsed()) return run_check(raw_check, out, err);
  if (compare->parsed()) return run_compare(raw_compare, out, err);
  if (locustfile->parsed()) return run_locustfile(raw_locustfile, out, err);
  if (merge->parsed()) return run_merge(raw_merge, command_line, out, err);
  if (worker->parsed()) return run_worker_command(raw_worker, command_line, interrupts, out, err);
  if (lab->parsed()) return run_lab_command(raw_lab, command_line, interrupts, out, err);
  return run_run_command(raw, command_line, interrupts, out, err);
}

}  // namespace stampede::commands
