// routecore/csr.h — the compressed-sparse-row graph every algorithm reads.
//
// Contract
//   A graph with `num_nodes` nodes and `num_arcs` arcs is four arrays:
//     first_out[num_nodes + 1]  first_out[0] == 0, non-decreasing, first_out[num_nodes] ==
//     num_arcs;
//                               the arcs leaving node u are first_out[u] .. first_out[u+1]-1.
//     head[num_arcs]            head[a] is the node arc a enters, 0 <= head[a] < num_nodes.
//     arc_edge[num_arcs]        the input edge an arc comes from. An edge id is the edge's position
//                               in the caller's input arrays. For an undirected graph each edge
//                               gives two arcs: the forward one stores e, the backward one ~e (<
//                               0). edge_of(arc_edge[a]) recovers e either way.
//     weight / capacity         optional per-arc values (already permuted into arc order).
//   Multi-arcs, self-loops, zero weights, isolated nodes and disconnected parts are all valid.
//   Arcs of one node keep the input order of their edges (the build is a stable counting sort),
//   so results are deterministic.
//
// Invariants checked here only in debug builds; the Python boundary validates input before any
// CSR is built, so the algorithms never see ids out of range or negative weights.
//
// The build (build_csr) is one stable counting sort with a serial and a parallel path in one:
// the edges are cut into `blocks` contiguous blocks (one unless the edge list is large and
// several threads are given); each block counts its arcs per tail node, block b's arcs of node u
// start after node u's arcs from blocks 0 .. b-1, and each block then places its edges in their
// order. A stable counting sort has a unique result, so the arrays are the same for every
// thread count, with a node's arcs in edge-id order (for an undirected self-loop the forward arc
// before the backward one). Per-edge values (weights, capacities) can be copied into arc order
// as the arcs are placed.
//
// Complexity: build is O((1 + values) * num_edges + blocks * num_nodes) time; the counting,
// the per-block offsets and the placing run on the threads, only the prefix sum over the nodes
// (O(num_nodes)) is serial. Memory: 4 bytes per node plus 8 bytes per arc (head + arc_edge),
// plus 8 bytes per arc per value array; blocks * num_nodes counters while building.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

namespace routecore {

class Cancel;  // parallel.h

using node_id = std::int32_t;
using arc_id = std::int32_t;
using edge_id = std::int32_t;

// Largest node or arc count representable with 32-bit ids; bigger graphs are refused at the
// boundary before anything is allocated.
inline constexpr std::int64_t max_id_count = 2147483647;

inline constexpr edge_id edge_of(edge_id stored) { return stored < 0 ? ~stored : stored; }
inline constexpr bool is_forward(edge_id stored) { return stored >= 0; }

// A non-owning view of a CSR graph. Cheap to copy; the arrays belong to the caller (in practice,
// numpy arrays owned by the Python Graph object).
struct CsrView {
  node_id num_nodes = 0;
  arc_id num_arcs = 0;
  const arc_id* first_out = nullptr;  // num_nodes + 1
  const node_id* head = nullptr;      // num_arcs
  const edge_id* arc_edge = nullptr;  // num_arcs

  arc_id begin(node_id u) const { return first_out[u]; }
  arc_id end(node_id u) const { return first_out[u + 1]; }
  arc_id out_degree(node_id u) const { return first_out[u + 1] - first_out[u]; }
};

// Owned CSR arrays, as produced by build_csr.
struct Csr {
  std::vector<arc_id> first_out;
  std::vector<node_id> head;
  std::vector<edge_id> arc_edge;

  CsrView view() const {
    return CsrView{static_cast<node_id>(first_out.size() - 1), static_cast<arc_id>(head.size()),
                   first_out.data(), head.data(), arc_edge.data()};
  }
};

// Edges per block below which the build does not start another thread: a thread costs more
// than it saves on fewer.
inline constexpr std::int64_t min_edges_per_csr_block = std::int64_t{1} << 16;

// One per-edge value array and where its arc-order copy goes (per_arc[a] = per_edge[e] for both
// arcs of edge e).
struct ArcValues {
  std::span<const double> per_edge;  // num_edges
  std::span<double> per_arc;         // num_arcs
};

// Builds the CSR of `num_edges` edges (src[e] -> dst[e]). With `directed == false` every edge
// also yields the backward arc dst[e] -> src[e] (stored edge id ~e); an undirected self-loop
// yields both arcs. Writes into caller-provided arrays sized num_nodes + 1 and num_arcs, where
// num_arcs = num_edges * (directed ? 1 : 2), and copies each of `values` into arc order.
// Runs on up to `threads` threads (one block of at least min_edges_per_csr_block edges per
// thread); the output does not depend on it. Returns false when `cancel` was requested (output
// unspecified), true otherwise.
// Precondition: 0 <= src[e], dst[e] < num_nodes; num_arcs <= max_id_count.
bool build_csr(node_id num_nodes, std::span<const node_id> src, std::span<const node_id> dst,
               bool directed, std::span<arc_id> first_out, std::span<node_id> head,
               std::span<edge_id> arc_edge, std::span<const ArcValues> values = {}, int threads = 1,
               const Cancel* cancel = nullptr);

// The CSR of the reversed graph: arc u->v of `g` becomes v->u. `arc_edge` of the result carries
// the same stored edge id as the original arc, so reverse searches still name input edges.
// Output arrays sized like the input's.
void build_reverse_csr(const CsrView& g, std::span<arc_id> first_out, std::span<node_id> head,
                       std::span<edge_id> arc_edge);

}  // namespace routecore
