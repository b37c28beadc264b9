#include "routecore/csr.h"

#include <algorithm>

namespace routecore {

void build_csr(node_id num_nodes, std::span<const node_id> src, std::span<const node_id> dst,
               bool directed, std::span<arc_id> first_out, std::span<node_id> head,
               std::span<edge_id> arc_edge) {
  const auto num_edges = static_cast<edge_id>(src.size());
  assert(first_out.size() == static_cast<std::size_t>(num_nodes) + 1);
  std::fill(first_out.begin(), first_out.end(), 0);
  // Counting sort by tail node: count, prefix sum, then place. Stable in the edge order.
  for (edge_id e = 0; e < num_edges; ++e) {
    ++first_out[src[e] + 1];
    if (!directed) ++first_out[dst[e] + 1];
  }
  for (node_id u = 0; u < num_nodes; ++u) first_out[u + 1] += first_out[u];
  std::vector<arc_id> next(first_out.begin(), first_out.end() - 1);
  for (edge_id e = 0; e < num_edges; ++e) {
    const arc_id a = next[src[e]]++;
    head[a] = dst[e];
    arc_edge[a] = e;
    if (!directed) {
      const arc_id b = next[dst[e]]++;
      head[b] = src[e];
      arc_edge[b] = ~e;
    }
  }
}

void build_reverse_csr(const CsrView& g, std::span<arc_id> first_out, std::span<node_id> head,
                       std::span<edge_id> arc_edge) {
  std::fill(first_out.begin(), first_out.end(), 0);
  for (arc_id a = 0; a < g.num_arcs; ++a) ++first_out[g.head[a] + 1];
  for (node_id u = 0; u < g.num_nodes; ++u) first_out[u + 1] += first_out[u];
  std::vector<arc_id> next(first_out.begin(), first_out.end() - 1);
  for (node_id u = 0; u < g.num_nodes; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const arc_id b = next[g.head[a]]++;
      head[b] = u;
      arc_edge[b] = g.arc_edge[a];
    }
  }
}

}  // namespace routecore
