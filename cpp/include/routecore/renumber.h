// routecore/renumber.h — a cache-friendly internal numbering of a graph's nodes: breadth-first
// order from a pseudo-peripheral node, with the graph's CSR rebuilt in the new ids.
//
// Problem
//   On graphs whose node ids carry no locality with respect to the graph (random points joined
//   to their nearest neighbours, numbered in random order), every relaxation of a search loads
//   the tentative distance and the arc block of a node whose id is unrelated to the one being
//   scanned: a cache miss per arc. Numbering the nodes in breadth-first order gives nodes
//   within a few hops nearby ids, so a search's working set at any moment (the nodes near its
//   frontier) occupies a few contiguous runs of each per-node array. Where the graph has no
//   locality to recover (an Erdős–Rényi graph: a node's neighbours are scattered over the
//   whole graph whatever the numbering), breadth-first order does not help; expands(),
//   locality() and the rule in shortest_paths.h (choose_renumbering) tell the two apart.
//
// Order
//   Per component in increasing order of its lowest unnumbered id r: a probe breadth-first
//   search from r finds the node reached last (far from r: the pseudo-peripheral heuristic of
//   Gibbs, Poole and Stockmeyer / George and Liu, one sweep), and the numbering search starts
//   there, so its levels are narrow bands rather than rings around an interior node (on the
//   suite's kNN graph both starts gave the same search time; the narrower bands matter on
//   larger graphs). Searches follow out-arcs only, in CSR order; where (directed) the far node
//   does not reach r, r's own search numbers the rest of the probe's nodes, so no node is
//   probed twice; a node no search reached starts a new one. The order is deterministic: it
//   depends only on the CSR arrays.
//
// Output (Renumbering)
//   new_id[v] (internal id of user node v) and old_id (its inverse) are permutations of
//   [0, n). The CSR in internal ids: internal node x is user node old_id[x], its arcs are those
//   of old_id[x] in their CSR order, with head[a] = new_id[user head] and the same arc_edge (edge
//   ids are not renumbered); old_arc[a] is the user CSR position of internal arc a, so per-arc
//   values of the user's arc order are carried over as value[old_arc[a]], and arc weights are
//   copied when given. Every search result in internal ids maps back exactly: distances are a
//   property of the graph, not of its numbering.
//
// Locality statistic
//   locality(g, new_id, window): among the arcs of up to 1024 strided nodes, the fraction whose
//   two ends' ids (after new_id, if given) differ by at most `window`. One cache-sized window of
//   a per-node array is the unit: arcs within it touch memory near the node being scanned.
//
// Complexity
//   bfs_order: each node's arcs read twice (probe and numbering sweep), O(n + m) time, O(n)
//   memory; the arc blocks of the nodes a few places ahead in the queue are prefetched.
//   renumber: O(n + m) time; memory 12 bytes per node (new_id, old_id, first_out) and 12 per
//   arc (head, arc_edge, old_arc), 20 with weights.
//   locality: O(sampled arcs). expands: O(window * degree) for a search that reaches 4
//   windows of nodes (see there).
//
// References
//   E. Cuthill and J. McKee, "Reducing the bandwidth of sparse symmetric matrices", ACM Natl.
//   Conf. (1969); N. E. Gibbs, W. G. Poole and P. K. Stockmeyer, "An algorithm for reducing the
//   bandwidth and profile of a sparse matrix", SIAM J. Numer. Anal. 13 (1976); A. George and
//   J. W. H. Liu, "An implementation of a pseudoperipheral node finder", ACM TOMS 5 (1979).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "routecore/csr.h"
#include "routecore/portability.h"

namespace routecore {

struct Renumbering {
  std::vector<node_id> new_id;  // per user node: its internal id
  std::vector<node_id> old_id;  // per internal node: the user node
  std::vector<arc_id> first_out;
  std::vector<node_id> head;      // internal ids
  std::vector<edge_id> arc_edge;  // the user's edge ids, as in the user's CSR
  std::vector<arc_id> old_arc;    // per internal arc: its position in the user's CSR
  std::vector<double> weight;     // arc weights in internal arc order (empty if none given)

