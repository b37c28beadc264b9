// routecore/boykov_kolmogorov.h — Boykov–Kolmogorov augmenting paths with reused search trees.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks, in a residual network built
//   by flow_network.h in its *folded* form: the edges joining a terminal to a node v are summed
//   into v's terminal residual tr(v) (> 0: capacity from the sources, < 0: to the sinks), and the
//   sources and sinks themselves have no arcs. This is the shape of vision / segmentation graphs
//   (a grid of pixels, each with a source and a sink capacity), where the algorithm is fastest.
//
// Method
//   Two search trees are kept between augmentations: S, grown from the nodes with tr > 0 along
//   arcs with positive residual, and T, grown backwards from the nodes with tr < 0. Every tree
//   node except a root stores its parent arc; tree invariants:
//     S:  residual(parent -> v) > 0, and the path to the root ends at a node with tr > 0;
//     T:  residual(v -> parent) > 0, and the path ends at a node with tr < 0;
//     no node is in both trees; capacity condition 0 <= residual on every arc.
//   growth       active nodes (FIFO) take free neighbours into their tree; an arc from an S node
//                to a T node closes a source-to-sink path;
//   augmentation pushes the bottleneck along that path (terminal residuals included); the
//                saturated tree arcs (or emptied root residuals) cut off subtrees whose roots
//                become orphans;
//   adoption     each orphan looks for a new parent in its own tree whose path still ends at a
//                terminal; an orphan without one becomes free, its children become orphans, and
//                its tree neighbours that could reach it become active again.
//   The flow stays a feasible flow throughout (no excess), so the final residual network is a
//   maximum flow and the trees give both canonical minimum cuts directly: S = nodes reachable
//   from the sources, T = nodes that reach a sink.
//   Heuristics from the authors' implementation notes: a node remembers its distance to the
//   root with a time stamp, so the origin check of an adoption stops at a node already verified
//   in the same round and prefers the closest parent; growth re-attaches a tree node to a
//   neighbour whose path is shorter.
//
// Complexity: O(m n^2 |C|) in the worst case (|C| = cut capacity); on vision graphs typically
// close to linear, which is why it beats push-relabel there.
// Reference
//   Y. Boykov, V. Kolmogorov. An experimental comparison of min-cut/max-flow algorithms for
//   energy minimization in vision. IEEE TPAMI 26(9), 2004.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "routecore/flow_network.h"
#include "routecore/parallel.h"

namespace routecore {

template <class Cap>
class BoykovKolmogorov {
 public:
  explicit BoykovKolmogorov(FlowNetwork<Cap>& net) : net_(net), n_(net.num_nodes) {
    assert(net.folded);
  }

  // Computes a maximum flow. Returns false when cancelled.
  bool run(const Cancel* cancel);

  Cap flow_value() const { return value_; }

  // side[v] = 1 for nodes reachable from the sources (S tree and the sources themselves).
  void source_side_closest_to_sources(std::span<std::uint8_t> side) const {
    for (node_id v = 0; v < n_; ++v)
      side[v] = (parent_[v] != free_node && !in_sink_tree_[v]) ? 1 : 0;
    for (node_id s : net_.sources) side[s] = 1;
  }

  // side[v] = 1 for nodes that cannot reach a sink (everything but the T tree and the sinks).
  void source_side_closest_to_sinks(std::span<std::uint8_t> side) const {
    for (node_id v = 0; v < n_; ++v)
      side[v] = (parent_[v] != free_node && in_sink_tree_[v]) ? 0 : 1;
    for (node_id t : net_.sinks) side[t] = 0;
  }

 private:
  // parent_ values besides arc ids (the arc from the node to its parent)
  static constexpr arc_id terminal_parent = -1;  // a root: tr != 0
  static constexpr arc_id orphan = -2;
  static constexpr arc_id free_node = -3;
  // next_ values
  static constexpr node_id not_queued = -1;
  static constexpr node_id queue_end = -2;
  static constexpr node_id none = -1;
  static constexpr std::int32_t infinite_distance = std::numeric_limits<std::int32_t>::max();

  void activate(node_id v) {
    if (next_[v] != not_queued) return;
    next_[v] = queue_end;
    if (queue_tail_ == none) {
      queue_head_ = v;
    } else {
      next_[queue_tail_] = v;
    }
    queue_tail_ = v;
  }

