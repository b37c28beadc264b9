// routecore/network_simplex.h — primal network simplex for minimum-cost flow.
//
// Problem
//   Given a directed multigraph with nodes 0 .. n-1, arcs a = (tail[a] -> head[a]) with an
//   integer capacity cap[a] >= 0 (or kInfiniteCapacity: uncapacitated) and an integer cost
//   cost[a] (any sign), and node supplies b[v] (positive: supply, negative: demand, sum 0), find
//   a flow 0 <= f[a] <= cap[a] with inflow - outflow = -b[v] at every node (conservation) that
//   minimises sum cost[a] * f[a]. Self-loops and parallel arcs are allowed.
//
// Method (primal network simplex; Ahuja, Magnanti & Orlin ch. 11, Kelly & O'Neill 1991)
//   An artificial root r joins every node v by one artificial arc, v -> r when b[v] >= 0 and
//   r -> v otherwise, uncapacitated and of cost M = (n + 1) * C + 1 (C: the largest |cost|, at
//   least 1), carrying |b[v]|. Those n arcs form the initial spanning tree (big-M start). Every
//   step keeps
//     feasibility        0 <= f[a] <= cap[a] and conservation, artificial arcs included;
//     tree solution      every non-tree arc is at its lower bound (f = 0) or upper (f = cap);
//     tree duals         potentials pi with reduced cost rc[a] = cost[a] + pi[tail] - pi[head]
//                        equal to 0 on every tree arc (reported with pi[r] = 0);
//     strong feasibility a positive amount can be sent from every node up to the root along
//                        the tree path (a tree arc with zero flow points towards the root, a
//                        saturated one away from it), which rules out cycling (Cunningham 1976).
//   A step picks an entering arc that violates optimality (rc < 0 at its lower bound, rc > 0 at
//   its upper bound) by *block search*: arcs are scanned cyclically from where the last search
//   stopped, in blocks of about sqrt(m); the most violating arc of the first block that has one
//   enters (arcs are scanned in an internal order: sorted by tail, then interleaved with a
//   stride of the average out-degree; see network_simplex_start.cpp for the measurements). The
//   cycle it closes in the tree is found through the join node (walking up from both ends, the
//   end with the smaller subtree first; both paths are recorded, so that the bottleneck, the flow
//   change and the tree update read them as arrays instead of following parent links again);
//   the leaving arc is the blocking arc of that cycle met *last* when the cycle is traversed from
//   the join node in the direction of the push (this keeps the tree strongly feasible). The flow
//   changes around the cycle by the bottleneck; the subtree cut off by the leaving arc is
//   re-hung below the other end of the entering arc: its preorder (thread) is rebuilt from
//   contiguous pieces of the old one, O(subtree) time, and the potentials on one side of the cut
//   shift by one constant: the subtree's, or the rest of the tree's (the root's included) when
//   the subtree holds more than half the nodes. Either side is a contiguous range of the
//   circular preorder with known ends and length, walked from both ends at once (two independent
//   chains of loads: the walk is bound by memory latency). The search ends when no arc violates
//   optimality: then f is optimal for the big-M problem, and the original problem is infeasible
//   exactly when an artificial arc still carries flow (M exceeds the cost of any simple path). A
//   cycle with no blocking arc (all its arcs uncapacitated, negative cost) makes the problem
//   unbounded. Pivot rule, start and structure follow the literature; the code is written from it.
//
// Certificate (checked by the Python tests, independently of this code)
//   Optimal iff conservation and bounds hold and, for every arc, rc[a] >= 0 where f[a] < cap[a]
//   and rc[a] <= 0 where f[a] > 0, with rc[a] = cost[a] + pi[tail[a]] - pi[head[a]].
//
// Exactness and overflow (checked up front by check_network_simplex_bounds, never during a run)
//   Flows, potentials and reduced costs are int64; the objective is accumulated exactly in a
//   128-bit Int128 (checked_math.h). Potentials are stored modulo 2^64 (the root's drifts when
//   the other side shifts) and only their differences are read, which are exact because their
//   true values fit: potentials relative to the root stay within (n + 1) * M in magnitude and
//   every flow within F = sum |b| + the sum of finite capacities; the bound check refuses inputs
//   where (n + 2) * M or F exceeds 2^62. The objective then stays below 2^124 in magnitude: in a
//   basic flow the n tree arcs carry at most F each and the arcs at their upper bounds at most F
//   together, so |sum cost * flow| <= C * (n + 1) * F < M * F <= 2^124.
//
// Warm start (optional: McfProblem::start_tree / start_upper; an empty span means big-M start)
//   The caller proposes per node v an arc joining v to its parent (start_tree[v], or -1) and
//   arcs that start saturated (start_upper[a] != 0; ignored for tree arcs and uncapacitated
//   arcs). Proposals that are not arcs at v, self-loops, or close a cycle (the cycle is cut at
//   one node) are dropped. From the leaves up, each node's net outflow goes over its proposed
//   arc as far as that keeps the tree strongly feasible: the arc is a tree arc when its flow is
//   strictly inside its bounds (or 0 and pointing to the parent); otherwise it sits at a bound
//   and the rest goes over the node's artificial arc to the root (v -> root when the rest is
//   >= 0, root -> v otherwise), which is then the node's tree arc. Nodes without a proposal
//   hang from the root by their artificial arc, as in the big-M start. The start is a feasible,
//   strongly feasible tree of the same big-M problem, so the method and its optimality and
//   infeasibility rules are unchanged; only the number of pivots (and, among several optimal
//   flows, which one is returned) depends on the start. Used by the capacity analyses with the
//   shortest-path routing as the start (python/routecore/analyses/_capacity_solve.py).
//
// Code: network_simplex_start.cpp (arc order, big-M and warm starts, overflow rule, output),
//   network_simplex.cpp (the pivot loop), network_simplex_solver.h (the state).
//
// Complexity: pseudo-polynomial in the worst case; O(cycle + subtree) per pivot; in practice
//   the fastest exact method up to about 1e5 nodes (LEMON's documentation and Kovács 2015).
// Cancellation: `cancel` is polled every 1024 pivots; a cancelled run returns status cancelled.
// References
//   R. K. Ahuja, T. L. Magnanti, J. B. Orlin. Network Flows, ch. 11. Prentice Hall, 1993.
//   W. H. Cunningham. A network simplex method. Math. Programming 11, 1976.
//   D. J. Kelly, G. M. O'Neill. The minimum cost flow problem and the network simplex solution
//   method. MSc thesis, University College Dublin, 1991.
//   M. D. Grigoriadis. An efficient implementation of the network simplex method. Math.
//   Programming Study 26, 1986.
//   P. Kovács. Minimum-cost flow algorithms: an experimental evaluation. Optimization Methods
//   and Software 30(1), 2015.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "routecore/checked_math.h"
#include "routecore/parallel.h"

