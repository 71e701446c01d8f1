#pragma once
// Small HTTP helpers of the server that need no socket: safe resolution of
// static file paths, bearer-token checks, the cross-site check, content
// types and the one JSON reply writer. Pure functions, thread-safe.

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
struct Response;
}

namespace rackforge::server {

/// The Content-Security-Policy of the dashboard's static files: scripts,
/// data and frames only from the server itself, never framed by another page
/// (frame-ancestors 'none'); inline styles are allowed because ECharts
/// writes them into its tooltips.
inline constexpr const char* kDashboardCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/// `value` as JSON text; bytes that are not valid UTF-8 (in keys or strings)
/// become U+FFFD instead of throwing. Never throws except std::bad_alloc.
std::string SafeDump(const nlohmann::json& value);

/// The one writer of JSON replies: status, SafeDump(body) as
/// application/json, Cache-Control: no-store and X-Content-Type-Options:
/// nosniff.
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);

/// Why a request must be refused as coming from another site, or nullopt
/// when it may pass. Used when the server has no token. `host` is the Host
/// header, `origin` the Origin header, `fetch_site` the Sec-Fetch-Site
/// header (each empty when absent), `bound_host` the --host address and
/// `port` the bound port. Allowed authorities are localhost, 127.0.0.1,
/// [::1] and the bound host (unless a wildcard address), each with ":port"
/// (bare only for port 80), case-insensitive. Host, when present, must be
/// one of them (DNS rebinding); Origin, when present, must be "http://" plus
/// one of them; for /api paths (`is_api`) Sec-Fetch-Site must not be
/// "cross-site" or "same-site". Requests with neither header (curl, scripts)
/// pass.
std::optional<std::string> CrossSiteRefusal(const std::string& host, const std::string& origin,
                                            const std::string& fetch_site, bool is_api,
                                            const std::string& bound_host, int port);

/// True for "localhost", 127.0.0.0/8 and ::1 (with or without brackets).
bool IsLoopbackHost(const std::string& host);

/// True for a path under /api ("/api" itself or "/api/...").
bool IsApiPath(const std::string& path);

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

/// MIME type for a static file by extension ("application/octet-stream" otherwise). Scripts
/// are "application/javascript; charset=utf-8", which cpp-httplib does not compress (see .cc).
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace rackforge::server
