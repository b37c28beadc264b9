// routecore/k_shortest_paths.h — the k shortest loopless (simple) source-target paths.
//
// Problem
//   Given a CSR graph with non-negative arc weights, a source s, a target t and k >= 1, list k
//   loopless s-t paths P1, P2, ... in non-decreasing order of length such that no loopless path
//   left out is shorter than the last one listed (fewer if fewer exist or the rest are longer
//   than `max_length`). A path is a sequence of arcs: two paths over the same nodes but
//   different parallel edges are different paths. Loopless means no node is visited twice, so
//   self-loops never appear. An undirected graph is read through its two arcs per edge.
//
// Input assumptions (validated by the Python layer, asserted only in debug builds)
//   Weights >= 0 (+inf closes an arc: it is never used); node ids in range; s and t not blocked.
//   The reverse CSR (`r`, `r_weight`) holds the same arcs reversed (csr.h build_reverse_csr; an
//   undirected graph is its own reverse).
//
// Method: Yen's algorithm with Lawler's improvement, and A* spur searches
//   One backward Dijkstra from t on the reverse graph gives h(v) = d(v, t) and the tree of
//   shortest paths towards t. Every path produced is a root (a prefix of an accepted path
//   P, ending at the spur node v_i) followed by a spur path: the shortest v_i-t path that
//   enters no node of the root and does not leave v_i by an arc that an accepted path with the
//   same root takes next (those arcs are the children of the root in a trie of the accepted
//   paths). Lawler: a path deviates only at spur indices >= the index where it was itself
//   created, since earlier roots were already expanded for its parent.
//   Each spur search first tries the shortcut of sidetrack-based methods (Kurz & Mutzel): the
//   best admissible first arc (v_i, w) by w(v_i, w) + h(w), followed by w's tree path to t;
//   when that tree path avoids the root, no spur path can be shorter (h is a lower bound in
//   every subgraph). Otherwise an A* search with the potential h runs; h is exact and
//   consistent on the whole graph, hence admissible after nodes and arcs are removed, and it
//   steers the search straight along tree arcs, whose reduced cost is zero.
//   Removed nodes and arcs are marked by stamps (a node is in the current root iff its stamp
//   equals the current path's serial; an arc is banned iff its stamp equals the current spur's
//   serial), so no search copies or rebuilds the graph, and no mark is ever cleared.
//
// Ties (deterministic)
//   Candidates are ordered by (length, arc sequence compared lexicographically by CSR arc id),
//   which is a total order, and the next path is always the least candidate. Lengths are
//   summed left to right from s. The output depends only on the input, never on threads or
//   timing. When several paths tie at the k-th length, which of them are listed follows this
//   order among the candidates generated.
//
// Invariants
//   Every accepted path is in the trie; the candidate pool never holds an accepted path nor a
//   duplicate (the pool is a set keyed by the total order above, and equal arc sequences have
//   equal lengths); the pool keeps at most k - |accepted| candidates (the others could never be
//   listed). Every node entered by a spur search is neither blocked nor in the root.
//
// Complexity
//   One backward Dijkstra, O((n + m) log n); then for each of the k paths, up to L spur
//   searches (L nodes on the path), each an A* search bounded by a Dijkstra, O((n + m) log n),
//   but in practice touching few nodes besides the spur path. O(n + m) workspace per search
//   object plus the paths kept (O(k L)) and the trie.
//   Cancellation is polled once per spur search and every 1024 settled nodes inside one.
//
// References
//   J. Y. Yen, "Finding the k shortest loopless paths in a network", Mgmt. Sci. 17 (1971).
//   E. L. Lawler, "A procedure for computing the K best solutions to discrete optimization
//   problems and its application to the shortest path problem", Mgmt. Sci. 18 (1972).
//   D. Kurz, P. Mutzel, "A sidetrack-based algorithm for finding the k shortest simple paths
//   in a directed graph", ISAAC 2016 (arXiv 1601.02867).
//   P. E. Hart, N. J. Nilsson, B. Raphael, "A formal basis for the heuristic determination of
//   minimum cost paths", IEEE TSSC 4 (1968) (A*).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "routecore/csr.h"
#include "routecore/dijkstra.h"
#include "routecore/heap.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

