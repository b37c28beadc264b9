// routecore/push_relabel_recover.h — push-relabel phase 2: from a maximum preflow to a flow.
//
// PushRelabel::recover_flow, which returns the excess left by phase 1 to the sources. The
// contract (problem, invariants, complexity, references) is atop push_relabel.h, which
// includes this file at its end; never include it alone.
#pragma once

#include "routecore/push_relabel.h"

namespace routecore {

template <class Cap>
bool PushRelabel<Cap>::recover_flow(const Cancel* cancel) {
  auto* arcs = net_.arcs.get();
  const Cap* capacity = net_.capacity.get();
  const arc_id* first_out = net_.first_out;
  // Only nodes that cannot reach a sink take part; excess then moves only inside that closed
  // set or back to the sources, so the cut and the flow value of phase 1 stay intact. Every
  // node with excess is in it (its label is n), and so is every node upstream of one along
  // incoming flow (flow u -> v leaves residual v -> u, so if u reached a sink, v would). With
  // integer capacities that is exact and no test is needed; with doubles a global relabelling
  // marks the set, so that rounding cannot lead the search outside it.
  if constexpr (!std::is_integral_v<Cap>) global_relabel();
  auto in_region = [&](node_id u) {
    if constexpr (std::is_integral_v<Cap>) {
      return !is_terminal(u);
    } else {
      return !is_terminal(u) && label_[u] == n_;
    }
  };
  // The flow u -> v carried by the pair of v's arc a (u = head(a)). For double capacities it is
  // computed from both residuals by an expression that is exactly antisymmetric, so rounding can
  // never make a pair look like it carries flow both ways.
  auto inflow = [&](arc_id a) -> Cap {
    if constexpr (std::is_integral_v<Cap>) {
      return arcs[a].residual - capacity[a];
    } else {
      const arc_id s = arcs[a].sister;
      return ((arcs[a].residual - capacity[a]) - (arcs[s].residual - capacity[s])) / 2;
    }
  };
  // Reduce that flow (currently f) by delta <= f, rewriting both residuals from the new flow;
  // removing all of it restores them to their capacities exactly.
  auto reduce_inflow = [&](arc_id a, Cap delta, Cap f) {
    const arc_id s = arcs[a].sister;
    const Cap rest = delta >= f ? Cap{0} : f - delta;
    arcs[a].residual = capacity[a] + rest;
    arcs[s].residual = std::max<Cap>(capacity[s] - rest, 0);
  };
  enum : std::uint8_t { white, grey, black };
  ScratchArray<std::uint8_t> color(static_cast<std::size_t>(n_), white);
  std::vector<node_id> order;  // post-order of the search along incoming flow
  std::vector<node_id> stack;
  ScratchArray<node_id> stack_pos(static_cast<std::size_t>(n_));  // of grey nodes
  std::int64_t steps = 0;
  // A node's current arc only moves forward, even when a cancelled cycle sends the node back to
  // white: the arcs before it lead outside the region, to finished (black) nodes, or carry no
  // inflow, and cancelling only ever removes inflow. So each arc is passed over once.
  for (node_id v = 0; v < n_; ++v) nodes_[v].current = first_out[v];
  for (node_id root = 0; root < n_; ++root) {
    if (!in_region(root) || nodes_[root].excess <= 0 || color[root] != white) continue;
    color[root] = grey;
    stack_pos[root] = 0;
    stack.push_back(root);
    while (!stack.empty()) {
      if ((++steps & 4095) == 0 && cancel != nullptr && cancel->requested()) return false;
      const node_id v = stack.back();
      bool moved = false;
      for (arc_id a = nodes_[v].current; a < first_out[v + 1]; ++a) {
        const node_id u = net_.head[a];
        if (!in_region(u) || color[u] == black || !(inflow(a) > 0)) continue;
        nodes_[v].current = a;
        if (color[u] == white) {
          color[u] = grey;
          stack_pos[u] = static_cast<node_id>(stack.size());
          stack.push_back(u);
        } else {
          // u is on the stack: the flow runs u -> v -> (down the stack) -> u. Cancel the
          // smallest flow around the cycle, then resume the search at u.
          const auto j = static_cast<std::size_t>(stack_pos[u]);
          Cap delta = inflow(a);
          for (std::size_t i = j; i + 1 < stack.size(); ++i)
            delta = std::min(delta, inflow(nodes_[stack[i]].current));
          reduce_inflow(a, delta, inflow(a));
          for (std::size_t i = j; i + 1 < stack.size(); ++i) {
            const arc_id b = nodes_[stack[i]].current;
            reduce_inflow(b, delta, inflow(b));
          }
          for (std::size_t i = j + 1; i < stack.size(); ++i) color[stack[i]] = white;
          stack.resize(j + 1);
        }
        moved = true;
        break;
      }
      if (!moved) {
        color[v] = black;
        order.push_back(v);
        stack.pop_back();
        if (!stack.empty()) ++nodes_[stack.back()].current;
      }
    }
  }
  // Downstream nodes first: each returns its excess along its incoming flow.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const node_id v = *it;
    Cap ex = nodes_[v].excess;
    for (arc_id a = first_out[v]; a < first_out[v + 1] && ex > 0; ++a) {
      const Cap f = inflow(a);
      const node_id u = net_.head[a];
      if (!(f > 0) || !(in_region(u) || net_.terminal(u) == terminal_kind::source)) continue;
      const Cap delta = std::min(ex, f);
      reduce_inflow(a, delta, f);
      ex -= delta;
      if (!is_terminal(u)) nodes_[u].excess += delta;
    }
    nodes_[v].excess = ex;
  }
  return true;
}

}  // namespace routecore
