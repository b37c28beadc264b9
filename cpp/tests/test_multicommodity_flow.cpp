// Edge cases of multi-commodity flow (routecore/multicommodity_flow.h): parallel edges, shared
// capacity of an undirected edge, unreachable targets, zero capacities, uncapped demands, and
// the bracket primal <= optimum <= dual on instances whose optimum is known by hand.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "routecore/multicommodity_flow.h"

using routecore::mc_objective;
using routecore::mc_status;
using routecore::MulticommodityOutcome;
using routecore::MulticommodityProblem;
using routecore::testing::check;

namespace {

// A CSR graph written out by hand (arcs of node u at first_out[u] .. first_out[u + 1] - 1).
struct Case {
  std::vector<std::int32_t> first_out, head, arc_edge;
  std::vector<double> capacity;
  std::vector<std::int32_t> source, target;
  std::vector<double> demand;
};

MulticommodityOutcome solve(const Case& c, mc_objective objective) {
  MulticommodityProblem p;
  p.graph = routecore::CsrView{static_cast<std::int32_t>(c.first_out.size() - 1),
                               static_cast<std::int32_t>(c.head.size()), c.first_out.data(),
                               c.head.data(), c.arc_edge.data()};
  p.capacity = c.capacity;
  p.source = c.source;
  p.target = c.target;
  p.demand = c.demand;
  p.objective = objective;
  p.epsilon = 0.01;
  return routecore::solve_multicommodity_flow(p, nullptr);
}

bool brackets(const MulticommodityOutcome& out, double optimum) {
  return out.status == mc_status::converged && out.primal <= optimum * (1 + 1e-9) &&
         out.dual >= optimum * (1 - 1e-9) && out.primal >= 0.99 * out.dual * (1 - 1e-9);
}

}  // namespace

int main() {
  // Two parallel arcs 0 -> 1 (capacities 3 and 5), demand 2: lambda = 4; total uncapped = 8.
  const Case parallel{{0, 2, 2}, {1, 1}, {0, 1}, {3.0, 5.0}, {0}, {1}, {2.0}};
  check(brackets(solve(parallel, mc_objective::concurrent), 4.0), "parallel arcs, concurrent");
  Case uncapped = parallel;
  uncapped.demand = {INFINITY};
  check(brackets(solve(uncapped, mc_objective::total), 8.0), "parallel arcs, total");

  // An undirected edge 0 - 1 of capacity 4 (arcs e and ~e): demands both ways share it.
  const Case both_ways{{0, 1, 2}, {1, 0}, {0, ~0}, {4.0}, {0, 1}, {1, 0}, {1.0, 1.0}};
  check(brackets(solve(both_ways, mc_objective::concurrent), 2.0), "shared undirected edge");

  // Node 2 is unreachable: concurrent stops at once with lambda 0; total routes the rest.
  const Case cut{{0, 1, 1, 1}, {1}, {0}, {5.0}, {0, 0}, {1, 2}, {1.0, 1.0}};
  const MulticommodityOutcome u = solve(cut, mc_objective::concurrent);
  check(u.status == mc_status::unreachable && u.primal == 0.0 && u.dual == 0.0 &&
            u.unreachable == std::vector<std::int32_t>{1},
        "unreachable target, concurrent");
  check(brackets(solve(cut, mc_objective::total), 1.0), "unreachable target, total");

  // A zero-capacity arc is no path.
  const Case closed{{0, 1, 1}, {1}, {0}, {0.0}, {0}, {1}, {1.0}};
  check(solve(closed, mc_objective::concurrent).status == mc_status::unreachable, "zero capacity");

  // A demand from a node to itself needs no edge: total counts it in full.
  const Case self{{0, 1, 1}, {1}, {0}, {2.0}, {0, 1}, {1, 1}, {5.0, 3.0}};
  check(brackets(solve(self, mc_objective::total), 5.0), "demand to itself");
  return routecore::testing::report("test_multicommodity_flow");
}
