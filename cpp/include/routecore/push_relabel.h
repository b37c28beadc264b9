// routecore/push_relabel.h — highest-label push-relabel with global relabelling and gaps.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks in a residual network built by
//   flow_network.h in its explicit terminal form (sources and sinks are nodes with arcs).
//
// Method (Goldberg & Tarjan's push-relabel, in the two-phase form of Cherkassky & Goldberg)
//   Phase 1 computes a maximum *preflow*. It keeps
//     capacity condition   0 <= residual(a) for every arc (flow never exceeds capacity);
//     preflow condition    excess(v) = inflow - outflow >= 0 at every non-source node;
//     valid labelling      label(u) <= label(v) + 1 for every arc u->v with positive residual,
//                          label = 0 at sinks and label = n at sources.
//   So a node with label < n is at most label(v) arcs from a sink, and no residual path leads
//   from a source to a sink. An *active* node (label < n, excess > 0) is discharged: it pushes
//   excess along admissible arcs (label(u) == label(v) + 1) and, when none is left, is relabelled
//   to 1 + the lowest label among its residual neighbours. Heuristics:
//     highest label first  the active node with the largest label is discharged next (buckets by
//                          label; O(n^2 sqrt(m)) pushes);
//     global relabelling   labels are reset to exact distances to the sinks by a backward
//                          breadth-first search at the start and whenever relabelling work since
//                          the last one exceeds a multiple of 6n + m; nodes that cannot reach a
//                          sink get label n and leave the computation;
//     gap                  when the last node with label d is relabelled, every node with a label
//                          above d can no longer reach a sink and gets label n at once.
//   Phase 1 ends when no node with label < n holds excess: the excess gathered at the sinks is
//   the maximum flow value, and the nodes that cannot reach a sink in the residual network form
//   the source side of a minimum cut (min_cut.h, "closest to the sinks").
//
//   Phase 2 (only when per-edge flows are wanted) returns the excess stranded at nodes that
//   cannot reach a sink to the sources, turning the preflow into a flow without changing the
//   value: a depth-first search along incoming flow from every node with excess cancels the flow
//   cycles it meets (reducing flow around the cycle by its smallest arc flow), which leaves the
//   flow on these nodes acyclic; in the resulting topological order, from the downstream end,
//   each node pushes its excess back along its incoming flow.
//
// Input: a FlowNetwork built with folded == false. Output: residuals of a maximum preflow
// (after run_max_preflow) or flow (after recover_flow) left in the network.
// Complexity: O(n^2 sqrt(m)) for phase 1, O(n m) worst case for phase 2 (linear in practice).
// References
//   A. V. Goldberg, R. E. Tarjan. A new approach to the maximum-flow problem. JACM 35(4), 1988.
//   B. V. Cherkassky, A. V. Goldberg. On implementing the push-relabel method for the maximum
//   flow problem. Algorithmica 19, 1997.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "routecore/flow_network.h"
#include "routecore/parallel.h"

namespace routecore {

template <class Cap>
class PushRelabel {
 public:
  explicit PushRelabel(FlowNetwork<Cap>& net) : net_(net), n_(net.num_nodes) {
    assert(!net.folded);
  }

  // Phase 1. Returns false when cancelled (the network is then in an unspecified state).
  bool run_max_preflow(const Cancel* cancel) {
    init();
    saturate_source_arcs();
    global_relabel();
    std::int64_t steps = 0;
    const std::int64_t update_every =
        static_cast<std::int64_t>(global_update_alpha) * n_ + static_cast<std::int64_t>(m());
    while (max_active_ > 0) {
      const node_id v = active_head_[max_active_];
      if (v == none) {
        --max_active_;
        continue;
      }
      active_head_[max_active_] = next_[v];
      discharge(v);
      if (work_ > update_every * global_update_factor) {
        global_relabel();
        work_ = 0;
      }
      if ((++steps & 1023) == 0 && cancel != nullptr && cancel->requested()) return false;
    }
    return true;
  }

  // The value of the current preflow: the excess gathered at the sinks.
  Cap flow_value() const {
    Cap value = 0;
    for (node_id t : net_.sinks) value += excess_[t];
    return value;
  }

  // Phase 2: turns the maximum preflow into a maximum flow. Returns false when cancelled.
  bool recover_flow(const Cancel* cancel);

 private:
  static constexpr node_id none = -1;
  // Global relabelling after global_update_factor * (alpha * n + m) units of relabelling work,
  // where one relabel costs relabel_cost plus the node's degree (values from Cherkassky &
  // Goldberg's study).
  static constexpr int global_update_alpha = 6;
  static constexpr int global_update_factor = 2;
  static constexpr int relabel_cost = 12;

