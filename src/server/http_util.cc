#include "server/http_util.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <system_error>
#include <vector>

namespace rackforge::server {

namespace fs = std::filesystem;

namespace {

// Splits "/a/b/c" into {"a","b","c"}; nullopt when a segment is unsafe.
std::optional<fs::path> SafeRelativePath(const std::string& request_path) {
  if (request_path.empty() || request_path[0] != '/') return std::nullopt;
  if (request_path.find('\\') != std::string::npos || request_path.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::string rest = request_path.substr(1);
  if (rest.empty() || rest.back() == '/') rest += "index.html";
  fs::path relative;
  size_t begin = 0;
  while (begin <= rest.size()) {
    size_t end = rest.find('/', begin);
    if (end == std::string::npos) end = rest.size();
    const std::string segment = rest.substr(begin, end - begin);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    relative /= segment;
    begin = end + 1;
  }
  return relative;
}

bool IsWithin(const fs::path& root, const fs::path& file) {
  auto root_it = root.begin();
  auto file_it = file.begin();
  for (; root_it != root.end(); ++root_it, ++file_it) {
    if (file_it == file.end() || *root_it != *file_it) return false;
  }
  return true;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool IsWildcardHost(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]"; }

// "host:port" spellings a browser would put into Host for this server.
std::vector<std::string> AllowedAuthorities(const std::string& bound_host, int port) {
  std::vector<std::string> names = {"localhost", "127.0.0.1", "[::1]"};
  if (!IsWildcardHost(bound_host)) {
    const std::string host = Lower(bound_host);
    names.push_back(host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host);
  }
  std::vector<std::string> out;
  for (const std::string& name : names) {
    out.push_back(name + ":" + std::to_string(port));
    if (port == 80) out.push_back(name);
  }
  return out;
}

bool IsAllowed(const std::vector<std::string>& allowed, const std::string& authority) {
  return std::find(allowed.begin(), allowed.end(), Lower(authority)) != allowed.end();
}

}  // namespace

std::string SafeDump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  // "; charset=utf-8" keeps cpp-httplib from compressing the reply: it compresses a bare
  // "application/json" with brotli at quality 11 (≈ 4 ms per KB, seconds for a plan document),
  // far slower than sending it as it is. The dump is UTF-8 (invalid bytes replaced).
  res.set_content(SafeDump(body), "application/json; charset=utf-8");
}

std::optional<std::string> CrossSiteRefusal(const std::string& host, const std::string& origin,
                                            const std::string& fetch_site, bool is_api,
                                            const std::string& bound_host, int port) {
  const std::vector<std::string> allowed = AllowedAuthorities(bound_host, port);
  if (!host.empty() && !IsAllowed(allowed, host)) {
    return "Host header names another site (only this server's own address is answered)";
  }
  if (!origin.empty()) {
    static const std::string kScheme = "http://";
    if (Lower(origin).rfind(kScheme, 0) != 0 || !IsAllowed(allowed, origin.substr(kScheme.size()))) {
      return "cross-origin request refused (Origin is not this server)";
    }
  }
  if (is_api && (fetch_site == "cross-site" || fetch_site == "same-site")) {
    return "cross-site request refused (Sec-Fetch-Site: " + fetch_site + ")";
  }
  return std::nullopt;
}

bool IsLoopbackHost(const std::string& host) {
  std::string h = Lower(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool IsApiPath(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

std::optional<fs::path> ResolveStaticPath(const fs::path& root, const std::string& request_path) {
  const std::optional<fs::path> relative = SafeRelativePath(request_path);
  if (!relative) return std::nullopt;
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  const fs::path file = fs::canonical(canonical_root / *relative, ec);
  if (ec || !IsWithin(canonical_root, file) || !fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

bool BearerTokenMatches(const std::string& authorization, const std::string& token) {
  static const std::string kPrefix = "Bearer ";
  if (token.empty() || authorization.size() != kPrefix.size() + token.size()) return false;
  if (authorization.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(authorization[kPrefix.size() + i] ^ token[i]);
  }
  return diff == 0;
}

std::string ContentTypeFor(const fs::path& file) {
  // Scripts go out as "application/javascript; charset=utf-8" (a JavaScript MIME type to every
  // browser): cpp-httplib compresses text/* and bare "application/javascript" with brotli at
  // quality 11 on every request, which took 5 s of server time per bundle (the dashboard's
  // 0.8 MB main bundle, the 0.9 MB exceljs chunk). This type it sends as it is.
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  const auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace rackforge::server
