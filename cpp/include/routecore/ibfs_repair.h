// routecore/ibfs_repair.h — IBFS: augmentation, the orphans' adoption and cut completion.
//
// The members of Ibfs that push flow along a found path, repair the two trees afterwards and
// complete the cut on the open tree's side. The contract (problem, invariants, complexity,
// references) is atop ibfs.h, which includes this file at its end; never include it alone.
#pragma once

#include "routecore/ibfs.h"

namespace routecore {

template <class Cap>
void Ibfs<Cap>::augment(node_id s_end, arc_id middle, node_id t_end) {
  const auto* arcs = net_.arcs.get();
  const node_id* head = net_.head;
  // Bottleneck: the middle arc, the S path (parent -> child arcs) and the T path.
  Cap bottleneck = arcs[middle].residual;
  node_id u = s_end;
  for (arc_id p; (p = nodes_[u].parent) != root_parent; u = head[p])
    bottleneck = std::min(bottleneck, arcs[arcs[p].sister].residual);
  bottleneck = std::min(bottleneck, tr_[u]);
  u = t_end;
  for (arc_id p; (p = nodes_[u].parent) != root_parent; u = head[p])
    bottleneck = std::min(bottleneck, arcs[p].residual);
  bottleneck = std::min(bottleneck, -tr_[u]);

  push(middle, bottleneck);
  u = s_end;
  for (;;) {
    const arc_id p = nodes_[u].parent;
    if (p == root_parent) {
      tr_[u] -= bottleneck;
      if (tr_[u] == 0) cut_off<false>(u);
      break;
    }
    const arc_id down = arcs[p].sister;  // parent -> u
    push(down, bottleneck);
    if (arcs[down].residual == 0) make_orphan<false>(u, p);
    u = head[p];
  }
  u = t_end;
  for (;;) {
    const arc_id p = nodes_[u].parent;  // u -> parent
    if (p == root_parent) {
      tr_[u] += bottleneck;
      if (tr_[u] == 0) cut_off<true>(u);
      break;
    }
    push(p, bottleneck);
    if (arcs[p].residual == 0) make_orphan<true>(u, p);
    u = head[p];
  }
  value_ += bottleneck;
}

// Processes the orphans of both trees, lowest level first (the trees are independent).
template <class Cap>
void Ibfs<Cap>::process_orphans() {
  auto drain = [&]<bool kSinkTree>() {
    Tree& tree = kSinkTree ? sink_ : source_;
    for (std::int32_t level = tree.lowest; level <= tree.highest; ++level) {
      // Processing queues orphans only at higher levels.
      auto& bucket = tree.buckets[static_cast<std::size_t>(level)];
      for (std::size_t i = 0; i < bucket.size(); ++i) adopt<kSinkTree>(bucket[i], level);
      bucket.clear();
    }
    tree.lowest = no_label;
    tree.highest = 0;
  };
  drain.template operator()<false>();
  drain.template operator()<true>();
}

// Finds orphan v (of `level` in tree kSinkTree) a parent one level up, or relabels it, or frees
// it. All non-orphans below `level` have valid paths to their roots.
template <class Cap>
template <bool kSinkTree>
void Ibfs<Cap>::adopt(node_id v, std::int32_t level) {
  auto* arcs = net_.arcs.get();
  const node_id* head = net_.head;
  const arc_id begin = net_.first_out[v];
  const arc_id end = net_.first_out[v + 1];
  scanned_[kSinkTree] += end - begin;
  const std::int32_t sign = kSinkTree ? -1 : 1;
  const std::int32_t want = sign * (level - 1);
  Node& nv = nodes_[v];
  // A parent one level up (every node there is a valid non-orphan), searched in [from, to).
  auto find_parent = [&](arc_id from, arc_id to) {
    for (arc_id a = from; a < to; ++a) {
      if (nodes_[head[a]].label == want && tree_residual<kSinkTree>(arcs, a)) {
        nv.parent = a;
        return true;
      }
    }
    return false;
  };
  // 1. From the current arc on: usually the old parent's neighbourhood still feeds v. Arcs
  // before it may feed v too (a node that joined by growth never looked at them). Roots
  // have no level 0 to go to.
  const arc_id current = orphan_mark(nv.parent);  // the mark is its own inverse
  if (level > 1 && find_parent(current, end)) return;
  const Tree& tree = kSinkTree ? sink_ : source_;
  if (level >= tree.max_label) {
    // At the tree's top level: no children, and no higher level to move to.
    if (level > 1 && find_parent(begin, current)) return;
    nv.label = 0;
    nv.parent = root_parent;
    return;
  }
  // 2. The lowest neighbour that can feed v (orphans count with their level, a lower bound).
  std::int32_t lowest = no_label;
  arc_id lowest_arc = -1;
  arc_id ready_arc = -1;  // a non-orphan at `level`: valid, so v can take it at once
  for (arc_id a = begin; a < end; ++a) {
    const Node& nw = nodes_[head[a]];
    const std::int32_t lw = sign * nw.label;
    if (lw <= 0 || !tree_residual<kSinkTree>(arcs, a)) continue;  // free, other tree, no feed
    if (lw < lowest) {
      lowest = lw;
      lowest_arc = a;
    }
    if (ready_arc < 0 && lw == level && !is_orphan(nw)) ready_arc = a;
  }
  if (lowest == level - 1) {  // a parent before the current arc
    nv.parent = lowest_arc;
    return;
  }
  // 3. Relabel (or free): v's children must follow it and become orphans.
  for (arc_id a = begin; a < end; ++a) {
    const node_id w = head[a];
    const Node& nw = nodes_[w];
    if (nw.parent == arcs[a].sister && sign * nw.label > 0) make_orphan<kSinkTree>(w, nw.parent);
  }
  if (lowest == no_label || lowest + 1 > tree.max_label) {
    nv.label = 0;  // free
    nv.parent = root_parent;
    return;
  }
  nv.label = sign * (lowest + 1);
  note_level<kSinkTree>(v, lowest + 1);
  if (lowest == level && ready_arc >= 0) {
    nv.parent = ready_arc;
    return;
  }
  make_orphan<kSinkTree>(v, lowest_arc);
}

// Marks (side[v] = mark) the nodes that reach tree kSinkTree's closed set from outside it:
// a search over free nodes from its frontier (only frontier nodes have such neighbours).
template <class Cap>
template <bool kSinkTree>
void Ibfs<Cap>::complete(std::span<std::uint8_t> side, std::uint8_t mark) const {
  const Tree& tree = kSinkTree ? sink_ : source_;
  const auto* arcs = net_.arcs.get();
  const std::int32_t own = kSinkTree ? -tree.height : tree.height;
  // A free node enters the queue once (side[] marks it); a frontier node as often as it is
  // listed.
  ScratchArray<node_id> queue(static_cast<std::size_t>(n_) + tree.frontier.size());
  std::size_t tail = 0;
  for (node_id v : tree.frontier)
    if (nodes_[v].label == own) queue[tail++] = v;
  for (std::size_t i = 0; i < tail; ++i) {
    const node_id v = queue[i];
    for (arc_id a = net_.first_out[v]; a < net_.first_out[v + 1]; ++a) {
      const node_id w = net_.head[a];
      if (side[w] == mark || nodes_[w].label != 0) continue;
      if (net_.is_terminal(w)) continue;
      if (!tree_residual<!kSinkTree>(arcs, a)) continue;
      side[w] = mark;
      queue[tail++] = w;
    }
  }
}

}  // namespace routecore
