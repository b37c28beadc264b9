// Edge cases of the network simplex (routecore/network_simplex.h): empty problems, self-loops,
// zero capacities, statuses, the overflow rule, and the certificate on a small instance.
#include <cstdint>
#include <vector>

#include "check.h"
#include "mcf_check.h"
#include "routecore/network_simplex.h"

using routecore::kInfiniteCapacity;
using routecore::mcf_status;
using routecore::McfOutcome;
using routecore::McfProblem;
using routecore::testing::Arcs;
using routecore::testing::certificate;
using routecore::testing::check;
using routecore::testing::problem_of;

namespace {

McfOutcome solve(const Arcs& a) { return routecore::solve_network_simplex(problem_of(a), nullptr); }

}  // namespace

int main() {
  {
    const Arcs none{0, {}, {}, {}, {}, {}};
    check(solve(none).status == mcf_status::optimal, "no nodes: optimal, cost 0");
    const Arcs isolated{3, {}, {}, {}, {}, {0, 0, 0}};
    const McfOutcome out = solve(isolated);
    check(out.status == mcf_status::optimal && out.total_cost == 0, "isolated nodes");
    const Arcs stranded{2, {}, {}, {}, {}, {1, -1}};
    check(solve(stranded).status == mcf_status::infeasible, "no arcs, supply: infeasible");
  }
  {
    // A negative self-loop saturates; an uncapacitated one is unbounded.
    Arcs loop{1, {0}, {0}, {5}, {-2}, {0}};
    const McfOutcome out = solve(loop);
    check(out.status == mcf_status::optimal && out.flow[0] == 5 && out.total_cost == -10,
          "negative self-loop saturates");
    loop.cap[0] = kInfiniteCapacity;
    check(solve(loop).status == mcf_status::unbounded, "uncapacitated negative self-loop");
  }
  {
    // Zero capacity and parallel arcs: the cheap arc is closed, the flow takes the others.
    const Arcs par{2, {0, 0, 0}, {1, 1, 1}, {0, 2, 9}, {1, 3, 4}, {5, -5}};
    const McfOutcome out = solve(par);
    check(out.status == mcf_status::optimal && out.total_cost == 2 * 3 + 3 * 4, "parallel arcs");
    check(certificate(par, out), "parallel arcs: certificate");
  }
  {
    // A small transshipment problem with a negative arc.
    const Arcs t{5,
                 {0, 0, 1, 2, 1, 3, 2, 4},
                 {1, 2, 2, 1, 3, 4, 4, 3},
                 {4, 8, 5, 3, 6, 9, 5, 1},
                 {2, 5, -1, 3, 4, 1, 6, 2},
                 {9, 0, 0, -4, -5}};
    const McfOutcome out = solve(t);
    check(out.status == mcf_status::optimal, "transshipment: optimal");
    check(out.status == mcf_status::optimal && certificate(t, out), "transshipment: certificate");
  }
  {
    // Warm starts: a good proposal, cycles, arcs not at the node, self-loops, overfilled
    // saturated arcs and out-of-range ids all give the cold start's status and cost.
    const Arcs t{5,
                 {0, 0, 1, 2, 1, 3, 2, 4, 4},
                 {1, 2, 2, 1, 3, 4, 4, 3, 4},
                 {4, 8, 5, 3, 6, 9, 5, 1, 2},
                 {2, 5, -1, 3, 4, 1, 6, 2, -3},
                 {9, 0, 0, -4, -5}};
    const McfOutcome cold = solve(t);
    check(cold.status == mcf_status::optimal, "warm start instance: optimal");
    const std::vector<std::vector<std::int32_t>> trees{
        {0, 2, 6, -1, 5}, {0, 3, 2, 5, 7}, {8, 5, 0, 4, 8}, {-1, 99, -7, 5, 2}, {1, 1, 1, 1, 1}};
    const std::vector<std::vector<std::uint8_t>> uppers{
        {}, {1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 1, 0, 1, 0, 1, 0, 1, 0}};
    for (const auto& tree : trees) {
      for (const auto& upper : uppers) {
        McfProblem p = problem_of(t);
        p.start_tree = tree;
        p.start_upper = upper;
        const McfOutcome warm = routecore::solve_network_simplex(p, nullptr);
        check(warm.status == cold.status && warm.total_cost == cold.total_cost,
              "warm start: the cold start's status and cost");
        check(warm.status == mcf_status::optimal && certificate(t, warm),
              "warm start: certificate");
      }
    }
    const Arcs stranded{3, {0}, {1}, {2}, {1}, {3, 0, -3}};
    McfProblem p = problem_of(stranded);
    const std::vector<std::int32_t> tree{0, -1, -1};
    p.start_tree = tree;
    check(routecore::solve_network_simplex(p, nullptr).status == mcf_status::infeasible,
          "warm start: infeasible stays infeasible");
  }
  {
    // The overflow rule: max|cost| * n^2 beyond 2^62 is refused up front.
    const std::int32_t n = 100000;
    Arcs big{n, {0}, {1}, {1}, {std::int64_t{1} << 40}, std::vector<std::int64_t>(n, 0)};
    const McfProblem p{big.n, big.tail, big.head, big.cap, big.cost, big.supply, {}, {}};
    check(!routecore::check_network_simplex_bounds(p), "overflow rule refuses");
    check(solve(big).status == mcf_status::overflow, "overflow status");
  }
  return routecore::testing::report("test_network_simplex");
}