  arc_id m() const { return net_.first_out[n_]; }
  bool is_terminal(node_id v) const { return net_.terminal[v] != terminal_kind::none; }

  void init() {
    label_.assign(n_, n_);
    excess_.assign(n_, 0);
    current_.assign(net_.first_out.begin(), net_.first_out.end() - 1);
    next_.assign(n_, none);
    prev_.assign(n_, none);
    active_head_.assign(static_cast<std::size_t>(n_) + 1, none);
    inactive_head_.assign(static_cast<std::size_t>(n_) + 1, none);
    queue_.resize(n_);
    for (node_id t : net_.sinks) label_[t] = 0;
    max_active_ = 0;
    max_label_ = 0;
    work_ = 0;
  }

  void saturate_source_arcs() {
    auto* arcs = net_.arcs.data();
    for (node_id s : net_.sources) {
      for (arc_id a = net_.begin(s); a < net_.end(s); ++a) {
        const Cap r = arcs[a].residual;
        if (r <= 0) continue;
        arcs[a].residual = 0;
        arcs[arcs[a].sister].residual += r;
        excess_[arcs[a].head] += r;
      }
    }
  }

  void add_active(node_id v, node_id d) {
    next_[v] = active_head_[d];
    active_head_[d] = v;
    if (d > max_active_) max_active_ = d;
  }

  void add_inactive(node_id v, node_id d) {
    const node_id h = inactive_head_[d];
    next_[v] = h;
    prev_[v] = none;
    if (h != none) prev_[h] = v;
    inactive_head_[d] = v;
  }

  void remove_inactive(node_id v, node_id d) {
    const node_id p = prev_[v];
    const node_id x = next_[v];
    if (p != none) {
      next_[p] = x;
    } else {
      inactive_head_[d] = x;
    }
    if (x != none) prev_[x] = p;
  }

  // Exact distances to the sinks by backward breadth-first search; rebuilds the buckets.
  void global_relabel() {
    for (node_id d = 0; d <= max_label_; ++d) {
      active_head_[d] = none;
      inactive_head_[d] = none;
    }
    for (node_id v = 0; v < n_; ++v) {
      if (!is_terminal(v)) label_[v] = n_;
    }
    max_active_ = 0;
    max_label_ = 0;
    const auto* arcs = net_.arcs.data();
    const arc_id* first_out = net_.first_out.data();
    std::size_t tail = 0;
    for (node_id t : net_.sinks) queue_[tail++] = t;
    for (std::size_t i = 0; i < tail; ++i) {
      const node_id v = queue_[i];
      const node_id dw = label_[v] + 1;
      for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
        const node_id w = arcs[a].head;
        if (label_[w] != n_ || arcs[arcs[a].sister].residual <= 0 || is_terminal(w)) continue;
        label_[w] = dw;
        current_[w] = first_out[w];
        queue_[tail++] = w;
        if (excess_[w] > 0) {
          add_active(w, dw);
        } else {
          add_inactive(w, dw);
        }
        max_label_ = dw;
      }
    }
  }

  // Every node with a label above d can no longer reach a sink (d's bucket is empty).
  void gap(node_id d) {
    for (node_id e = d + 1; e <= max_label_; ++e) {
      for (node_id v = inactive_head_[e]; v != none; v = next_[v]) label_[v] = n_;
      inactive_head_[e] = none;
      assert(active_head_[e] == none);
    }
    max_label_ = d - 1;
  }

  void discharge(node_id v) {
    auto* arcs = net_.arcs.data();
    const arc_id* first_out = net_.first_out.data();
    node_id* label = label_.data();
    Cap* excess = excess_.data();
    node_id dv = label[v];
    Cap ex = excess[v];
    arc_id a = current_[v];
    const arc_id end = first_out[v + 1];
    for (;;) {
      for (; a < end; ++a) {
        ResidualArc<Cap>& arc = arcs[a];
        if (arc.residual <= 0) continue;
        const node_id w = arc.head;
        if (label[w] != dv - 1) continue;
        const Cap delta = std::min(ex, arc.residual);
        arc.residual -= delta;
        arcs[arc.sister].residual += delta;
        if (excess[w] == 0 && !is_terminal(w)) {
          remove_inactive(w, dv - 1);
          add_active(w, dv - 1);
        }
        excess[w] += delta;
        ex -= delta;
        if (ex == 0) break;
      }
      if (ex == 0) {
        excess[v] = 0;
        current_[v] = a;
        add_inactive(v, dv);
        return;
      }
      excess[v] = ex;
      // No admissible arc left: relabel, unless v was the last node with its label.
      if (active_head_[dv] == none && inactive_head_[dv] == none) {
        gap(dv);
        label[v] = n_;
        return;
      }
      node_id lowest = n_;
      arc_id lowest_arc = end;
      const arc_id begin = first_out[v];
      for (arc_id b = begin; b < end; ++b) {
        if (arcs[b].residual > 0 && label[arcs[b].head] < lowest) {
          lowest = label[arcs[b].head];
          lowest_arc = b;
        }
      }
      work_ += relabel_cost + (end - begin);
      if (lowest >= n_ - 1) {
        label[v] = n_;
        return;
      }
      dv = lowest + 1;
      label[v] = dv;
      if (dv > max_label_) max_label_ = dv;
      if (dv > max_active_) max_active_ = dv;
      a = lowest_arc;
    }
  }