template <class Weights>
class KShortestPaths {
 public:
  // `blocked`: byte mask over the nodes (non-zero = never entered) or nullptr. The views and
  // arrays must outlive the object; one object serves many queries (one per thread).
  KShortestPaths(const CsrView& g, Weights w, const CsrView& r, Weights rw,
                 const std::uint8_t* blocked)
      : g_(g),
        w_(w),
        r_(r),
        rw_(rw),
        blocked_(blocked),
        reverse_(g.num_nodes, blocked),
        heap_(g.num_nodes),
        h_(static_cast<std::size_t>(g.num_nodes)),
        root_(static_cast<std::size_t>(g.num_nodes)),
        next_edge_(static_cast<std::size_t>(g.num_nodes)),
        next_node_(static_cast<std::size_t>(g.num_nodes)),
        dist_(static_cast<std::size_t>(g.num_nodes)),
        pred_arc_(static_cast<std::size_t>(g.num_nodes)),
        node_mark_(static_cast<std::size_t>(g.num_nodes), 0),
        arc_mark_(static_cast<std::size_t>(g.num_arcs), 0) {}

  // Appends up to k paths (see the header comment) to `out`, which is cleared first. Returns
  // false if cancelled (output unspecified).
  bool run(node_id source, node_id target, std::int64_t k, double max_length,
           std::vector<PathResult>& out, const Cancel& cancel) {
    out.clear();
    accepted_.clear();
    pool_.clear();
    trie_.assign(1, TrieNode{});
    if (k <= 0) return true;
    const node_id sources[1] = {target};
    if (!reverse_.nearest(r_, rw_, std::span<const node_id>(sources, 1), h_.data(), root_.data(),
                          next_edge_.data(), next_node_.data(), cancel)) {
      return false;
    }
    const double bound = h_[static_cast<std::size_t>(source)];
    if (bound == unreachable || !(bound <= max_length)) return true;
    Candidate first;
    tree_path(source, target, first.arcs);
    first.length = length_of(first.arcs);
    if (!(first.length <= max_length)) return true;
    pool_.insert(std::move(first));
    while (!pool_.empty() && static_cast<std::int64_t>(accepted_.size()) < k) {
      accepted_.push_back(std::move(pool_.extract(pool_.begin()).value()));
      insert_trie(accepted_.back().arcs);
      const std::int64_t remaining = k - static_cast<std::int64_t>(accepted_.size());
      if (remaining == 0) break;
      if (!expand(accepted_.size() - 1, source, target, remaining, max_length, cancel)) {
        return false;
      }
    }
    out.resize(accepted_.size());
    for (std::size_t i = 0; i < accepted_.size(); ++i) to_result(source, accepted_[i], out[i]);
    return true;
  }

 private:
  struct Candidate {
    std::vector<arc_id> arcs;
    double length = 0.0;
    std::int32_t deviation = 0;  // spur index it was created at (Lawler)
  };
  struct Order {
    bool operator()(const Candidate& a, const Candidate& b) const {
      if (a.length != b.length) return a.length < b.length;
      return a.arcs < b.arcs;
    }
  };
  struct TrieNode {
    arc_id arc = -1;
    std::int32_t child = -1;    // first child
    std::int32_t sibling = -1;  // next child of the same parent
  };

  double length_of(const std::vector<arc_id>& arcs) const {
    double sum = 0.0;
    for (const arc_id a : arcs) sum += w_(a);
    return sum;
  }

  // The forward arc x -> next_node_[x] that the backward search used (found among x's arcs by
  // its edge id; an undirected edge has one arc each way).
  arc_id tree_arc(node_id x) const {
    const node_id y = next_node_[static_cast<std::size_t>(x)];
    const edge_id e = next_edge_[static_cast<std::size_t>(x)];
    for (arc_id a = g_.first_out[x]; a < g_.first_out[x + 1]; ++a) {
      if (g_.head[a] == y && edge_of(g_.arc_edge[a]) == e) return a;
    }
    return -1;  // unreachable for a consistent reverse CSR
  }

  void tree_path(node_id from, node_id target, std::vector<arc_id>& arcs) const {
    for (node_id x = from; x != target; x = next_node_[static_cast<std::size_t>(x)]) {
      arcs.push_back(tree_arc(x));
    }
  }

  void insert_trie(const std::vector<arc_id>& arcs) {
    std::int32_t t = 0;
    for (const arc_id a : arcs) {
      std::int32_t c = trie_[static_cast<std::size_t>(t)].child;
      while (c >= 0 && trie_[static_cast<std::size_t>(c)].arc != a) {
        c = trie_[static_cast<std::size_t>(c)].sibling;
      }
      if (c < 0) {
        c = static_cast<std::int32_t>(trie_.size());
        trie_.push_back(TrieNode{a, -1, trie_[static_cast<std::size_t>(t)].child});
        trie_[static_cast<std::size_t>(t)].child = c;
      }
      t = c;
    }
  }

