#pragma once
// The error every layer may throw for bad user input that is not a scenario
// file: bad command-line options, API request fields, sweep ranges, variant
// ids. It maps to exit code 2 (the CLI) and HTTP 400 (the server); the
// message names the option or key and its bad value. Scenario-file problems
// (file:line) are io::LoadError (io/errors.h). Internal bugs are any other
// exception (exit 3).

#include <stdexcept>

namespace rackforge::common {

/// Bad options or arguments (command line, API request, engine options).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rackforge::common