  FlowNetwork<Cap>& net_;
  node_id n_;
  std::vector<node_id> label_;   // valid labelling; n = cannot reach a sink (or a source)
  std::vector<Cap> excess_;      // inflow - outflow; at sinks, the flow delivered
  std::vector<arc_id> current_;  // first arc of v that may still be admissible
  // Bucket lists by label for nodes with label < n: active nodes in a singly linked stack,
  // inactive nodes in a doubly linked list (next_/prev_ shared, a node is in at most one list;
  // the node being discharged is in none).
  std::vector<node_id> next_, prev_;
  std::vector<node_id> active_head_, inactive_head_;
  node_id max_active_ = 0;  // no active node has a higher label (0: none, sinks have label 0)
  node_id max_label_ = 0;   // no listed node has a higher label
  std::int64_t work_ = 0;   // relabelling work since the last global relabelling
  std::vector<node_id> queue_;
};

template <class Cap>
bool PushRelabel<Cap>::recover_flow(const Cancel* cancel) {
  auto* arcs = net_.arcs.data();
  const Cap* capacity = net_.capacity.data();
  const arc_id* first_out = net_.first_out.data();
  // Only nodes that cannot reach a sink take part (in exact arithmetic every node upstream of
  // an excess is one of them); excess then moves only inside that closed set or back to the
  // sources, so the cut and the flow value of phase 1 stay intact.
  global_relabel();
  auto in_region = [&](node_id u) { return !is_terminal(u) && label_[u] == n_; };
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
  std::vector<std::uint8_t> color(n_, white);
  std::vector<node_id> order;  // post-order of the search along incoming flow
  std::vector<node_id> stack;
  std::int64_t steps = 0;
  for (node_id root = 0; root < n_; ++root) {
    if (!in_region(root) || excess_[root] <= 0 || color[root] != white) continue;
    color[root] = grey;
    current_[root] = first_out[root];
    stack.push_back(root);
    while (!stack.empty()) {
      if ((++steps & 4095) == 0 && cancel != nullptr && cancel->requested()) return false;
      const node_id v = stack.back();
      bool moved = false;
      for (arc_id a = current_[v]; a < first_out[v + 1]; ++a) {
        const node_id u = arcs[a].head;
        if (!in_region(u) || color[u] == black || !(inflow(a) > 0)) continue;
        current_[v] = a;
        if (color[u] == white) {
          color[u] = grey;
          current_[u] = first_out[u];
          stack.push_back(u);
        } else {
          // u is on the stack: the flow runs u -> v -> (down the stack) -> u. Cancel the
          // smallest flow around the cycle, then resume the search at u.
          std::size_t j = stack.size() - 1;
          while (stack[j] != u) --j;
          Cap delta = inflow(a);
          for (std::size_t i = j; i + 1 < stack.size(); ++i)
            delta = std::min(delta, inflow(current_[stack[i]]));
          reduce_inflow(a, delta, inflow(a));
          for (std::size_t i = j; i + 1 < stack.size(); ++i) {
            const arc_id b = current_[stack[i]];
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
        if (!stack.empty()) ++current_[stack.back()];
      }
    }
  }
  // Downstream nodes first: each returns its excess along its incoming flow.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const node_id v = *it;
    Cap ex = excess_[v];
    for (arc_id a = first_out[v]; a < first_out[v + 1] && ex > 0; ++a) {
      const Cap f = inflow(a);
      const node_id u = arcs[a].head;
      if (!(f > 0) || !(in_region(u) || net_.terminal[u] == terminal_kind::source)) continue;
      const Cap delta = std::min(ex, f);
      reduce_inflow(a, delta, f);
      ex -= delta;
      if (!is_terminal(u)) excess_[u] += delta;
    }
    excess_[v] = ex;
  }
  return true;
}

}  // namespace routecore