  bool admissible(node_id v) const {
    return node_mark_[static_cast<std::size_t>(v)] != path_serial_ &&
           (blocked_ == nullptr || blocked_[v] == 0) &&
           h_[static_cast<std::size_t>(v)] < unreachable;
  }

  // Spur searches for every spur index of accepted path `index` from its deviation index on.
  bool expand(std::size_t index, node_id source, node_id target, std::int64_t remaining,
              double max_length, const Cancel& cancel) {
    const Candidate& p = accepted_[index];
    const auto hops = static_cast<std::int32_t>(p.arcs.size());
    ++path_serial_;
    std::int32_t t = 0;  // trie node of the root p.arcs[0..i)
    double prefix = 0.0;
    node_id spur = source;
    std::vector<arc_id> spur_arcs;
    for (std::int32_t i = 0; i < hops; ++i) {
      if (i >= p.deviation) {
        if (cancel.requested()) return false;
        ++spur_serial_;
        for (std::int32_t c = trie_[static_cast<std::size_t>(t)].child; c >= 0;
             c = trie_[static_cast<std::size_t>(c)].sibling) {
          arc_mark_[static_cast<std::size_t>(trie_[static_cast<std::size_t>(c)].arc)] =
              spur_serial_;
        }
        // A candidate must not be worse than the worst one kept when the pool is full.
        double limit = max_length;
        if (static_cast<std::int64_t>(pool_.size()) >= remaining) {
          limit = std::min(limit, std::prev(pool_.end())->length);
        }
        node_mark_[static_cast<std::size_t>(spur)] = path_serial_;  // the spur is in the root
        spur_arcs.clear();
        if (spur_path(spur, target, limit - prefix, spur_arcs, cancel)) {
          Candidate c;
          c.arcs.assign(p.arcs.begin(), p.arcs.begin() + i);
          c.arcs.insert(c.arcs.end(), spur_arcs.begin(), spur_arcs.end());
          c.length = length_of(c.arcs);
          c.deviation = i;
          offer(std::move(c), remaining, max_length);
        }
      }
      // Advance the root by one arc.
      node_mark_[static_cast<std::size_t>(spur)] = path_serial_;
      const arc_id a = p.arcs[static_cast<std::size_t>(i)];
      prefix += w_(a);
      spur = g_.head[a];
      std::int32_t c = trie_[static_cast<std::size_t>(t)].child;
      while (trie_[static_cast<std::size_t>(c)].arc != a)
        c = trie_[static_cast<std::size_t>(c)].sibling;
      t = c;
    }
    return !cancel.requested();
  }

  void offer(Candidate&& c, std::int64_t remaining, double max_length) {
    if (!(c.length <= max_length)) return;
    if (static_cast<std::int64_t>(pool_.size()) >= remaining) {
      if (!Order{}(c, *std::prev(pool_.end()))) return;
      pool_.erase(std::prev(pool_.end()));
    }
    pool_.insert(std::move(c));
  }

  // The shortest spur -> target path avoiding marked nodes (the spur itself is marked) and
  // banned arcs, if its length is at most `limit` (with a relative slack for rounding; the
  // caller checks the exact sum). Appends its arcs to `arcs`.
  bool spur_path(node_id spur, node_id target, double limit, std::vector<arc_id>& arcs,
                 const Cancel& cancel) {
    const double slack = limit + 1e-9 * std::max(1.0, std::abs(limit));
    // Shortcut: best first arc by w + h, then the tree path, if it avoids the root.
    arc_id best = -1;
    double best_key = unreachable;
    for (arc_id a = g_.first_out[spur]; a < g_.first_out[spur + 1]; ++a) {
      if (arc_mark_[static_cast<std::size_t>(a)] == spur_serial_) continue;
      const node_id v = g_.head[a];
      if (!admissible(v)) continue;
      const double key = w_(a) + h_[static_cast<std::size_t>(v)];
      if (key < best_key) {
        best_key = key;
        best = a;
      }
    }
    if (best < 0 || !(best_key <= slack)) return false;
    bool clear = true;
    for (node_id x = g_.head[best]; x != target; x = next_node_[static_cast<std::size_t>(x)]) {
      if (node_mark_[static_cast<std::size_t>(x)] == path_serial_) {
        clear = false;
        break;
      }
    }
    if (clear) {
      arcs.push_back(best);
      tree_path(g_.head[best], target, arcs);
      return true;
    }
    return astar(spur, target, slack, arcs, cancel);
  }

