// routecore/ibfs.h — incremental breadth-first search (IBFS): bidirectional search trees kept
// as breadth-first trees between augmentations.
//
// Problem
//   Maximum flow from a set of sources to a disjoint set of sinks, in a residual network built
//   by residual_network.h in its *folded* form (as for boykov_kolmogorov.h): the edges joining a
//   terminal to a node v are summed into v's terminal residual tr(v) (> 0: capacity from the
//   sources, < 0: to the sinks), and the sources and sinks themselves have no arcs. Fastest on
//   vision / segmentation graphs, where most nodes carry a terminal capacity.
//
// Output
//   The residual arcs and terminal_residual describe a feasible maximum flow (no excess at any
//   node, as Boykov–Kolmogorov leaves them), so extract_edge_flow reads per-edge flows with
//   conservation; the value counts direct_flow and min(source_cap, sink_cap) like it too. Both
//   canonical minimum cuts are available: the nodes reachable from the sources, and the nodes
//   that cannot reach a sink.
//
// Method
//   Like Boykov–Kolmogorov, two search trees are grown from the two terminal sides and reused
//   between augmentations: S from the nodes with tr > 0, T backwards from the nodes with tr < 0.
//   Unlike it, each tree is a breadth-first tree with exact levels, which bounds the work.
//   Invariants (DS, DT: the trees' heights, the levels of their frontiers):
//     labels     an S node v has a level ds(v) >= 1 (roots, tr > 0: 1), a T node dt(v) >= 1;
//                every node outside S counts as level DS + 1 for S (DT + 1 for T).
//     validity   ds(w) <= ds(v) + 1 for every arc v -> w with positive residual, and dt(v) <=
//                dt(w) + 1. So only frontier nodes have residual arcs leaving S (entering T),
//                and an arc from S to T joins the two frontiers.
//     trees      a non-root S node has a parent one level up with residual(parent -> v) > 0,
//                a non-root T node one with residual(v -> parent) > 0; no node is in both
//                trees; 0 <= residual on every arc and the flow is feasible throughout.
//   pass           scans every frontier node of one tree (S: forward along v -> w, T: backward
//                  along w -> v): first it augments along every arc into the other tree (the
//                  bottleneck of the two tree paths, terminal residuals included), then free
//                  neighbours join the tree one level down, and the height grows by one. The
//                  pass runs on the tree whose cost so far (arcs scanned by its passes and its
//                  orphans' searches) plus the pass itself (its frontier times the average
//                  degree; stale entries count) is smaller (S on a tie). It does not depend on
//                  the cut the caller will read, so max_flow and min_cut run the same search
//                  (the cut on the open tree's side costs one search over free nodes,
//                  `termination`). Which tree is cheaper to grow varies from instance to
//                  instance, even among grids with the same statistics: balancing the work
//                  keeps the search from spending long on the expensive side, where a fixed
//                  side, or the smaller frontier (which keeps switching trees), may not.
//                  Counting the pass about to run matters on vision graphs, where most nodes
//                  are roots: after S's first pass the cost so far alone sends the next pass to
//                  T, whose level 1 is every node with tr < 0 (178,654 of 250,000 on the bench
//                  family flow-grid4-smooth), while S closes after scanning about 95,000 nodes
//                  in all (arcs scanned 0.50-0.53x). It costs 5-6% more arcs on the noisy
//                  4-connected grids (docs/performance.md).
//   orphans        saturated tree arcs and emptied root residuals cut off orphans. They are
//                  processed lowest level first, so every non-orphan below the current level
//                  has a valid path to its root. An orphan of level L takes a parent of level
//                  L - 1 (searched from its old parent arc on, then from its first arc); failing
//                  that it is relabelled to one more than its lowest same-tree neighbour that
//                  can feed it (orphans count with their level, a lower bound), its children
//                  become orphans, and it is processed again at its new level; above the
//                  highest level the tree may hold now (DS, or DS + 1 while S grows) it becomes
//                  free. Labels never decrease while a node stays in its tree.
//   termination    a pass that adds no node closes its tree: no residual arc leaves S (enters
//                  T), so no augmenting path is left. The closed tree is exactly its side's
//                  canonical cut; the other cut is completed by a search over free nodes from
//                  the other tree's frontier when it is asked for.
//   The run is bound by memory latency (arcs and heads do not fit in cache and a pass visits
//   a frontier spread over the whole graph), so each pass prefetches the lines of the
//   frontier nodes a few places ahead of the scan.
//
// Complexity: the paper proves O(n^2 m) for IBFS; this implementation keeps its rules (exact
// levels, lowest-first orphans, monotone labels) and adds the heuristics above
// (augment-before-grow, immediate adoption after a relabel), for which we have not re-proved
// the bound. On vision graphs it is close to linear. Memory: 8 bytes per node (the terminal
// residuals are updated in place in the network), plus up to four lists of node ids.
// Reference
//   A. V. Goldberg, S. Hed, H. Kaplan, R. E. Tarjan, R. F. Werneck. Maximum flows by
//   incremental breadth-first search. ESA 2011, LNCS 6942, 457–468.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "routecore/parallel.h"
#include "routecore/portability.h"
#include "routecore/residual_network.h"

