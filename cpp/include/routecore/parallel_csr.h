// routecore/parallel_csr.h — build_csr (csr.h) for large edge lists on a thread pool, with the
// per-arc copies of per-edge values; for graphs rebuilt at every step of a sweep (constellation
// snapshots: about 10^6 edges per step).
//
// Problem
//   Same as build_csr in csr.h: from edge arrays src/dst (edge e = position e), the CSR arrays
//   first_out, head, arc_edge of the directed graph, or of the undirected one where edge e also
//   gives the backward arc dst[e] -> src[e] stored as ~e.
//
// Input assumptions (the callers build the arrays themselves or have validated them)
//   0 <= src[e], dst[e] < num_nodes; num_arcs = num_edges * (directed ? 1 : 2) <= max_id_count;
//   output arrays sized num_nodes + 1 and num_arcs.
//
// Output and invariants
//   Exactly the arrays build_csr writes: a node's arcs are in edge-id order, and for an
//   undirected self-loop the forward arc comes before the backward one (a stable counting sort
//   has a unique result). The edges are cut into `threads` contiguous blocks: each block counts
//   its arcs per tail node; block b's arcs of node u start after node u's arcs from blocks
//   0 .. b-1, and each block then places its edges in their order. So the result is the same for
//   every thread count, and equal to build_csr's.
//
// Complexity
//   O((1 + values) * num_edges + threads * num_nodes) time, of which the counting and placing
//   and the per-block offsets (O(threads * num_nodes)) run in parallel and only the prefix sum
//   over the nodes (O(num_nodes)) is serial; memory threads * num_nodes counters.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel.h"

namespace routecore {

// One per-edge value array and where its arc-order copy goes (per_arc[a] = per_edge[e] for both
// arcs of edge e).
struct ArcValues {
  std::span<const double> per_edge;  // num_edges
  std::span<double> per_arc;         // num_arcs
};

// build_csr on `threads` threads (same output), also copying each of `values` into arc order as
// the arcs are placed. Returns false when cancelled (output unspecified).
bool build_csr_parallel(node_id num_nodes, std::span<const node_id> src,
                        std::span<const node_id> dst, bool directed, int threads,
                        std::span<arc_id> first_out, std::span<node_id> head,
                        std::span<edge_id> arc_edge, std::span<const ArcValues> values,
                        const Cancel& cancel);

}  // namespace routecore
