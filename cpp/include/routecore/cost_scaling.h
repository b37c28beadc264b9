// routecore/cost_scaling.h — cost-scaling push-relabel for minimum-cost flow.
//
// Problem: the one of network_simplex.h (McfProblem in, McfOutcome out, same statuses, same
//   certificate: flow, exact integer potentials pi with rc[a] = cost[a] + pi[tail] - pi[head]
//   >= 0 where f[a] < cap[a] and <= 0 where f[a] > 0, and the objective in 128 bits).
//
// Method (Goldberg & Tarjan 1990; Goldberg 1997; Király & Kovács 2012)
//   1. Feasibility. A push-relabel max-flow pass (FIFO, distance labels towards the nodes that
//      still need flow, periodic global relabelling by breadth-first search) routes every
//      supply to the demands. When some supply cannot be routed the problem is infeasible and
//      nothing else runs. Otherwise the result is a feasible flow, and everything after it keeps
//      the flow feasible between refinements (a circulation problem).
//   2. Cost scaling. Costs are multiplied by n + 1 (n: nodes). A flow is eps-optimal for
//      prices p when every residual arc has reduced cost c(v, w) + p(v) - p(w) >= -eps. Any
//      flow is eps-optimal with p = 0 and eps = the largest scaled |cost|. Refine(eps / alpha)
//      (alpha = kCostScalingAlpha) saturates every residual arc of negative reduced cost, then
//      discharges the nodes with excess in FIFO order: push along admissible arcs (residual,
//      reduced cost < 0), and when none is left relabel p(v) to max(p(w) - c(v, w)) - eps over
//      the residual arcs. The loop ends after the refinement with eps = 1: a 1-optimal flow for
//      the costs times n + 1 is (1 / (n + 1))-optimal for the original integer costs, and any
//      eps-optimal flow with eps < 1 / n is optimal (Bertsekas 1979; Goldberg & Tarjan 1990).
//      Heuristics (Goldberg 1997): a global price update after every n relabels — a Dial
//      bucket search from the nodes with a deficit lowers every price as far as the residual
//      paths allow, which makes most later relabels unnecessary; and push look-ahead — before
//      pushing into a node without a deficit and without an admissible arc, that node is
//      relabelled first (the flow would only come back).
//   3. Exact potentials. The scaled prices are only (1 / (n + 1))-optimal. One Dijkstra pass on
//      the residual network with the non-negative integer lengths c'(a) + p(t) - p(h) + 1 (c':
//      scaled cost) from a virtual source finds, for every node, the least (n + 1) * c(P) + |P|
//      over residual paths P ending there; floor division by n + 1 gives the exact shortest
//      distance under the original costs (a simple path has at most n - 1 arcs), and those
//      distances are optimal duals.
//   Invariants: bounds 0 <= f <= cap on every arc at all times; eps-optimality of (f, p) within
//   a refinement; in phase 1, valid distance labels d(v) <= d(w) + 1 on residual arcs.
//   Uncapacitated arcs get the finite capacity F + 1 (F: sum |b| + the finite capacities; some
//   optimal flow, if any, stays within F on every arc). If a solution still carries more than F
//   on such an arc, a cycle of uncapacitated arcs with cost <= 0 carries flow: the problem is
//   unbounded or has ties, and the network simplex (which tells these apart) decides instead.
//   Self-loops are set directly: saturated when their cost is negative, else empty.
//
// Exactness and overflow (check_cost_scaling_bounds, up front): everything is int64. Prices
//   fall by at most about (alpha + 1) * n * eps per refinement, less than 1.2 * n * (n + 1) * C
//   in total (C: max |cost|); the rule 8 * (n + 2) * ((n + 1) * C + 1) <= 2^62 keeps prices,
//   reduced costs and the Dijkstra keys far inside int64, and F <= 2^62 keeps flows there. A
//   price beyond 2^61 all the same stops the run with status overflow (never a wrong answer).
//
// Complexity: O(n^2 m log(n C)) in the worst case (Goldberg & Tarjan); in practice close to
//   linear per refinement on sparse graphs. Memory: about 32 bytes per arc and 40 per node.
// Cancellation: `cancel` is polled every few thousand pushes or relabels.
// References
//   A. V. Goldberg, R. E. Tarjan. Finding minimum-cost circulations by successive
//   approximation. Mathematics of Operations Research 15(3), 1990.
//   A. V. Goldberg. An efficient implementation of a scaling minimum-cost flow algorithm.
//   Journal of Algorithms 22(1), 1997.
//   Z. Király, P. Kovács. Efficient implementations of minimum-cost flow algorithms. Acta Univ.
//   Sapientiae, Informatica 4(1), 2012.
//   D. P. Bertsekas. A distributed algorithm for the assignment problem. MIT report, 1979.
#pragma once

#include "routecore/network_simplex.h"
#include "routecore/parallel.h"

namespace routecore {

// Each refinement divides eps by this factor (Király & Kovács measure 8 to 16 as best; 16 was
// the faster of the two here on the largest NETGEN-8 instances, where auto picks cost scaling).
inline constexpr std::int64_t kCostScalingAlpha = 16;

// Checks the overflow rule above; returns false (the problem is refused) when it fails.
bool check_cost_scaling_bounds(const McfProblem& p);

// Solves p (which must pass check_cost_scaling_bounds; status overflow otherwise).
McfOutcome solve_cost_scaling(const McfProblem& p, const Cancel* cancel);

}  // namespace routecore
