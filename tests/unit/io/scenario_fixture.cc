#include "unit/io/scenario_fixture.h"

#include <atomic>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "io/scenario_loader.h"

namespace rackforge::io::testing {

namespace fs = std::filesystem;

TempScenario::TempScenario() {
  static std::atomic<int> counter{0};
  dir_ = (fs::temp_directory_path() /
          ("rackforge-io-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
             .string();
  fs::remove_all(dir_);
  fs::copy(TinyDir(), dir_, fs::copy_options::recursive);
}

TempScenario::~TempScenario() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string TempScenario::Read(const std::string& name) const {
  std::ifstream in(dir_ + "/" + name, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void TempScenario::Write(const std::string& name, const std::string& text) const {
  std::ofstream out(dir_ + "/" + name, std::ios::binary | std::ios::trunc);
  out << text;
}

void TempScenario::Remove(const std::string& name) const { fs::remove(dir_ + "/" + name); }

void TempScenario::Replace(const std::string& name, const std::string& from, const std::string& to) const {
  std::string text = Read(name);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << name;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' twice in " << name;
  text.replace(at, from.size(), to);
  Write(name, text);
}

int TempScenario::LineOf(const std::string& name, const std::string& needle) const {
  std::istringstream in(Read(name));
  std::string line;
  int found = 0;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(needle) == std::string::npos) continue;
    EXPECT_EQ(found, 0) << "'" << needle << "' on two lines of " << name;
    found = n;
  }
  EXPECT_GT(found, 0) << "'" << needle << "' not in " << name;
  return found;
}

std::vector<Diagnostic> LoadDiagnostics(const std::string& dir) {
  try {
    LoadScenario(dir);
  } catch (const LoadError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a LoadError from " << dir;
  return {};
}

std::string Joined(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

}  // namespace rackforge::io::testing
