// routecore/push_relabel.h — highest-label push-relabel with global relabelling and gaps.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks in a residual network built by
//   residual_network.h in its explicit terminal form (sources and sinks are nodes with arcs).
//
// Method (Goldberg & Tarjan's push-relabel, in the two-phase form of Cherkassky & Goldberg)
//   Phase 1 computes a maximum *preflow*. It keeps
//     capacity condition   0 <= residual(a) for every arc (flow never exceeds capacity);
//     preflow condition    excess(v) = inflow - outflow >= 0 at every non-source node;
//     valid labelling      label(u) <= label(v) + 1 for every arc u->v with positive residual,
//                          label = 0 at sinks and label = n at sources.
//   So a node with label < n is at most label(v) arcs from a sink, and no residual path leads
//   from a source to a sink. An *active* node (label < n, excess > 0) is discharged; an arc
//   u->v is admissible when it has residual and label(u) == label(v) + 1. Discharging is done by
//   partial augment-relabel (Goldberg 2008): from the active node, a path of admissible arcs is
//   grown through the current-arc pointers; a node on it without admissible arc is relabelled
//   to 1 + the lowest label among its residual neighbours and the path steps back; once the path
//   reaches a sink, an active node, or 2 arcs, the excess is pushed along it, each arc taking
//   as much as it can of what the arc before brought (Goldberg pushes the path's bottleneck;
//   what an arc cannot take here stays at its tail, which becomes active: see discharge). This
//   moves excess two arcs per operation instead of one push (and one queue visit) per arc.
//   Heuristics:
//     highest label first  the active node with the largest label is discharged next (buckets by
//                          label; O(n^2 sqrt(m)) pushes);
//     global relabelling   labels are reset to exact distances to the sinks by a backward
//                          breadth-first search at the start and whenever relabelling work since
//                          the last one exceeds a multiple of 6n + m; nodes that cannot reach a
//                          sink get label n and leave the computation; a node met with excess
//                          pushes along the arc that reached it (OR-Tools' max-flow does this);
//     gap                  when the last node with label d is relabelled, every node with a label
//                          of d or more can no longer reach a sink and gets label n at once.
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
//   A. V. Goldberg. The partial augment-relabel algorithm for the maximum flow problem. ESA 2008.
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "routecore/parallel.h"
#include "routecore/residual_network.h"

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
    clear_reverse_open();
    global_relabel</*first=*/true>();
    std::int64_t steps = 0;
    const std::int64_t update_every =
        global_update_factor *
        (static_cast<std::int64_t>(global_update_alpha) * n_ + static_cast<std::int64_t>(m()));
    while (max_active_ > 0) {
      const node_id v = active_head_[max_active_];
      if (v == none) {
        --max_active_;
        continue;
      }
      active_head_[max_active_] = nodes_[v].next_active;
      nodes_[v].next_active = unlisted;
      if (nodes_[v].excess > 0) discharge(v);
      if (work_ > update_every) {
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
    for (node_id t : net_.sinks()) value += nodes_[t].excess;
    return value;
  }

  // Phase 2: turns the maximum preflow into a maximum flow. Returns false when cancelled.
  bool recover_flow(const Cancel* cancel);

  // Relabellings done by phase 1 (gaps and global relabellings not counted): the tests bound
  // the work on the families built to be hard for push-relabel with it.
  std::int64_t relabels() const { return relabels_; }

 private:
  static constexpr node_id none = -1;
  // next_active of a node on no active stack. Membership is kept apart from the excess: with
  // double capacities a large push can absorb a listed node's small excess (e + d - d == 0 in
  // floating point), and a node listed with zero excess must not be listed a second time when
  // excess reaches it again (that made a stack a cycle, and phase 1 never ended).
  static constexpr node_id unlisted = -2;
  // Global relabelling after global_update_factor * (alpha * n + m) units of relabelling work,
  // where one relabel costs relabel_cost plus the node's degree (values from Cherkassky &
  // Goldberg's study).
  static constexpr std::int64_t global_update_alpha = 6;
  static constexpr std::int64_t global_update_factor = 2;
  static constexpr std::int64_t relabel_cost = 12;
  // Longest path of one partial augmentation (Goldberg 2008 found small constants best). 2 was
  // the best compromise on our max-flow benchmark families: 1 (plain pushes) loses badly on
  // GENRMF-like layered graphs, and longer paths do worse on most families.
  static constexpr std::size_t path_length = 2;

  // Everything discharge touches about a node, in one place.
  struct Node {
    Cap excess;           // inflow - outflow; at sinks, the flow delivered
    arc_id current;       // first arc that may still be admissible
    node_id next_active;  // stack of active nodes with this label
    node_id next, prev;   // list of all listed nodes with this label
  };

  arc_id m() const { return net_.first_out[n_]; }
  bool is_terminal(node_id v) const { return net_.terminal(v) != terminal_kind::none; }

  void init() {
    nodes_ = make_scratch_buffer<Node>(static_cast<std::size_t>(n_));
    label_ = make_scratch_buffer<node_id>(static_cast<std::size_t>(n_));
    for (node_id v = 0; v < n_; ++v) {
      nodes_[v] = Node{0, net_.first_out[v], unlisted, none, none};
      label_[v] = n_;
    }
    for (node_id t : net_.sinks()) label_[t] = 0;
    active_head_ = ScratchArray<node_id>(static_cast<std::size_t>(n_) + 1, none);
    all_head_ = ScratchArray<node_id>(static_cast<std::size_t>(n_) + 1, none);
    queue_ = ScratchArray<node_id>(static_cast<std::size_t>(n_));
    max_active_ = 0;
    max_label_ = 0;
    work_ = 0;
  }

  void saturate_source_arcs() {
    auto* arcs = net_.arcs.get();
    for (node_id s : net_.sources()) {
      for (arc_id a = net_.begin(s); a < net_.end(s); ++a) {
        const Cap r = arcs[a].residual;
        if (r <= 0) continue;
        arcs[a].residual = 0;
        arcs[arcs[a].sister].residual += r;
        nodes_[net_.head[a]].excess += r;
      }
    }
  }

  void add_active(node_id v, node_id d) {
    if (nodes_[v].next_active != unlisted) return;  // on a stack already
    nodes_[v].next_active = active_head_[d];
    active_head_[d] = v;
    if (d > max_active_) max_active_ = d;
  }

  void add_to_bucket(node_id v, node_id d) {
    const node_id h = all_head_[d];
    nodes_[v].next = h;
    nodes_[v].prev = none;
    if (h != none) nodes_[h].prev = v;
    all_head_[d] = v;
  }

  void remove_from_bucket(node_id v, node_id d) {
    const node_id p = nodes_[v].prev;
    const node_id x = nodes_[v].next;
    if (p != none) {
      nodes_[p].next = x;
    } else {
      all_head_[d] = x;
    }
    if (x != none) nodes_[x].prev = p;
  }

  // reverse_open_ starts all closed; the first global relabelling sets it for the arcs it
  // scans (see there), which is every arc it will ever be read for.
  void clear_reverse_open() {
    const auto m = static_cast<std::size_t>(net_.num_arcs);
    if (!reverse_open_) reverse_open_ = make_scratch_buffer<std::uint8_t>(m);
    std::fill_n(reverse_open_.get(), m, std::uint8_t{0});
  }

  // Exact distances to the sinks by backward breadth-first search; rebuilds the buckets.
  // A node met with excess first pushes what it can along the arc that reached it (admissible
  // under the new labels), an idea from OR-Tools' max-flow (generic_max_flow.h).
  // The first one also fills reverse_open_ for the arcs of the nodes it reaches, from their
  // sisters' residuals, instead of a separate pass over all arcs. Only those arcs are ever read
  // later: a node it does not reach gets label n, which never decreases, and as labels stay
  // valid (label(u) <= label(v) + 1 along residual arcs, 0 at the sinks) a node with label n
  // can never reach a sink again, so no later search reaches it.
  template <bool first = false>
  void global_relabel() {
    for (node_id d = 0; d <= max_label_; ++d) {
      active_head_[d] = none;
      all_head_[d] = none;
    }
    for (node_id v = 0; v < n_; ++v) {
      if (!is_terminal(v)) label_[v] = n_;
      nodes_[v].next_active = unlisted;
    }
    max_active_ = 0;
    max_label_ = 0;
    auto* arcs = net_.arcs.get();
    const node_id* head = net_.head;
    const arc_id* first_out = net_.first_out;
    std::uint8_t* reverse_open = reverse_open_.get();
    std::size_t tail = 0;
    for (node_id t : net_.sinks()) queue_[tail++] = t;
    for (std::size_t i = 0; i < tail; ++i) {
      const node_id v = queue_[i];
      const node_id dw = label_[v] + 1;
      for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
        if constexpr (first) reverse_open[a] = arcs[arcs[a].sister].residual > 0;
        if (!reverse_open[a]) continue;
        const node_id w = head[a];
        if (label_[w] != n_ || is_terminal(w)) continue;
        Node& nw = nodes_[w];
        if (nw.excess > 0) {
          const arc_id back = arcs[a].sister;  // w -> v
          const Cap delta = std::min(nw.excess, arcs[back].residual);
          arcs[back].residual -= delta;
          arcs[a].residual += delta;
          reverse_open[a] = arcs[back].residual > 0;
          reverse_open[back] = 1;
          nw.excess -= delta;
          nodes_[v].excess += delta;
          if (!reverse_open[a]) continue;  // saturated: w is not reached this way
        }
        label_[w] = dw;
        nw.current = first_out[w];
        queue_[tail++] = w;
        add_to_bucket(w, dw);
        max_label_ = dw;
      }
    }
    // Excess may have moved during the search, so the active stacks are filled afterwards.
    for (std::size_t i = net_.sinks().size(); i < tail; ++i) {
      const node_id v = queue_[i];
      if (nodes_[v].excess > 0) add_active(v, label_[v]);
    }
  }

  // Every node with a label of d or more can no longer reach a sink (d has one node left, and
  // along a residual path labels drop by at most one per arc). With partial augment-relabel the
  // gap can open below the node being discharged, so active nodes may be cut off too: they keep
  // their excess (for phase 2) and leave the active stacks.
  void gap(node_id d) {
    for (node_id e = d; e <= max_label_; ++e) {
      for (node_id v = all_head_[e]; v != none; v = nodes_[v].next) {
        label_[v] = n_;
        nodes_[v].next_active = unlisted;
      }
      all_head_[e] = none;
      active_head_[e] = none;
    }
    max_label_ = d - 1;
  }

  // Relabels u, which is on no active stack. Returns false when u was the last node with its
  // label: then a gap cut off u and every node above it (labels set to n).
  bool relabel(node_id u) {
    const auto* arcs = net_.arcs.get();
    const node_id* head = net_.head;
    node_id* label = label_.get();
    const node_id du = label[u];
    if (all_head_[du] == u && nodes_[u].next == none) {
      gap(du);
      return false;
    }
    remove_from_bucket(u, du);
    const arc_id begin = net_.first_out[u];
    const arc_id end = net_.first_out[u + 1];
    node_id lowest = n_;
    arc_id lowest_arc = end;
    for (arc_id b = begin; b < end; ++b) {
      if (arcs[b].residual > 0 && label[head[b]] < lowest) {
        lowest = label[head[b]];
        lowest_arc = b;
      }
    }
    work_ += relabel_cost + (end - begin);
    ++relabels_;
    if (lowest >= n_ - 1) {
      label[u] = n_;
      return true;
    }
    label[u] = lowest + 1;
    nodes_[u].current = lowest_arc;
    add_to_bucket(u, lowest + 1);
    if (lowest + 1 > max_label_) max_label_ = lowest + 1;
    return true;
  }

  // The first arc in [a, end) with residual whose head has label `below`, or end. Past the
  // current arc it tests 4 arcs per step into a bit mask: one at a time, the loop mispredicts
  // often, as whether an arc is admissible follows no pattern (wider steps did worse).
  arc_id first_admissible(arc_id a, arc_id end, node_id below) const {
    const auto* arcs = net_.arcs.get();
    const node_id* head = net_.head;
    const node_id* label = label_.get();
    if (a >= end) return end;
    // The current arc usually stays admissible until it saturates: test it alone first.
    if (arcs[a].residual > 0 && label[head[a]] == below) return a;
    ++a;
    while (a < end) {
      const arc_id stop = std::min<arc_id>(end, a + 4);
      unsigned mask = 0;
      for (arc_id b = a; b < stop; ++b) {
        mask |= static_cast<unsigned>((arcs[b].residual > 0) & (label[head[b]] == below))
                << (b - a);
      }
      if (mask != 0) return a + std::countr_zero(mask);
      a = stop;
    }
    return end;
  }

  // Discharges the active node v by partial augment-relabel: grow a path of admissible arcs
  // from v (current arcs, relabelling dead ends and stepping back), and push min(excess(v),
  // bottleneck) along it once it reaches a sink, an active node without an admissible arc, or
  // path_length arcs. Repeats until v has no excess or cannot reach a sink.
  void discharge(node_id v) {
    auto* arcs = net_.arcs.get();
    const node_id* head = net_.head;
    const arc_id* first_out = net_.first_out;
    Node* nodes = nodes_.get();
    std::uint8_t* reverse_open = reverse_open_.get();
    node_id* label = label_.get();
    arc_id path[path_length];  // the partial augmenting path (arcs from v)
    std::size_t len = 0;
    node_id u = v;
    for (;;) {
      if (label[v] >= n_) return;
      const node_id du = label[u];
      arc_id a = nodes[u].current;
      const arc_id end = first_out[u + 1];
      a = first_admissible(a, end, du - 1);
      nodes[u].current = a;
      if (a < end) {
        path[len++] = a;
        // Label 0 is held by the sinks only.
        if (du > 1 && len < path_length) {
          u = head[a];
          continue;
        }
      } else if (u == v || nodes[u].excess == 0) {
        if (!relabel(u)) return;  // gap: v is cut off as well
        if (u == v) {
          if (label[v] > max_active_ && label[v] < n_) max_active_ = label[v];
        } else {
          --len;
          u = len == 0 ? v : head[path[len - 1]];
        }
        continue;
      }
      // Push along the path (ending at a sink, at length path_length, or at an active node
      // that has nowhere to push: it is discharged in its turn), each arc as much as it takes
      // of what the previous one brought: what an arc cannot take stays at its tail, which
      // becomes active. (Pushing only the path's bottleneck from v instead leaves the rest at
      // v while the node behind the first arc, emptied, has no admissible arc: the two then
      // relabel each other up two at a time, up to the label of the next way out. On the AK
      // family that cost one relabelling per augmentation, quadratic in all.)
      Cap delta = nodes[v].excess;
      node_id from = v;
      for (std::size_t i = 0; i < len; ++i) {
        const arc_id b = path[i];
        delta = std::min(delta, arcs[b].residual);
        arcs[b].residual -= delta;
        arcs[arcs[b].sister].residual += delta;
        reverse_open[arcs[b].sister] = arcs[b].residual > 0;
        reverse_open[b] = 1;
        const node_id to = head[b];
        nodes[from].excess -= delta;
        // Labels fall by one along the path and only the sinks have label 0, so every node
        // but the last has a positive label, and `to` is never v.
        const bool stays = i + 1 == len || arcs[path[i + 1]].residual < delta;
        if (stays && label[to] > 0) add_active(to, label[to]);
        nodes[to].excess += delta;
        from = to;
      }
      if (nodes[v].excess == 0) return;
      len = 0;
      u = v;
    }
  }

  FlowNetwork<Cap>& net_;
  node_id n_;
  ScratchBuffer<Node> nodes_;
  // Valid labelling: label(u) <= label(v) + 1 on residual arcs; 0 at the sinks, n at the
  // sources and at nodes that can no longer reach a sink. Kept apart from Node so the label
  // tests of pushes and of the backward search touch a compact array.
  ScratchBuffer<node_id> label_;
  // Per label: a stack of active nodes (label < n, excess > 0, linked by next_active) and a
  // doubly linked list of all non-terminal nodes with that label (next/prev). The node being
  // discharged is on no stack but stays in its list.
  ScratchArray<node_id> active_head_, all_head_;
  node_id max_active_ = 0;  // no active node has a higher label (0: none, sinks have label 0)
  node_id max_label_ = 0;   // no listed node has a higher label
  std::int64_t work_ = 0;   // relabelling work since the last global relabelling
  std::int64_t relabels_ = 0;
  ScratchArray<node_id> queue_;
  // reverse_open_[a] == 1 iff sister(a) has positive residual, i.e. arc a's head can reach its
  // tail, for every arc of a node that the first global relabelling reached (0 elsewhere; see
  // global_relabel). Kept up to date by every push, so the backward search of a global
  // relabelling reads it sequentially instead of visiting every sister arc.
  ScratchBuffer<std::uint8_t> reverse_open_;
};

}  // namespace routecore

#include "routecore/push_relabel_recover.h"  // IWYU pragma: export
