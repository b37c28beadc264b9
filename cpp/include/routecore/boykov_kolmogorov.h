// routecore/boykov_kolmogorov.h — Boykov–Kolmogorov augmenting paths with reused search trees.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks, in a residual network built
//   by residual_network.h in its *folded* form: the edges joining a terminal to a node v are summed
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
//   Heuristics from the authors' implementation notes:
//   - distances with time stamps: a node remembers its distance to the root (dist) as of a
//     round (stamp), so the origin check of an adoption stops at a node already verified in the
//     same round and prefers the closest parent;
//   - re-attachment during growth: a tree node w met from a node v of its own tree moves below
//     v when that shortens its path to the root, keeping the trees shallow (shorter paths to
//     augment along, shorter origin checks). Along every tree path (stamp, -dist) only grows
//     towards the root, and a move needs stamp(w) <= stamp(v) and dist(w) > dist(v), so w is
//     never an ancestor of v and no cycle can form. We move w only when its path gets shorter
//     (dist(w) > dist(v) + 1), not also at equal length as the authors' code does (there a
//     move only refreshes the stamp): on smooth vision data, where the trees grow in one pass,
//     those moves cost more than they saved;
//   - orphan order: the orphans of an augmentation are adopted nearest-the-root first (the
//     reverse of the order in which the path walk finds them), then the orphans created by
//     adoptions, first in, first out.
//   Layout: a node's state is one struct (parent arc, FIFO link, stamp, dist, terminal residual,
//   tree); arcs are the layout's (contiguous per node, 32-bit ids; flow_layout.h), their heads
//   and residuals in the network's arrays. Growing T and adopting into S need the residual of
//   the sister arc, which lies in the neighbour's arc list (another cache line): they read the
//   neighbour's node first and the sister only when the neighbour could use it. The sources and
//   sinks themselves (folded form: all their arcs are dead) are marked `outside`, so no search
//   reads their arcs' sisters.
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

#include "routecore/parallel.h"
#include "routecore/residual_network.h"

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
      side[v] = (nodes_[v].parent != free_node && nodes_[v].sink == 0) ? 1 : 0;
    for (node_id s : net_.sources()) side[s] = 1;
  }

  // side[v] = 1 for nodes that cannot reach a sink (everything but the T tree and the sinks).
  void source_side_closest_to_sinks(std::span<std::uint8_t> side) const {
    for (node_id v = 0; v < n_; ++v)
      side[v] = (nodes_[v].parent != free_node && nodes_[v].sink == 1) ? 0 : 1;
    for (node_id t : net_.sinks()) side[t] = 0;
  }

 private:
  // Node::parent values besides arc ids (the arc from the node to its parent)
  static constexpr arc_id terminal_parent = -1;  // a root: tr != 0
  static constexpr arc_id orphan = -2;
  static constexpr arc_id free_node = -3;
  static constexpr arc_id outside = -4;  // a source or sink node itself: its arcs are all dead
  // Node::next values besides node ids
  static constexpr node_id not_queued = -1;
  static constexpr node_id queue_end = -2;
  static constexpr node_id none = -1;
  static constexpr std::int32_t infinite_distance = std::numeric_limits<std::int32_t>::max();

  // Everything the search touches about a node, in one place (one cache miss per neighbour).
  struct Node {
    arc_id parent;       // arc to the parent, or one of the markers above
    node_id next;        // FIFO of active nodes
    std::int32_t stamp;  // round in which dist was last verified
    std::int32_t dist;   // arcs to the root (root = 1) as of stamp
    Cap tr;              // terminal residual: > 0 from the sources, < 0 to the sinks
    std::uint8_t sink;   // tree of a non-free node: 0 = S, 1 = T; 2 for `outside` nodes
  };

  void activate(node_id v) {
    if (nodes_[v].next != not_queued) return;
    nodes_[v].next = queue_end;
    if (queue_tail_ == none) {
      queue_head_ = v;
    } else {
      nodes_[queue_tail_].next = v;
    }
    queue_tail_ = v;
  }

  node_id pop_active() {
    while (queue_head_ != none) {
      const node_id v = queue_head_;
      const node_id nx = nodes_[v].next;
      queue_head_ = nx == queue_end ? none : nx;
      if (queue_head_ == none) queue_tail_ = none;
      nodes_[v].next = not_queued;
      if (nodes_[v].parent != free_node) return v;
    }
    return none;
  }

  void make_orphan(node_id v) {
    nodes_[v].parent = orphan;
    orphans_.push_back(v);
  }

  // Scans v's arcs; returns the arc (from the S end) that closes a path, or -1.
  template <bool kSinkTree>
  arc_id grow(node_id v, node_id& s_end);
  void augment(node_id s_end, arc_id middle);
  template <bool kSinkTree>
  void adopt(node_id v);

  FlowNetwork<Cap>& net_;
  node_id n_;
  Cap value_ = 0;
  ScratchBuffer<Node> nodes_;
  node_id queue_head_ = none, queue_tail_ = none;
  std::int32_t time_ = 0;
  std::vector<node_id> orphans_;
};

