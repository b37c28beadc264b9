// The check helper shared by the C++ unit tests: records a failure with its case, and the exit
// code of the test executable.
#pragma once

#include <cstdio>

namespace routecore::testing {

inline int failures = 0;

inline void check(bool ok, const char* what, int trial = -1) {
  if (!ok) {
    std::fprintf(stderr, "case %d: %s\n", trial, what);
    ++failures;
  }
}

// Prints the verdict and returns main's exit code.
inline int report(const char* name) {
  if (failures > 0) {
    std::fprintf(stderr, "%s: %d failures\n", name, failures);
    return 1;
  }
  std::printf("%s: all checks passed\n", name);
  return 0;
}

}  // namespace routecore::testing
