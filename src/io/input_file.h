#pragma once
// Reading an input file (scenario files, --disruptions, anything the program
// reads from a path) without ever blocking or exhausting memory: only
// regular files, of bounded size.

#include <cstddef>
#include <optional>
#include <string>

namespace rackforge::io {

/// Largest input file read: 64 MiB (the default scenario's largest file is
/// about 30 KB; `rackforge generate` at its largest writes about 25 MiB).
inline constexpr size_t kMaxInputFileBytes = size_t{64} << 20;
/// Largest sum of the sizes of the files of one scenario folder: 512 MiB.
inline constexpr size_t kMaxScenarioBytes = size_t{512} << 20;

/// Reads the whole file at `path`. Only a regular file (symbolic links
/// followed) of at most `max_bytes` is read: the path is stat()ed first, so a
/// FIFO, device, socket or folder is refused without being opened; the open
/// is non-blocking and re-checked with fstat (the path may change in
/// between), and the read stops after max_bytes + 1 bytes (the file may
/// grow). Returns nullopt and sets *problem on failure, e.g. "no such file",
/// "is not a regular file (a FIFO)", "is 70000000 bytes (more than 64 MiB)",
/// "cannot be read: Permission denied". Thread-safe.
std::optional<std::string> ReadInputFile(const std::string& path, std::string* problem,
                                         size_t max_bytes = kMaxInputFileBytes);

/// True when `path` names something (stat succeeds, symbolic links followed).
bool PathExists(const std::string& path);

}  // namespace rackforge::io
