#pragma once
// Test helpers: a private copy of tests/scenarios/tiny that a test can break
// in one place, and a loader call that returns the diagnostics.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/errors.h"
#include "io/scenario_loader.h"

namespace rackforge::io::testing {

/// Path of the tiny scenario in the source tree.
inline std::string TinyDir() { return std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny"; }

/// A copy of tiny in a fresh temporary folder, removed on destruction.
class TempScenario {
 public:
  TempScenario();
  ~TempScenario();
  const std::string& dir() const { return dir_; }
  std::string Read(const std::string& name) const;
  void Write(const std::string& name, const std::string& text) const;
  void Remove(const std::string& name) const;
  /// Replaces the single occurrence of `from` (fails the test if not exactly one).
  void Replace(const std::string& name, const std::string& from, const std::string& to) const;
  /// 1-based line of the single line containing `needle` (fails the test otherwise).
  int LineOf(const std::string& name, const std::string& needle) const;

 private:
  std::string dir_;
};

/// Loads the folder; returns the diagnostics of the LoadError (empty, with a
/// test failure, when it loads fine).
std::vector<Diagnostic> LoadDiagnostics(const std::string& dir);

/// All diagnostics joined, one per line.
std::string Joined(const std::vector<Diagnostic>& diagnostics);

/// Loads in-memory scenario files (keyed like ScenarioTexts::files); a load
/// error fails the test with its diagnostics and is rethrown.
inline model::Scenario LoadFiles(const std::map<std::string, std::string>& files) {
  ScenarioTexts texts;
  texts.files = files;
  try {
    return LoadScenarioFromTexts(texts);
  } catch (const LoadError& e) {
    ADD_FAILURE() << e.what();
    throw;
  }
}

/// The same file names with the same texts (a failure names the file).
inline void ExpectSameFiles(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, text] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_EQ(text, b.at(name)) << name;
  }
}

}  // namespace rackforge::io::testing
