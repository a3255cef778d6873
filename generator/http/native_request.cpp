#include "generator/http/native_request.h"

#include <charconv>

namespace stampede::http::native {
namespace {

bool is_header(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

}  // namespace

void serialize_request(const scenarios::RenderedRequest& request, std::string_view host_header, std::string& out) {
  out.clear();
  out.append(request.method);
  out.push_back(' ');
  out.append(request.target.empty() ? std::string_view("/") : std::string_view(request.target));
  out.append(" HTTP/1.1\r\n");
  bool has_host = false;
  for (const std::string& line : request.headers) has_host = has_host || is_header(line, "host");
  if (!has_host) {
    out.append("Host: ");
    out.append(host_header);
    out.append("\r\n");
  }
  for (const std::string& line : request.headers) {
    out.append(line);
    out.append("\r\n");
  }
  const std::string_view method = request.method;
  if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, request.body.size());
    out.append("Content-Length: ");
    out.append(digits, ec == std::errc() ? static_cast<std::size_t>(end - digits) : 0);
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(request.body);
}

}  // namespace stampede::http::native