  node_id pop_active() {
    while (queue_head_ != none) {
      const node_id v = queue_head_;
      const node_id nx = next_[v];
      queue_head_ = nx == queue_end ? none : nx;
      if (queue_head_ == none) queue_tail_ = none;
      next_[v] = not_queued;
      if (parent_[v] != free_node) return v;
    }
    return none;
  }

  void make_orphan(node_id v) {
    parent_[v] = orphan;
    orphans_.push_back(v);
  }

  void augment(node_id s_end, arc_id middle);
  template <bool kSinkTree>
  void adopt(node_id v);

  FlowNetwork<Cap>& net_;
  node_id n_;
  Cap value_ = 0;
  std::vector<arc_id> parent_;              // arc to the parent, or one of the markers above
  std::vector<std::uint8_t> in_sink_tree_;  // tree of a non-free node: 0 = S, 1 = T
  std::vector<node_id> next_;               // FIFO of active nodes, linked through next_
  std::vector<std::int32_t> stamp_;         // round in which dist_ was last verified
  std::vector<std::int32_t> dist_;          // arcs to the root (root = 1) as of stamp_
  node_id queue_head_ = none, queue_tail_ = none;
  std::int32_t time_ = 0;
  std::vector<node_id> orphans_;
};

template <class Cap>
bool BoykovKolmogorov<Cap>::run(const Cancel* cancel) {
  parent_.assign(n_, free_node);
  in_sink_tree_.assign(n_, 0);
  next_.assign(n_, not_queued);
  stamp_.assign(n_, 0);
  dist_.assign(n_, 0);
  queue_head_ = queue_tail_ = none;
  time_ = 0;
  orphans_.clear();
  value_ = net_.direct_flow;
  Cap* tr = net_.terminal_residual.data();
  for (node_id v = 0; v < n_; ++v) {
    // Flow straight from the sources through v to the sinks needs no search.
    value_ += std::min(net_.source_cap[v], net_.sink_cap[v]);
    if (tr[v] != 0) {
      parent_[v] = terminal_parent;
      in_sink_tree_[v] = tr[v] < 0 ? 1 : 0;
      dist_[v] = 1;
      activate(v);
    }
  }

  auto* arcs = net_.arcs.data();
  const arc_id* first_out = net_.first_out.data();
  node_id current = none;
  std::int64_t steps = 0;
  for (;;) {
    if ((++steps & 1023) == 0 && cancel != nullptr && cancel->requested()) return false;
    node_id v = current;
    current = none;
    if (v == none || parent_[v] == free_node) {
      v = pop_active();
      if (v == none) break;
    }
    // Growth: scan v's arcs for free nodes and for the other tree.
    node_id s_end = none;
    arc_id middle = -1;
    if (!in_sink_tree_[v]) {
      for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
        if (arcs[a].residual <= 0) continue;
        const node_id w = arcs[a].head;
        if (parent_[w] == free_node) {
          parent_[w] = arcs[a].sister;
          in_sink_tree_[w] = 0;
          stamp_[w] = stamp_[v];
          dist_[w] = dist_[v] + 1;
          activate(w);
        } else if (in_sink_tree_[w]) {
          s_end = v;
          middle = a;
          break;
        } else if (stamp_[w] <= stamp_[v] && dist_[w] > dist_[v] && parent_[w] >= 0) {
          parent_[w] = arcs[a].sister;
          stamp_[w] = stamp_[v];
          dist_[w] = dist_[v] + 1;
        }
      }
    } else {
      for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
        const arc_id back = arcs[a].sister;  // w -> v
        if (arcs[back].residual <= 0) continue;
        const node_id w = arcs[a].head;
        if (parent_[w] == free_node) {
          parent_[w] = back;
          in_sink_tree_[w] = 1;
          stamp_[w] = stamp_[v];
          dist_[w] = dist_[v] + 1;
          activate(w);
        } else if (!in_sink_tree_[w]) {
          s_end = w;
          middle = back;
          break;
        } else if (stamp_[w] <= stamp_[v] && dist_[w] > dist_[v] && parent_[w] >= 0) {
          parent_[w] = back;
          stamp_[w] = stamp_[v];
          dist_[w] = dist_[v] + 1;
        }
      }
    }
    ++time_;
    if (middle < 0) continue;  // v has no free or opposite neighbour left: inactive