  CsrView view() const {
    return CsrView{static_cast<node_id>(old_id.size()), static_cast<arc_id>(head.size()),
                   first_out.data(), head.data(), arc_edge.data()};
  }
};

namespace renumber_detail {

// Breadth-first search from `root` (unmarked) over unmarked nodes, marking them and appending
// them to `order`; returns the last node appended. The queue is the order itself, so the arc
// blocks of the nodes a few places ahead are prefetched (on graphs without locality each
// block is a cache miss otherwise).
inline node_id sweep(const CsrView& g, node_id root, std::vector<std::uint8_t>& mark,
                     std::vector<node_id>& order) {
  constexpr std::size_t ahead = 8;
  std::size_t next = order.size();
  mark[static_cast<std::size_t>(root)] = 1;
  order.push_back(root);
  while (next < order.size()) {
    if (next + 2 * ahead < order.size()) routecore::prefetch(g.first_out + order[next + 2 * ahead]);
    if (next + ahead < order.size()) routecore::prefetch(g.head + g.first_out[order[next + ahead]]);
    const node_id u = order[next++];
    for (arc_id a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
      const node_id v = g.head[a];
      if (mark[static_cast<std::size_t>(v)] == 0) {
        mark[static_cast<std::size_t>(v)] = 1;
        order.push_back(v);
      }
    }
  }
  return order.back();
}

}  // namespace renumber_detail

// The nodes in breadth-first order from pseudo-peripheral starts (see the header comment).
inline std::vector<node_id> bfs_order(const CsrView& g) {
  const auto n = static_cast<std::size_t>(g.num_nodes);
  std::vector<std::uint8_t> mark(n, 0);
  std::vector<node_id> order;
  order.reserve(n);
  for (node_id r = 0; r < g.num_nodes; ++r) {
    if (mark[static_cast<std::size_t>(r)] != 0) continue;
    const std::size_t begin = order.size();
    const node_id far = renumber_detail::sweep(g, r, mark, order);
    // Undo the probe and number from the far end instead.
    for (std::size_t i = begin; i < order.size(); ++i) {
      mark[static_cast<std::size_t>(order[i])] = 0;
    }
    order.resize(begin);
    renumber_detail::sweep(g, far, mark, order);
    // In a directed graph `far` may not reach r: then r's own search numbers what is left of
    // the probe's nodes, so that no node is probed twice (O(n + m) in all).
    if (mark[static_cast<std::size_t>(r)] == 0) renumber_detail::sweep(g, r, mark, order);
  }
  return order;
}

// Fraction of the arcs of up to 1024 strided nodes whose ends' ids (mapped by new_id unless it
// is nullptr) differ by at most `window`; 1 for a graph without sampled arcs.
inline double locality(const CsrView& g, const node_id* new_id, std::int64_t window) {
  if (g.num_nodes == 0) return 1.0;
  const node_id stride = std::max<node_id>(1, g.num_nodes / 1024);
  std::int64_t arcs = 0;
  std::int64_t near = 0;
  for (node_id u = 0; u < g.num_nodes; u += stride) {
    const std::int64_t iu = new_id != nullptr ? new_id[u] : u;
    for (arc_id a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
      const std::int64_t iv = new_id != nullptr ? new_id[g.head[a]] : g.head[a];
      near += std::llabs(iu - iv) <= window ? 1 : 0;
      ++arcs;
    }
  }
  return arcs == 0 ? 1.0 : static_cast<double>(near) / static_cast<double>(arcs);
}

// Whether the graph expands like a random graph: a breadth-first search from some node has a
// level of more than `window` nodes among the first 4 windows of nodes it reaches. Then no
// numbering gives most neighbours ids within a window, and bfs_order need not be tried.
// Starts are tried at strided ids until one reaches 4 windows of nodes (at most 8 tries);
// false if none does (inconclusive: small components). O(8 * 4 window * degree) time, O(n)
// memory.
inline bool expands(const CsrView& g, std::int64_t window) {
  const auto n = static_cast<std::size_t>(g.num_nodes);
  const std::size_t budget = static_cast<std::size_t>(4 * window);
  std::vector<std::uint8_t> mark(n, 0);
  std::vector<node_id> reached;
  const node_id stride = std::max<node_id>(1, g.num_nodes / 8);
  for (node_id start = 0; start < g.num_nodes; start += stride) {
    for (const node_id v : reached) mark[static_cast<std::size_t>(v)] = 0;
    reached.assign(1, start);
    mark[static_cast<std::size_t>(start)] = 1;
    std::size_t level_begin = 0;
    while (level_begin < reached.size() && reached.size() < budget) {
      const std::size_t level_end = reached.size();
      for (std::size_t i = level_begin; i < level_end; ++i) {
        const node_id u = reached[i];
        for (arc_id a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
          const node_id v = g.head[a];
          if (mark[static_cast<std::size_t>(v)] != 0) continue;
          mark[static_cast<std::size_t>(v)] = 1;
          reached.push_back(v);
          if (reached.size() - level_end > static_cast<std::size_t>(window)) return true;
        }
      }
      level_begin = level_end;
    }
    if (reached.size() >= budget) return false;
  }
  return false;
}

// new_id as the inverse of an order (order[x] = the user node numbered x).
inline std::vector<node_id> inverse_permutation(const std::vector<node_id>& order) {
  std::vector<node_id> inverse(order.size());
  for (std::size_t x = 0; x < order.size(); ++x) {
    inverse[static_cast<std::size_t>(order[x])] = static_cast<node_id>(x);
  }
  return inverse;
}

// The graph renumbered by `order` (a permutation of the nodes: order[x] becomes internal node x)
// and `new_id`, its inverse; `weight` (per arc, user CSR order) may be nullptr.
inline Renumbering renumber(const CsrView& g, std::vector<node_id> order,
                            std::vector<node_id> new_id, const double* weight) {
  Renumbering r;
  r.new_id = std::move(new_id);
  r.old_id = std::move(order);
  const auto n = static_cast<std::size_t>(g.num_nodes);
  const auto m = static_cast<std::size_t>(g.num_arcs);
  r.first_out.resize(n + 1);
  r.head.resize(m);
  r.arc_edge.resize(m);
  r.old_arc.resize(m);
  if (weight != nullptr) r.weight.resize(m);
  // Raw pointers: the stores below are int32 like the user's arrays, which the compiler would
  // otherwise reload after every store.
  const arc_id* first_out = g.first_out;
  const node_id* head = g.head;
  const edge_id* arc_edge = g.arc_edge;
  const node_id* old_id = r.old_id.data();
  const node_id* to_new = r.new_id.data();
  node_id* out_head = r.head.data();
  edge_id* out_arc_edge = r.arc_edge.data();
  arc_id* out_old_arc = r.old_arc.data();
  double* out_weight = r.weight.data();
  constexpr std::size_t ahead = 8;  // prefetch distance, as in sweep
  arc_id next = 0;
  r.first_out[0] = 0;
  for (std::size_t x = 0; x < n; ++x) {
    if (x + 2 * ahead < n) routecore::prefetch(first_out + old_id[x + 2 * ahead]);
    if (x + ahead < n) {
      const arc_id first = first_out[old_id[x + ahead]];
      routecore::prefetch(head + first);
      routecore::prefetch(arc_edge + first);
      if (weight != nullptr) routecore::prefetch(weight + first);
    }
    const node_id u = old_id[x];
    const arc_id begin = first_out[u];
    const arc_id end = first_out[u + 1];
    for (arc_id a = begin; a < end; ++a, ++next) {
      out_head[next] = to_new[head[a]];
      out_arc_edge[next] = arc_edge[a];
      out_old_arc[next] = a;
    }
    if (weight != nullptr)
      std::copy(weight + begin, weight + end, out_weight + (next - (end - begin)));
    r.first_out[x + 1] = next;
  }
  return r;
}

}  // namespace routecore
