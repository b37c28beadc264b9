// Shared by the min-cost flow tests (test_network_simplex.cpp, test_cost_scaling.cpp): a small
// problem as plain arrays, and the optimality certificate checked from a solver's outcome.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "routecore/network_simplex.h"

namespace routecore::testing {

struct Arcs {
  std::int32_t n;
  std::vector<std::int32_t> tail, head;
  std::vector<std::int64_t> cap, cost, supply;
};

inline McfProblem problem_of(const Arcs& a) {
  return McfProblem{a.n, a.tail, a.head, a.cap, a.cost, a.supply, {}, {}};
}

// Conservation, bounds and complementary slackness, checked from the arrays.
inline bool certificate(const Arcs& a, const McfOutcome& out) {
  std::vector<std::int64_t> net(static_cast<std::size_t>(a.n), 0);
  for (std::size_t e = 0; e < a.tail.size(); ++e) {
    const std::int64_t f = out.flow[e];
    if (f < 0 || (a.cap[e] != kInfiniteCapacity && f > a.cap[e])) return false;
    net[static_cast<std::size_t>(a.tail[e])] += f;
    net[static_cast<std::size_t>(a.head[e])] -= f;
    const std::int64_t rc = a.cost[e] + out.potential[static_cast<std::size_t>(a.tail[e])] -
                            out.potential[static_cast<std::size_t>(a.head[e])];
    if (f < a.cap[e] && rc < 0) return false;
    if (f > 0 && rc > 0) return false;
  }
  for (std::size_t v = 0; v < net.size(); ++v) {
    if (net[v] != a.supply[v]) return false;
  }
  return true;
}

}  // namespace routecore::testing
