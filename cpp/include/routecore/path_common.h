// routecore/path_common.h — vocabulary shared by the shortest-path searches.
//
// Contract
//   * Arc weights are read through a small accessor, so one search serves weighted graphs
//     (`ArcWeights`: a float64 array in CSR arc order, finite and >= 0) and unweighted ones
//     (`UnitWeights`: every arc costs 1, i.e. hop counts) without a copy.
//   * A blocked (forbidden) node is given as a byte mask over the nodes, non-zero = blocked, or
//     nullptr for none. A search never enters a blocked node; the caller guarantees that the
//     sources and targets themselves are not blocked.
//   * `PathResult` is a path as the Python layer returns it: nodes source..target, one input
//     edge id per hop (edge_of() of the arc used, so an undirected edge traversed backwards still
//     reports its own id), and its length, summed left to right from the source.
//   * `unreachable` (+inf) is the length of a node no search reached.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "routecore/csr.h"
#include "routecore/portability.h"

namespace routecore {

inline constexpr double unreachable = std::numeric_limits<double>::infinity();

struct ArcWeights {
  const double* weight;  // one per arc, CSR order
  double operator()(arc_id a) const { return weight[a]; }
  void prefetch(arc_id a) const { routecore::prefetch(weight + a); }
};

struct UnitWeights {
  double operator()(arc_id) const { return 1.0; }
  void prefetch(arc_id) const {}
};

struct PathResult {
  std::vector<node_id> nodes;
  std::vector<edge_id> edges;
  double length = 0.0;
};

// Appends to `out` the path that ends at `v`, following the search tree backwards:
// parent[x] is the node before x and pred_arc[x] the arc parent[x] -> x, until `root` is
// reached. The result is in root..v order. Length is summed root-first with `w`.
template <class Weights>
void trace_tree_path(const CsrView& g, Weights w, const node_id* parent, const arc_id* pred_arc,
                     node_id root, node_id v, PathResult& out) {
  out.nodes.clear();
  out.edges.clear();
  std::vector<arc_id> arcs;
  for (node_id x = v; x != root; x = parent[x]) {
    out.nodes.push_back(x);
    arcs.push_back(pred_arc[x]);
  }
  out.nodes.push_back(root);
  std::reverse(out.nodes.begin(), out.nodes.end());
  std::reverse(arcs.begin(), arcs.end());
  out.length = 0.0;
  for (const arc_id a : arcs) {
    out.edges.push_back(edge_of(g.arc_edge[a]));
    out.length += w(a);
  }
}

}  // namespace routecore