namespace routecore {

template <class Cap>
class Ibfs {
 public:
  // Either canonical cut is available after run(), whichever tree ended closed.
  explicit Ibfs(FlowNetwork<Cap>& net) : net_(net), n_(net.num_nodes) { assert(net.folded); }

  // Computes a maximum flow. Returns false when cancelled.
  bool run(const Cancel* cancel);

  Cap flow_value() const { return value_; }
  // The work of the search: arcs scanned by the passes and the orphans' searches.
  std::int64_t arcs_scanned() const { return scanned_[0] + scanned_[1]; }

  // side[v] = 1 for nodes reachable from the sources in the final residual network.
  void source_side_closest_to_sources(std::span<std::uint8_t> side) const {
    for (node_id v = 0; v < n_; ++v) side[v] = nodes_[v].label > 0 ? 1 : 0;
    if (closed_ != closed_tree::source) complete<false>(side, 1);
    for (node_id s : net_.sources()) side[s] = 1;
  }

  // side[v] = 1 for nodes that cannot reach a sink in the final residual network.
  void source_side_closest_to_sinks(std::span<std::uint8_t> side) const {
    for (node_id v = 0; v < n_; ++v) side[v] = nodes_[v].label < 0 ? 0 : 1;
    if (closed_ != closed_tree::sink) complete<true>(side, 0);
    for (node_id t : net_.sinks()) side[t] = 0;
  }

 private:
  // Node::parent besides arc ids: a root (its parent is the source or sink side itself), or a
  // free node.
  static constexpr arc_id root_parent = -1;
  static constexpr std::int32_t no_label = std::numeric_limits<std::int32_t>::max();
  // How many frontier nodes ahead of the scan their lines are fetched (see grow).
  static constexpr std::size_t prefetch_ahead = 4;

  enum class closed_tree : std::uint8_t { none, source, sink };

  // What the search reads of every neighbour, 8 bytes a node (the terminal residuals stay in
  // net.terminal_residual: only roots have them, and only augmentations read them).
  struct Node {
    // Tree node: the arc v -> parent, or root_parent. Orphan: orphan_mark(current arc), where
    // the search for a new parent resumes.
    arc_id parent;
    std::int32_t label;  // > 0: S node of level ds, < 0: T node of level -dt, 0: free
  };
  static constexpr arc_id orphan_mark(arc_id current) { return -2 - current; }
  static bool is_orphan(const Node& node) { return node.parent < root_parent; }