template <class Cap>
bool BoykovKolmogorov<Cap>::run(const Cancel* cancel) {
  nodes_ = make_scratch_buffer<Node>(static_cast<std::size_t>(n_));
  queue_head_ = queue_tail_ = none;
  time_ = 0;
  orphans_.clear();
  value_ = net_.direct_flow;
  Cap* tr = net_.terminal_residual.data();
  for (node_id v = 0; v < n_; ++v) {
    // Flow straight from the sources through v to the sinks needs no search.
    value_ += std::min(net_.source_cap[v], net_.sink_cap[v]);
    nodes_[v] = Node{free_node, not_queued, 0, 0, tr[v], 0};
    if (net_.is_terminal(v)) {
      nodes_[v].parent = outside;
      nodes_[v].sink = 2;
    } else if (tr[v] != 0) {
      nodes_[v].parent = terminal_parent;
      nodes_[v].sink = static_cast<std::uint8_t>(tr[v] < 0);
      nodes_[v].dist = 1;
      activate(v);
    }
  }

  node_id current = none;
  std::int64_t steps = 0;
  for (;;) {
    if ((++steps & 1023) == 0 && cancel != nullptr && cancel->requested()) return false;
    node_id v = current;
    current = none;
    if (v == none || nodes_[v].parent == free_node) {
      v = pop_active();
      if (v == none) break;
    }
    node_id s_end = none;
    const arc_id middle = nodes_[v].sink ? grow<true>(v, s_end) : grow<false>(v, s_end);
    ++time_;
    if (middle < 0) continue;  // v has no free or opposite neighbour left: inactive

    current = v;  // v may have more to offer after this augmentation
    augment(s_end, middle);
    // Adoption: the orphans of the augmentation last made first (those nearest the roots,
    // as the authors' code takes them), then first in, first out; orphans created meanwhile
    // join the queue.
    std::reverse(orphans_.begin(), orphans_.end());
    for (std::size_t i = 0; i < orphans_.size(); ++i) {
      const node_id o = orphans_[i];
      if (nodes_[o].sink) {
        adopt<true>(o);
      } else {
        adopt<false>(o);
      }
    }
    orphans_.clear();
  }
  for (node_id v = 0; v < n_; ++v) tr[v] = nodes_[v].tr;
  return true;
}

template <class Cap>
template <bool kSinkTree>
arc_id BoykovKolmogorov<Cap>::grow(node_id v, node_id& s_end) {
  auto* arcs = net_.arcs.get();
  Node& nv = nodes_[v];
  const arc_id end = net_.first_out[v + 1];
  for (arc_id a = net_.first_out[v]; a < end; ++a) {
    // S grows along v -> w, T along w -> v (the sister). S reads its tree arc's residual first
    // (v's own arc, next in memory); T reads w first, because the sister's residual lies in
    // w's arc list, another cache line, needed only when w is free or in S.
    const arc_id tree_arc = kSinkTree ? arcs[a].sister : a;
    if (!kSinkTree && arcs[a].residual <= 0) continue;
    const node_id w = net_.head[a];
    Node& nw = nodes_[w];
    if (nw.parent == free_node) {
      if (kSinkTree && arcs[tree_arc].residual <= 0) continue;
      nw.parent = arcs[a].sister;
      nw.sink = kSinkTree;
      nw.stamp = nv.stamp;
      nw.dist = nv.dist + 1;
      activate(w);
    } else if (nw.sink != kSinkTree) {
      if (nw.parent == outside || (kSinkTree && arcs[tree_arc].residual <= 0)) continue;
      s_end = kSinkTree ? w : v;
      return tree_arc;
    } else if (nw.dist > nv.dist + 1 && nw.stamp <= nv.stamp &&
               (kSinkTree ? arcs[tree_arc].residual > 0 : true)) {
      // w, in v's tree, gets a shorter path to its root as v's child: re-attached below v
      // (see the header comment: the stamps rule out a cycle).
      nw.parent = arcs[a].sister;
      nw.stamp = nv.stamp;
      nw.dist = nv.dist + 1;
    }
  }
  return -1;
}

