#include "generator/http/redirect.h"

#include <algorithm>
#include <cctype>

namespace stampede::http {

namespace {

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](unsigned char a, unsigned char b) {
           return std::tolower(a) == std::tolower(b);
         });
}

// The scheme-and-authority part of an absolute URL ("http://h:1" of "http://h:1/x"), or
// empty for a relative reference.
std::string_view origin_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || url.find('/') < scheme) return {};
  const std::size_t path = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, path);
}

// "http://h:80" and "http://h" are the same origin; so are the default ports of https.
std::string normalized_origin(std::string_view origin) {
  std::string out;
  for (char c : origin) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.starts_with("http://") && out.ends_with(":80")) out.resize(out.size() - 3);
  if (out.starts_with("https://") && out.ends_with(":443")) out.resize(out.size() - 4);
  return out;
}

}  // namespace

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::optional<std::string> follow_redirect(scenarios::RenderedRequest& request, long status,
                                           std::string_view location, std::string_view base_url) {
  while (!location.empty() && (location.front() == ' ' || location.front() == '\t')) location.remove_prefix(1);
  location = location.substr(0, location.find('#'));
  if (location.empty()) return std::string("redirect without a Location");
  std::string target;
  if (const std::string_view origin = origin_of(location); !origin.empty()) {
    if (normalized_origin(origin) != normalized_origin(base_url)) {
      return "redirect to another origin (not followed): " + std::string(origin);
    }
    target = location.substr(origin.size());
    if (target.empty() || target.front() != '/') target.insert(0, "/");
  } else if (location.starts_with("//")) {
    return "redirect to another origin (not followed): " + std::string(location);
  } else if (location.front() == '/') {
    target = location;
  } else {
    // Relative to the current path's directory.
    const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
    target = std::string(path.substr(0, path.rfind('/') + 1));
    if (location.front() == '?') target = std::string(path);
    target += location;
  }
  request.target = std::move(target);
  const bool to_get = (status == 303 && request.method != "HEAD") ||
                      ((status == 301 || status == 302) && request.method == "POST");
  if (to_get) {
    request.method = "GET";  // a literal: static storage, stable as RenderedRequest needs
    request.body.clear();
    std::erase_if(request.headers, [](const std::string& line) {
      return istarts_with(line, "Content-Type:") || istarts_with(line, "Content-Length:");
    });
  }
  return std::nullopt;
}

}  // namespace stampede::http