  // A list of node ids in scratch storage (see scratch.h, which spares repeated
  // calls the page faults of fresh memory); grows by doubling.
  class NodeList {
   public:
    void reserve(std::size_t capacity) {
      if (capacity <= data_.size()) return;
      ScratchArray<node_id> bigger(capacity);
      std::copy_n(data_.data(), size_, bigger.data());
      data_ = std::move(bigger);
    }
    void push_back(node_id v) {
      if (size_ == data_.size()) reserve(std::max<std::size_t>(1024, 2 * size_));
      data_[size_++] = v;
    }
    node_id operator[](std::size_t i) const { return data_[i]; }
    const node_id* begin() const { return data_.data(); }
    const node_id* end() const { return data_.data() + size_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }
    // Raw storage for filling up to the reserved capacity, then resize(count).
    node_id* storage() { return data_.data(); }
    void resize(std::size_t count) {
      assert(count <= data_.size());
      size_ = count;
    }
    void swap(NodeList& other) noexcept {
      std::swap(data_, other.data_);
      std::swap(size_, other.size_);
    }
    template <class Pred>
    void erase_if(Pred pred) {
      size_ = static_cast<std::size_t>(std::remove_if(data_.data(), data_.data() + size_, pred) -
                                       data_.data());
    }

   private:
    ScratchArray<node_id> data_;
    std::size_t size_ = 0;
  };

  // Per tree: the frontier list and the orphan buckets (linked through Node::next).
  struct Tree {
    std::int32_t height = 1;                      // DS or DT: the frontier level
    std::int32_t max_label = 1;                   // highest level an orphan may take now
    NodeList frontier;                            // nodes of level `height` (stale entries allowed)
    NodeList next;                                // nodes of level height + 1 while this tree grows
    std::vector<std::vector<node_id>> buckets;    // orphans by level
    std::int32_t lowest = no_label, highest = 0;  // range of possibly non-empty buckets
  };

  // Whether the arc that would make w (along arc a = v -> w) v's parent in tree kSinkTree has
  // positive residual: w -> v for S, v -> w for T.
  // (Callers pass the arcs pointer they hold: read through net_, it is reloaded after every
  // store.)
  template <bool kSinkTree>
  static bool tree_residual(const ResidualArc<Cap>* arcs, arc_id a) {
    return (kSinkTree ? arcs[a].residual : arcs[arcs[a].sister].residual) > 0;
  }
  // Subtracts `amount` from the residual of arc a and adds it to its sister's.
  void push(arc_id a, Cap amount) {
    auto* arcs = net_.arcs.get();
    const arc_id sister = arcs[a].sister;
    arcs[a].residual -= amount;
    arcs[sister].residual += amount;
  }

  // Queues v at its level; its search for a parent resumes at `current`.
  template <bool kSinkTree>
  void make_orphan(node_id v, arc_id current) {
    Tree& tree = kSinkTree ? sink_ : source_;
    const std::int32_t level = kSinkTree ? -nodes_[v].label : nodes_[v].label;
    nodes_[v].parent = orphan_mark(current);
    tree.buckets[static_cast<std::size_t>(level)].push_back(v);
    tree.lowest = std::min(tree.lowest, level);
    tree.highest = std::max(tree.highest, level);
  }
  // A tree node cut off from its parent (root: from its terminal residual).
  template <bool kSinkTree>
  void cut_off(node_id v) {
    const arc_id p = nodes_[v].parent;
    make_orphan<kSinkTree>(v, p >= 0 ? p : net_.first_out[v]);
  }

  // A node that has just taken `level` in its tree joins the right scan list.
  template <bool kSinkTree>
  void note_level(node_id v, std::int32_t level) {
    Tree& tree = kSinkTree ? sink_ : source_;
    if (level == tree.height) {
      tree.frontier.push_back(v);
    } else if (level == tree.height + 1) {
      tree.next.push_back(v);
    }
  }

  template <bool kSinkTree>
  bool grow(const Cancel* cancel);
  // Augments along S path to s_end, arc middle (s_end -> t_end), T path from t_end.
  void augment(node_id s_end, arc_id middle, node_id t_end);
  void process_orphans();
  template <bool kSinkTree>
  void adopt(node_id v, std::int32_t level);
  template <bool kSinkTree>
  void complete(std::span<std::uint8_t> side, std::uint8_t mark) const;

