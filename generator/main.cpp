// stampede: wires signals and the command line; everything else lives in the library.
#include <csignal>
#include <iostream>

#include <curl/curl.h>

#include "generator/commands/cli.h"

namespace {
std::atomic<int> g_interrupts{0};
extern "C" void on_signal(int) { g_interrupts.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  int code = stampede::commands::run_cli(argc, argv, g_interrupts, std::cout, std::cerr);
  curl_global_cleanup();
  return code;
}
