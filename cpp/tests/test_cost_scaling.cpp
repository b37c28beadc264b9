// Edge cases of cost-scaling push-relabel (routecore/cost_scaling.h): the cases of
// test_network_simplex.cpp, uncapacitated arcs, and random problems whose optimal cost must
// equal the network simplex's, each with its certificate checked from the arrays.
#include <cstdint>
#include <random>
#include <vector>

#include "check.h"
#include "mcf_check.h"
#include "routecore/cost_scaling.h"

using routecore::kInfiniteCapacity;
using routecore::mcf_status;
using routecore::McfOutcome;
using routecore::McfProblem;
using routecore::testing::Arcs;
using routecore::testing::certificate;
using routecore::testing::check;
using routecore::testing::problem_of;

namespace {

McfOutcome solve(const Arcs& a) { return routecore::solve_cost_scaling(problem_of(a), nullptr); }

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
    const Arcs unbalanced{2, {0}, {1}, {9}, {1}, {2, -1}};
    check(solve(unbalanced).status == mcf_status::infeasible, "supplies not summing to 0");
    const Arcs narrow{2, {0}, {1}, {1}, {1}, {2, -2}};
    check(solve(narrow).status == mcf_status::infeasible, "capacity too small: infeasible");
  }
  {
    // A negative self-loop saturates; an uncapacitated one is unbounded.
    Arcs loop{1, {0}, {0}, {5}, {-2}, {0}};
    const McfOutcome out = solve(loop);
    check(out.status == mcf_status::optimal && out.flow[0] == 5 && out.total_cost == -10,
          "negative self-loop saturates");
    check(certificate(loop, out), "self-loop: certificate");
    loop.cap[0] = kInfiniteCapacity;
    check(solve(loop).status == mcf_status::unbounded, "uncapacitated negative self-loop");
  }
  {
    // A negative cycle of uncapacitated arcs is unbounded; with one capacity it is optimal.
    Arcs cyc{3,          {0, 1, 2},
             {1, 2, 0},  {kInfiniteCapacity, kInfiniteCapacity, kInfiniteCapacity},
             {1, -3, 1}, {0, 0, 0}};
    check(solve(cyc).status == mcf_status::unbounded, "uncapacitated negative cycle");
    cyc.cap[1] = 4;
    const McfOutcome out = solve(cyc);
    check(out.status == mcf_status::optimal && out.total_cost == -4, "capped negative cycle");
    check(out.status == mcf_status::optimal && certificate(cyc, out), "capped cycle: cert.");
  }
  {
    // Zero capacity and parallel arcs: the cheap arc is closed, the flow takes the others.
    const Arcs par{2, {0, 0, 0}, {1, 1, 1}, {0, 2, 9}, {1, 3, 4}, {5, -5}};
    const McfOutcome out = solve(par);
    check(out.status == mcf_status::optimal && out.total_cost == 2 * 3 + 3 * 4, "parallel arcs");
    check(certificate(par, out), "parallel arcs: certificate");
  }
  {
    // Random problems against the network simplex (costs of both signs, some uncapacitated
    // arcs with costs >= 0, supplies that may be infeasible).
    // The last 60 are larger, so that global price updates and look-ahead relabels happen.
    std::mt19937_64 rng(12345);
    for (int trial = 0; trial < 360; ++trial) {
      const bool large = trial >= 300;
      const auto n = static_cast<std::int32_t>(1 + rng() % (large ? 80 : 12));
      const auto m = static_cast<std::size_t>(rng() % (large ? 600 : 40));
      Arcs a{n, {}, {}, {}, {}, std::vector<std::int64_t>(static_cast<std::size_t>(n), 0)};
      for (std::size_t e = 0; e < m; ++e) {
        a.tail.push_back(static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(n)));
        a.head.push_back(static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(n)));
        const auto c = static_cast<std::int64_t>(rng() % 41) - 10;
        const bool open = rng() % 5 == 0 && c >= 0;
        a.cap.push_back(open ? kInfiniteCapacity : static_cast<std::int64_t>(rng() % 20));
        a.cost.push_back(c);
      }
      for (int k = 0; k < (large ? 20 : 3); ++k) {
        const auto s = static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(n));
        const auto t = static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(n));
        const auto b = static_cast<std::int64_t>(rng() % 15);
        a.supply[s] += b;
        a.supply[t] -= b;
      }
      const McfProblem p{a.n, a.tail, a.head, a.cap, a.cost, a.supply, {}, {}};
      const McfOutcome want = routecore::solve_network_simplex(p, nullptr);
      const McfOutcome got = solve(a);
      check(got.status == want.status, "status equals the network simplex's", trial);
      if (got.status == mcf_status::optimal && want.status == mcf_status::optimal) {
        check(got.total_cost == want.total_cost, "cost equals the network simplex's", trial);
        check(certificate(a, got), "certificate", trial);
      }
    }
  }
  {
    // The overflow rule: 8 (n + 2) ((n + 1) C + 1) beyond 2^62 is refused up front.
    const std::int32_t n = 100000;
    Arcs big{n, {0}, {1}, {1}, {std::int64_t{1} << 27}, std::vector<std::int64_t>(n, 0)};
    const McfProblem p{big.n, big.tail, big.head, big.cap, big.cost, big.supply, {}, {}};
    check(!routecore::check_cost_scaling_bounds(p), "overflow rule refuses");
    check(routecore::check_network_simplex_bounds(p), "within the network simplex rule");
    check(solve(big).status == mcf_status::overflow, "overflow status");
  }
  return routecore::testing::report("test_cost_scaling");
}
