#include "server/http_util.h"

#include <map>
#include <system_error>

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

}  // namespace

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
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  const auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace rackforge::server
