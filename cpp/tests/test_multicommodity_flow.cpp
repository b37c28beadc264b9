// Edge cases of multi-commodity flow (routecore/multicommodity_flow.h): parallel edges, shared
// capacity of an undirected edge, unreachable targets, zero capacities, uncapped demands, and
// the bracket primal <= optimum <= dual on instances whose optimum is known by hand; the
// path-restricted variant (candidate paths per commodity) on the same kind of instances.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "routecore/multicommodity_flow.h"

using routecore::CandidatePaths;
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

MulticommodityProblem problem(const Case& c, mc_objective objective) {
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
  return p;
}

MulticommodityOutcome solve(const Case& c, mc_objective objective) {
  return routecore::solve_multicommodity_flow(problem(c, objective), nullptr);
}

// Candidate paths in the CandidatePaths layout.
struct Paths {
  std::vector<std::int64_t> commodity_start, path_start;
  std::vector<std::int32_t> arcs;
};

MulticommodityOutcome solve_paths(const Case& c, const Paths& q, mc_objective objective) {
  const CandidatePaths cand{q.commodity_start, q.path_start, q.arcs};
  return routecore::solve_path_multicommodity_flow(problem(c, objective), cand, nullptr);
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

  // Path-restricted: a diamond 0 -> 1 -> 3 (capacity 5) and 0 -> 2 -> 3 (capacity 4), arcs
  // 0: 0->1, 1: 0->2, 2: 1->3, 3: 2->3. Only the upper route as candidate: lambda = 5; both
  // routes: 9; no candidate: unreachable (concurrent), 0 for that commodity (total).
  const Case diamond{
      {0, 2, 3, 4, 4}, {1, 2, 3, 3}, {0, 1, 2, 3}, {5.0, 4.0, 5.0, 4.0}, {0}, {3}, {1.0}};
  const Paths upper{{0, 1}, {0, 2}, {0, 2}};
  const Paths both{{0, 2}, {0, 2, 4}, {0, 2, 1, 3}};
  check(brackets(solve_paths(diamond, upper, mc_objective::concurrent), 5.0), "one candidate");
  check(brackets(solve_paths(diamond, both, mc_objective::concurrent), 9.0), "two candidates");
  Case capped = diamond;
  capped.demand = {INFINITY};
  check(brackets(solve_paths(capped, upper, mc_objective::total), 5.0), "one candidate, total");
  const Paths none{{0, 0}, {0}, {}};
  const MulticommodityOutcome nc = solve_paths(diamond, none, mc_objective::concurrent);
  check(nc.status == mc_status::unreachable && nc.primal == 0.0 &&
            nc.unreachable == std::vector<std::int32_t>{0},
        "no candidate, concurrent");
  Case closed_upper = diamond;
  closed_upper.capacity = {0.0, 4.0, 5.0, 4.0};  // the upper route crosses a closed edge
  check(brackets(solve_paths(closed_upper, both, mc_objective::concurrent), 4.0),
        "candidate through a zero-capacity edge is skipped");
  return routecore::testing::report("test_multicommodity_flow");
}