namespace routecore {

// Capacity of an uncapacitated arc.
inline constexpr std::int64_t kInfiniteCapacity = std::numeric_limits<std::int64_t>::max();

enum class mcf_status : std::uint8_t { optimal, infeasible, unbounded, overflow, cancelled };

// One problem, as arc arrays (all of length m) and node supplies (length n).
struct McfProblem {
  std::int32_t num_nodes = 0;
  std::span<const std::int32_t> tail;
  std::span<const std::int32_t> head;
  std::span<const std::int64_t> capacity;  // >= 0, or kInfiniteCapacity
  std::span<const std::int64_t> cost;
  std::span<const std::int64_t> supply;  // sums to 0
  // Optional warm start of the network simplex (cost scaling ignores it; see "Warm start").
  std::span<const std::int32_t> start_tree;   // empty, or per node an arc (or -1)
  std::span<const std::uint8_t> start_upper;  // empty, or per arc 1: start at the upper bound
};

// The largest |cost| (at least 1), or -1 when some |cost| exceeds 2^62: the cost factor of
// both solvers' overflow rules (this one's big-M, cost_scaling.h's epsilon scaling).
inline std::int64_t max_abs_cost(std::span<const std::int64_t> cost) {
  std::int64_t c = 1;
  for (const std::int64_t x : cost) {
    if (x < -(std::int64_t{1} << 62) || x > (std::int64_t{1} << 62)) return -1;
    c = std::max(c, x < 0 ? -x : x);
  }
  return c;
}

struct McfOutcome {
  mcf_status status = mcf_status::optimal;
  std::vector<std::int64_t> flow;       // per arc (optimal status only)
  std::vector<std::int64_t> potential;  // per node, rc[a] = cost + pi[tail] - pi[head]
  Int128 total_cost;                    // sum cost[a] * flow[a], exact
  std::int64_t pivots = 0;
};

// Checks the overflow rule above; returns false (the problem is refused) when it fails.
bool check_network_simplex_bounds(const McfProblem& p);

// Solves p (which must pass check_network_simplex_bounds; status overflow otherwise).
McfOutcome solve_network_simplex(const McfProblem& p, const Cancel* cancel);

}  // namespace routecore