template <class Cap>
void BoykovKolmogorov<Cap>::augment(node_id s_end, arc_id middle) {
  auto* arcs = net_.arcs.get();
  // Bottleneck: the middle arc, the S path (parent -> child arcs) and the T path.
  Cap bottleneck = arcs[middle].residual;
  node_id u = s_end;
  for (arc_id p; (p = nodes_[u].parent) != terminal_parent; u = net_.head[p])
    bottleneck = std::min(bottleneck, arcs[arcs[p].sister].residual);
  bottleneck = std::min(bottleneck, nodes_[u].tr);
  u = net_.head[middle];
  for (arc_id p; (p = nodes_[u].parent) != terminal_parent; u = net_.head[p])
    bottleneck = std::min(bottleneck, arcs[p].residual);
  bottleneck = std::min(bottleneck, -nodes_[u].tr);

  arcs[middle].residual -= bottleneck;
  arcs[arcs[middle].sister].residual += bottleneck;
  u = s_end;
  for (;;) {
    const arc_id p = nodes_[u].parent;
    if (p == terminal_parent) {
      nodes_[u].tr -= bottleneck;
      if (nodes_[u].tr == 0) make_orphan(u);
      break;
    }
    auto& down = arcs[arcs[p].sister];  // parent -> u
    down.residual -= bottleneck;
    arcs[p].residual += bottleneck;
    const node_id up = net_.head[p];
    if (down.residual == 0) make_orphan(u);
    u = up;
  }
  u = net_.head[middle];
  for (;;) {
    const arc_id p = nodes_[u].parent;
    if (p == terminal_parent) {
      nodes_[u].tr += bottleneck;
      if (nodes_[u].tr == 0) make_orphan(u);
      break;
    }
    auto& up_arc = arcs[p];  // u -> parent
    up_arc.residual -= bottleneck;
    arcs[up_arc.sister].residual += bottleneck;
    const node_id up = net_.head[p];
    if (up_arc.residual == 0) make_orphan(u);
    u = up;
  }
  value_ += bottleneck;
}

template <class Cap>
template <bool kSinkTree>
void BoykovKolmogorov<Cap>::adopt(node_id v) {
  auto* arcs = net_.arcs.get();
  const arc_id* first_out = net_.first_out;
  // Residual of the would-be tree arc between v and its neighbour along arc a (v -> w).
  auto tree_residual = [&](arc_id a) {
    return kSinkTree ? arcs[a].residual : arcs[arcs[a].sister].residual;
  };
  arc_id best = -1;
  std::int32_t best_dist = infinite_distance;
  for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
    // As in grow: the residual first where it is v's own arc (T), w first otherwise (S).
    if (kSinkTree && tree_residual(a) <= 0) continue;
    const node_id w = net_.head[a];
    if (nodes_[w].parent == free_node || nodes_[w].sink != kSinkTree) continue;
    if (!kSinkTree && tree_residual(a) <= 0) continue;
    // Does w's path still end at a terminal? Walk up until a node verified in this round.
    std::int32_t d = 0;
    node_id x = w;
    for (;;) {
      Node& nx = nodes_[x];
      if (nx.stamp == time_) {
        d += nx.dist;
        break;
      }
      ++d;
      if (nx.parent == terminal_parent) {
        nx.stamp = time_;
        nx.dist = 1;
        break;
      }
      if (nx.parent == orphan) {
        d = infinite_distance;
        break;
      }
      x = net_.head[nx.parent];
    }
    if (d == infinite_distance) continue;
    if (d < best_dist) {
      best = a;
      best_dist = d;
    }
    for (x = w; nodes_[x].stamp != time_; x = net_.head[nodes_[x].parent]) {
      nodes_[x].stamp = time_;
      nodes_[x].dist = d--;
    }
  }
  if (best >= 0) {
    nodes_[v].parent = best;
    nodes_[v].stamp = time_;
    nodes_[v].dist = best_dist + 1;
    return;
  }
  // No valid parent: v becomes free.
  for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
    const node_id w = net_.head[a];
    const arc_id p = nodes_[w].parent;
    if (p == free_node || nodes_[w].sink != kSinkTree) continue;
    if (tree_residual(a) > 0) activate(w);
    if (p >= 0 && net_.head[p] == v) make_orphan(w);
  }
  nodes_[v].parent = free_node;
}

}  // namespace routecore
