// Headless Chromium (Debian's `chromium`) for the tests that open a comparison page in a
// real browser: the reporters' screenshot test and the lab test, which opens the report.html
// of a real short lab. Header-only so both test executables can use it without sharing a
// library. Runs as root too (--no-sandbox); every call is bounded by `timeout 120`.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace stampede::reporters::testing {

// STAMPEDE_CHROMIUM, else /usr/bin/chromium(-browser); "" when there is none.
inline std::string chromium_binary() {
  if (const char* env = std::getenv("STAMPEDE_CHROMIUM"); env && *env) return env;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

inline std::string read_file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs Chromium headless on `page` with extra `flags` (e.g. "--dump-dom"), its profile in
// `profile_dir`, stdout to `out` and stderr to `err`; returns std::system's status.
inline int run_headless_chromium(const std::string& chromium, const std::filesystem::path& profile_dir,
                                 const std::filesystem::path& page, const std::string& flags,
                                 const std::filesystem::path& out, const std::filesystem::path& err) {
  const auto quoted = [](const std::string& s) { return "'" + s + "'"; };
  std::filesystem::create_directories(profile_dir);
  const std::string cmd = "timeout 120 " + quoted(chromium) +
                          " --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                          " --disable-extensions --force-color-profile=srgb --force-device-scale-factor=1"
                          " --hide-scrollbars --user-data-dir=" + quoted(profile_dir.string()) + " " + flags + " " +
                          quoted("file://" + std::filesystem::absolute(page).string()) + " >" + quoted(out.string()) +
                          " 2>" + quoted(err.string());
  return std::system(cmd.c_str());
}

// Occurrences of `needle` in `text`.
inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Chromium logs page console messages and uncaught exceptions as ":CONSOLE(" / "Uncaught";
// "" when the log has neither, else the log.
inline std::string page_errors(const std::string& chromium_log) {
  const bool bad = chromium_log.find("Uncaught") != std::string::npos || chromium_log.find(":CONSOLE(") != std::string::npos;
  return bad ? chromium_log : "";
}

}  // namespace stampede::reporters::testing