    current = v;  // v may have more to offer after this augmentation
    augment(s_end, middle);
    // Adoption, first in, first out; orphans created meanwhile join the queue.
    for (std::size_t i = 0; i < orphans_.size(); ++i) {
      const node_id o = orphans_[i];
      if (in_sink_tree_[o]) {
        adopt<true>(o);
      } else {
        adopt<false>(o);
      }
    }
    orphans_.clear();
  }
  return true;
}

template <class Cap>
void BoykovKolmogorov<Cap>::augment(node_id s_end, arc_id middle) {
  auto* arcs = net_.arcs.data();
  Cap* tr = net_.terminal_residual.data();
  // Bottleneck: the middle arc, the S path (parent -> child arcs) and the T path.
  Cap bottleneck = arcs[middle].residual;
  node_id u = s_end;
  for (arc_id p; (p = parent_[u]) != terminal_parent; u = arcs[p].head)
    bottleneck = std::min(bottleneck, arcs[arcs[p].sister].residual);
  bottleneck = std::min(bottleneck, tr[u]);
  u = arcs[middle].head;
  for (arc_id p; (p = parent_[u]) != terminal_parent; u = arcs[p].head)
    bottleneck = std::min(bottleneck, arcs[p].residual);
  bottleneck = std::min(bottleneck, -tr[u]);

  arcs[middle].residual -= bottleneck;
  arcs[arcs[middle].sister].residual += bottleneck;
  u = s_end;
  for (;;) {
    const arc_id p = parent_[u];
    if (p == terminal_parent) {
      tr[u] -= bottleneck;
      if (tr[u] == 0) make_orphan(u);
      break;
    }
    auto& down = arcs[arcs[p].sister];  // parent -> u
    down.residual -= bottleneck;
    arcs[p].residual += bottleneck;
    const node_id up = arcs[p].head;
    if (down.residual == 0) make_orphan(u);
    u = up;
  }
  u = arcs[middle].head;
  for (;;) {
    const arc_id p = parent_[u];
    if (p == terminal_parent) {
      tr[u] += bottleneck;
      if (tr[u] == 0) make_orphan(u);
      break;
    }
    auto& up_arc = arcs[p];  // u -> parent
    up_arc.residual -= bottleneck;
    arcs[up_arc.sister].residual += bottleneck;
    const node_id up = up_arc.head;
    if (up_arc.residual == 0) make_orphan(u);
    u = up;
  }
  value_ += bottleneck;
}

template <class Cap>
template <bool kSinkTree>
void BoykovKolmogorov<Cap>::adopt(node_id v) {
  auto* arcs = net_.arcs.data();
  const arc_id* first_out = net_.first_out.data();
  // Residual of the would-be tree arc between v and its neighbour along arc a (v -> w).
  auto tree_residual = [&](arc_id a) {
    return kSinkTree ? arcs[a].residual : arcs[arcs[a].sister].residual;
  };
  arc_id best = -1;
  std::int32_t best_dist = infinite_distance;
  for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
    if (tree_residual(a) <= 0) continue;
    const node_id w = arcs[a].head;
    if (parent_[w] == free_node || in_sink_tree_[w] != static_cast<std::uint8_t>(kSinkTree))
      continue;
    // Does w's path still end at a terminal? Walk up until a node verified in this round.
    std::int32_t d = 0;
    node_id x = w;
    for (;;) {
      if (stamp_[x] == time_) {
        d += dist_[x];
        break;
      }
      const arc_id p = parent_[x];
      ++d;
      if (p == terminal_parent) {
        stamp_[x] = time_;
        dist_[x] = 1;
        break;
      }
      if (p == orphan) {
        d = infinite_distance;
        break;
      }
      x = arcs[p].head;
    }
    if (d == infinite_distance) continue;
    if (d < best_dist) {
      best = a;
      best_dist = d;
    }
    for (x = w; stamp_[x] != time_; x = arcs[parent_[x]].head) {
      stamp_[x] = time_;
      dist_[x] = d--;
    }
  }
  if (best >= 0) {
    parent_[v] = best;
    stamp_[v] = time_;
    dist_[v] = best_dist + 1;
    return;
  }
  // No valid parent: v becomes free.
  for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
    const node_id w = arcs[a].head;
    const arc_id p = parent_[w];
    if (p == free_node || in_sink_tree_[w] != static_cast<std::uint8_t>(kSinkTree)) continue;
    if (tree_residual(a) > 0) activate(w);
    if (p >= 0 && arcs[p].head == v) make_orphan(w);
  }
  parent_[v] = free_node;
}

}  // namespace routecore