  bool astar(node_id spur, node_id target, double limit, std::vector<arc_id>& arcs,
             const Cancel& cancel) {
    dist_[static_cast<std::size_t>(spur)] = 0.0;
    heap_.push(spur, h_[static_cast<std::size_t>(spur)]);
    std::uint32_t steps = 0;
    bool found = false;
    while (!heap_.empty()) {
      const QuaternaryHeap::Entry top = heap_.pop();
      const node_id u = top.node;
      settled_.push_back(u);
      if (u == target) {
        found = true;
        break;
      }
      if (top.key > limit) break;
      if ((++steps & 1023U) == 0 && cancel.requested()) break;
      const double du = dist_[static_cast<std::size_t>(u)];
      for (arc_id a = g_.first_out[u]; a < g_.first_out[u + 1]; ++a) {
        if (u == spur && arc_mark_[static_cast<std::size_t>(a)] == spur_serial_) continue;
        const node_id v = g_.head[a];
        if (!admissible(v)) continue;
        const double dv = du + w_(a);
        const double key = dv + h_[static_cast<std::size_t>(v)];
        if (!(key <= limit)) continue;
        const std::int32_t state = heap_.state(v);
        if (state == QuaternaryHeap::unseen) {
          heap_.push(v, key);
        } else if (state >= 0 && key < heap_.key_at(state)) {
          heap_.decrease_key_at(state, key);
        } else {
          continue;
        }
        dist_[static_cast<std::size_t>(v)] = dv;
        pred_arc_[static_cast<std::size_t>(v)] = a;
      }
    }
    if (found) {
      const std::size_t first = arcs.size();
      for (node_id x = target; x != spur;) {
        const arc_id a = pred_arc_[static_cast<std::size_t>(x)];
        arcs.push_back(a);
        x = tail_of(a);
      }
      std::reverse(arcs.begin() + static_cast<std::ptrdiff_t>(first), arcs.end());
    }
    heap_.clear();
    for (const node_id v : settled_) heap_.reset(v);
    settled_.clear();
    return found;
  }

  // The tail of arc a: the node whose arc range holds a (binary search over first_out).
  node_id tail_of(arc_id a) const {
    const arc_id* end = g_.first_out + g_.num_nodes + 1;
    return static_cast<node_id>(std::upper_bound(g_.first_out, end, a) - g_.first_out - 1);
  }

  void to_result(node_id source, const Candidate& c, PathResult& out) const {
    out.nodes.assign(1, source);
    out.edges.clear();
    out.length = c.length;
    for (const arc_id a : c.arcs) {
      out.nodes.push_back(g_.head[a]);
      out.edges.push_back(edge_of(g_.arc_edge[a]));
    }
  }

  CsrView g_;
  Weights w_;
  CsrView r_;
  Weights rw_;
  const std::uint8_t* blocked_;
  DijkstraSearch reverse_;  // the backward search from the target
  QuaternaryHeap heap_;     // A* queue; keys are dist + h
  std::vector<double> h_;   // h_[v] = d(v, target) in the whole graph (+inf if none)
  std::vector<node_id> root_;
  std::vector<edge_id> next_edge_;  // edge of v's first arc on its tree path to the target
  std::vector<node_id> next_node_;  // the node after v on that tree path
  std::vector<double> dist_;        // A*: distance from the spur node of reached nodes
  std::vector<arc_id> pred_arc_;    // A*: arc by which a reached node was last improved
  std::vector<node_id> settled_;    // A*: nodes popped, reset after each search
  // node_mark_[v] == path_serial_: v is in the current root; arc_mark_[a] == spur_serial_: a
  // is banned at the current spur node. Serials only grow, so marks are never cleared.
  std::vector<std::uint32_t> node_mark_;
  std::vector<std::uint32_t> arc_mark_;
  std::uint32_t path_serial_ = 0;
  std::uint32_t spur_serial_ = 0;
  std::vector<Candidate> accepted_;
  std::set<Candidate, Order> pool_;
  std::vector<TrieNode> trie_;
};

}  // namespace routecore
