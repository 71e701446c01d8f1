#pragma once
// Small HTTP helpers of the server that need no socket: safe resolution of
// static file paths, bearer-token checks, content types. Pure functions,
// thread-safe.

#include <filesystem>
#include <optional>
#include <string>

namespace rackforge::server {

/// Maps a decoded request path ("/", "/assets/app.js") to a regular file
/// inside `root`. "/" and paths ending in "/" mean index.html. Returns
/// nullopt when the path has a "..", "." or empty segment, a backslash or a
/// NUL byte, when the file does not exist, or when its canonical location
/// (symlinks resolved) lies outside the canonical `root`.
std::optional<std::filesystem::path> ResolveStaticPath(const std::filesystem::path& root,
                                                       const std::string& request_path);

/// True when `authorization` is exactly "Bearer TOKEN" for `token`
/// (compared in constant time). An empty `token` accepts nothing.
bool BearerTokenMatches(const std::string& authorization, const std::string& token);

/// MIME type for a static file by extension ("application/octet-stream" otherwise).
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace rackforge::server
