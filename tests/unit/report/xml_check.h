#pragma once
// A small XML well-formedness check for tests: tags nest and close, attribute
// values are quoted, '&' only starts a known entity, no raw '<' in text.
// Returns "" when well-formed, otherwise a description of the first problem.

#include <cctype>
#include <string>
#include <vector>

namespace rackforge::report::testing {

inline std::string CheckEntity(const std::string& s, size_t& i) {
  static const char* kEntities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
  for (const char* e : kEntities) {
    if (s.compare(i, std::char_traits<char>::length(e), e) == 0) {
      i += std::char_traits<char>::length(e);
      return "";
    }
  }
  return "bad entity at " + std::to_string(i) + ": " + s.substr(i, 12);
}

inline std::string CheckXml(const std::string& s, bool allow_doctype = false) {
  std::vector<std::string> stack;
  size_t i = 0;
  bool seen_root = false;
  while (i < s.size()) {
    if (s[i] == '&') {
      std::string err = CheckEntity(s, i);
      if (!err.empty()) return err;
      continue;
    }
    if (s[i] == '>') return "raw '>' in text at " + std::to_string(i);
    if (s[i] != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) {
        return "text outside the root element at " + std::to_string(i);
      }
      ++i;
      continue;
    }
    if (allow_doctype && s.compare(i, 9, "<!DOCTYPE") == 0) {
      i = s.find('>', i) + 1;
      continue;
    }
    const size_t end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) return "unexpected </" + name + ">";
      stack.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    size_t p = 0;
    while (p < tag.size() && !std::isspace(static_cast<unsigned char>(tag[p]))) ++p;
    const std::string name = tag.substr(0, p);
    if (name.empty()) return "empty tag name";
    // Attributes: name="value" with no raw '<' or '"' inside the value.
    while (p < tag.size()) {
      while (p < tag.size() && std::isspace(static_cast<unsigned char>(tag[p]))) ++p;
      if (p >= tag.size()) break;
      const size_t eq = tag.find('=', p);
      if (eq == std::string::npos || eq + 1 >= tag.size() || tag[eq + 1] != '"') {
        return "unquoted attribute in <" + name + ">";
      }
      const size_t close = tag.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name + ">";
      std::string value = tag.substr(eq + 2, close - eq - 2);
      if (value.find('<') != std::string::npos) return "raw '<' in attribute of <" + name + ">";
      for (size_t k = 0; k < value.size();) {
        if (value[k] == '&') {
          std::string err = CheckEntity(value, k);
          if (!err.empty()) return err;
        } else {
          ++k;
        }
      }
      p = close + 1;
    }
    if (stack.empty() && seen_root) return "second root element <" + name + ">";
    seen_root = true;
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (!seen_root) return "no element";
  return "";
}

}  // namespace rackforge::report::testing