  FlowNetwork<Cap>& net_;
  node_id n_;
  Cap value_ = 0;
  Cap* tr_ = nullptr;  // net.terminal_residual: > 0 from the sources, < 0 to the sinks
  ScratchBuffer<Node> nodes_;
  Tree source_, sink_;
  closed_tree closed_ = closed_tree::none;
  std::int64_t steps_ = 0;
  // Arcs scanned for each tree (0: S, 1: T) by its passes and its orphans' searches.
  std::int64_t scanned_[2] = {0, 0};
};

template <class Cap>
bool Ibfs<Cap>::run(const Cancel* cancel) {
  nodes_ = make_scratch_buffer<Node>(static_cast<std::size_t>(n_));
  source_ = Tree{};
  sink_ = Tree{};
  for (Tree* tree : {&source_, &sink_}) {
    tree->frontier.reserve(static_cast<std::size_t>(n_));
    tree->next.reserve(static_cast<std::size_t>(n_));
    tree->buckets.resize(3);
  }
  closed_ = closed_tree::none;
  steps_ = 0;
  scanned_[0] = scanned_[1] = 0;
  value_ = net_.direct_flow;
  tr_ = net_.terminal_residual.data();
  const Cap* tr = tr_;
  // The roots: S at level 1 where tr > 0, T where tr < 0. Branch-free, as the sign varies from
  // node to node (both lists have room for every node).
  node_id* source_roots = source_.frontier.storage();
  node_id* sink_roots = sink_.frontier.storage();
  std::size_t num_source_roots = 0, num_sink_roots = 0;
  for (node_id v = 0; v < n_; ++v) {
    // Flow straight from the sources through v to the sinks needs no search.
    value_ += std::min(net_.source_cap[v], net_.sink_cap[v]);
    const bool from_source = tr[v] > 0;
    const bool to_sink = tr[v] < 0;
    nodes_[v] = Node{root_parent, static_cast<std::int32_t>(from_source) - to_sink};
    source_roots[num_source_roots] = v;
    num_source_roots += from_source;
    sink_roots[num_sink_roots] = v;
    num_sink_roots += to_sink;
  }
  source_.frontier.resize(num_source_roots);
  sink_.frontier.resize(num_sink_roots);
  // The expected cost of a tree's next pass: its frontier's arcs, at the average degree.
  const double degree = static_cast<double>(net_.num_arcs) / std::max<node_id>(n_, 1);
  auto projected = [&](int side, const Tree& tree) {
    return static_cast<double>(scanned_[side]) + degree * static_cast<double>(tree.frontier.size());
  };

  for (;;) {
    if (source_.frontier.empty()) {
      closed_ = closed_tree::source;
      break;
    }
    if (sink_.frontier.empty()) {
      closed_ = closed_tree::sink;
      break;
    }
    // Grow the tree whose cost so far plus its next pass is smaller (`pass` in the header).
    const bool forward = projected(0, source_) <= projected(1, sink_);
    if (!(forward ? grow<false>(cancel) : grow<true>(cancel))) return false;
  }
  return true;
}

// One pass: scans the frontier of tree kSinkTree, growing it by one level and augmenting along
// every path it closes. Afterwards the frontier holds the new level (empty: the tree is closed).
template <class Cap>
template <bool kSinkTree>
bool Ibfs<Cap>::grow(const Cancel* cancel) {
  Tree& tree = kSinkTree ? sink_ : source_;
  auto* arcs = net_.arcs.get();
  const arc_id* first_out = net_.first_out;
  const node_id* head = net_.head;
  const std::int32_t level = tree.height;
  const std::int32_t sign = kSinkTree ? -1 : 1;
  // Orphans of the growing tree may rise to the new level, those of the other tree only to
  // its frontier.
  Tree& other = kSinkTree ? source_ : sink_;
  tree.max_label = level + 1;
  other.max_label = other.height;
  tree.next.clear();
  if (tree.buckets.size() < static_cast<std::size_t>(level) + 3)
    tree.buckets.resize(static_cast<std::size_t>(level) + 3);
  const std::int32_t own = sign * level;
  const std::int32_t child = sign * (level + 1);
  // The frontier may grow while it is scanned (orphans relabelled to this level).
  for (std::size_t i = 0; i < tree.frontier.size(); ++i) {
    // The run is bound by memory latency: the arcs and heads do not fit in cache, and a pass
    // visits a frontier spread over the whole graph. So the lines of the nodes a few places
    // ahead are fetched in stages: node state and arc range; arcs and heads; then the
    // neighbours and the sister arcs that growth and augmentation touch (augmentation writes
    // those). Each stage reads only lines an earlier one asked for.
    if (i + 3 * prefetch_ahead < tree.frontier.size()) {
      const node_id x = tree.frontier[i + 3 * prefetch_ahead];
      routecore::prefetch(&first_out[x]);
      routecore::prefetch(&nodes_[x]);
    }
    if (i + 2 * prefetch_ahead < tree.frontier.size()) {
      const node_id x = tree.frontier[i + 2 * prefetch_ahead];
      const arc_id first = first_out[x];
      const arc_id last = std::max(first, first_out[x + 1] - 1);
      routecore::prefetch(&arcs[first]);
      routecore::prefetch(&arcs[last]);
      routecore::prefetch(&head[first]);
      routecore::prefetch(&head[last]);
    }
    if (i + prefetch_ahead < tree.frontier.size()) {
      const node_id x = tree.frontier[i + prefetch_ahead];
      for (arc_id a = first_out[x]; a < first_out[x + 1]; ++a) {
        routecore::prefetch(&nodes_[head[a]]);
        routecore::prefetch_for_write(&tr_[head[a]]);
        routecore::prefetch_for_write(&arcs[arcs[a].sister]);
      }
    }
    const node_id v = tree.frontier[i];
    if (nodes_[v].label != own) continue;  // stale: relabelled or freed since
    scanned_[kSinkTree] += first_out[v + 1] - first_out[v];
    if ((++steps_ & 1023) == 0 && cancel != nullptr && cancel->requested()) return false;
    // First augment along every arc into the other tree, then grow: a node that dies on the
    // way has no children yet to orphan. S grows along v -> w, T along w -> v (the sister).
    // The second loop is skipped when there is nothing to grow into: no free neighbour was
    // seen, and none was made (only orphan processing frees nodes).
    bool alive = true;
    bool any_free = false;
    for (arc_id a = first_out[v]; a < first_out[v + 1];) {
      const Node& nw = nodes_[head[a]];
      any_free |= nw.label == 0;
      const bool other_tree = kSinkTree ? nw.label > 0 : nw.label < 0;
      if (!other_tree || !tree_residual<!kSinkTree>(arcs, a)) {
        ++a;
        continue;
      }
      if constexpr (kSinkTree) {
        augment(head[a], arcs[a].sister, v);
      } else {
        augment(v, a, head[a]);
      }
      process_orphans();
      any_free = true;
      if (nodes_[v].label != own) {  // v left this level; a may still have residual
        alive = false;
        break;
      }
    }
    if (!alive || !any_free) continue;
    for (arc_id a = first_out[v]; a < first_out[v + 1]; ++a) {
      Node& nw = nodes_[head[a]];
      if (nw.label != 0 || !tree_residual<!kSinkTree>(arcs, a)) continue;
      nw.label = child;
      nw.parent = arcs[a].sister;
      tree.next.push_back(head[a]);
    }
  }
  tree.height = level + 1;
  tree.frontier.swap(tree.next);
  tree.next.clear();
  tree.frontier.erase_if([&](node_id v) { return nodes_[v].label != child; });
  return true;
}

}  // namespace routecore

#include "routecore/ibfs_repair.h"  // IWYU pragma: export
