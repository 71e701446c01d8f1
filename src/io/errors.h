#pragma once
// Load errors: bad scenario files, with every problem found as "FILE:LINE:
// message". They map to exit code 2, like common::UsageError (bad options,
// common/errors.h). Internal bugs are any other exception (exit 3).

#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.h"

namespace rackforge::io {

/// One problem in an input file: "FILE:LINE: message".
struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the file as a whole
  std::string message;
  std::string ToString() const {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
  }
};

/// Thrown by loaders after collecting all problems of a load.
class LoadError : public std::runtime_error {
 public:
  explicit LoadError(std::vector<Diagnostic> diagnostics)
      : std::runtime_error(Join(diagnostics)), diagnostics_(std::move(diagnostics)) {}
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  static std::string Join(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += d.ToString() + "\n";
    return out;
  }
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace rackforge::io
