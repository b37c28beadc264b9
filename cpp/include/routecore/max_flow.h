// routecore/max_flow.h — the max-flow / min-cut facade: builds the residual network, picks and
// runs an algorithm, and reads back the value, the per-edge flows and a minimum cut.
//
// Contract
//   Input: a valid CSR graph (csr.h) with one capacity per arc (arc order; int64 or double,
//   finite and >= 0; only the forward arc of an undirected edge is read), non-empty disjoint
//   sets of source and sink node ids (duplicates allowed). Validation happens at the Python
//   boundary; here it is only asserted.
//   Output (FlowOutcome):
//     status     optimal, overflow (integer totals too large, see residual_network.h; nothing else
//                is set) or cancelled (results unspecified);
//     method     the algorithm that ran (automatic is resolved, see choose_flow_method);
//     value      the maximum flow value;
//     edge_flow  (when requested) the flow on every input edge in the src -> dst direction;
//                for undirected edges negative when it runs dst -> src;
//     side       1 for nodes on the source side of a minimum cut:
//                  with edge flows:    nodes reachable from a source in the residual network
//                                      (the cut closest to the sources);
//                  without (min cut):  nodes that cannot reach a sink (the cut closest to the
//                                      sinks) — push-relabel then stops after its first phase;
//                  empty `side` (value only, no edge flows): no cut is read at all, and
//                  push-relabel stops after its first phase;
//     cut_edges  ids (ascending) of the edges crossing from the source side to the sink side;
//                every one is saturated and their capacities sum to `value` (none for the
//                value alone);
//     with `other_side` (optional, num_nodes entries): `other_side` the other canonical cut
//     (closest to the sinks when `side` is closest to the sources, and vice versa; min_cut.h),
//     other_cut_edges the edges crossing it, and critical_edges the edges in every minimum cut
//     (from S_min to outside S_max, min_cut.h). Push-relabel then recovers a flow even without
//     edge flows, since S_min needs one.
//   Multi-edges, self-loops, zero capacities, isolated nodes and terminals in different
//   components all work. The search itself is sequential; the passes over all arcs around it
//   (building the residual network, reading the flows and the cut back) split over up to
//   `threads` threads on large graphs (parallel_passes.h), with the same result for every
//   thread count. It polls `cancel`. A graph whose residual network would not fit 32-bit arc ids
//   is refused with flow_size_error (flow_layout.h) before the network is built.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel.h"

namespace routecore {

struct FlowLayout;  // flow_layout.h

enum class flow_method : std::uint8_t { automatic, push_relabel, boykov_kolmogorov, dinic, ibfs };
enum class flow_status : std::uint8_t { optimal, overflow, cancelled };

template <class Cap>
struct FlowOutcome {
  flow_status status = flow_status::optimal;
  flow_method method = flow_method::automatic;
  Cap value = 0;
  std::vector<edge_id> cut_edges;
  std::vector<edge_id> other_cut_edges;  // only with other_side
  std::vector<edge_id> critical_edges;   // only with other_side
  // Capacity leaving the sources / entering the sinks (approximate; for the overflow report).
  double source_total = 0;
  double sink_total = 0;
};

// The rule behind flow_method::automatic, a structural probe of the graph and the terminals.
// The search-tree methods (incremental breadth-first search, and Boykov–Kolmogorov, which it
// usually beats there) win where augmenting paths are short: vision-style graphs, where most
// nodes carry a terminal arc (grids, bipartite matching, networks of gateways and terminals),
// and graphs of small diameter (random sparse graphs), where both trees meet after a few levels.
// Push-relabel wins where paths are long (layered networks, GENRMF, the AK family: there the
// tree methods can be orders of magnitude slower) and on vision graphs with both many arcs per
// node and every node tied to both terminals (noisy 8-connected and 3D grids), where its global
// relabelling pays off.
// Concretely (a terminal's arcs are its arcs in the residual network, `layout`: for a directed
// graph those leaving it and the reverses of those entering it):
//   tiny          at most auto_tiny_nodes nodes: push_relabel, without a probe. On a graph of
//                 tens of nodes a max-flow takes a few microseconds, and the probe and the
//                 tree methods' per-run set-up (ibfs) are a large share of it.
//   vision-style  at least 1/4 of the non-terminal nodes are heads of the terminals' arcs:
//                 ibfs, unless both (a) the other residual arcs number more than
//                 auto_vision_max_arcs_per_node per non-terminal node and (b) at least half of
//                 those heads are tied to a source and to a sink alike; then push_relabel.
//                 (a) keeps 2D 4-connected grids (4 residual arcs per pixel, directed or not:
//                 antiparallel edges share a pair) and bipartite matching on ibfs; (b) tells
//                 data where each pixel gets two terminal arcs, whose residual excesses are
//                 scattered at random once the direct s -> v -> t paths are saturated (noisy
//                 8-connected grids: push-relabel ~1.0x, ibfs 1.3-1.7x; noisy 3D grids:
//                 push-relabel within 1.1x of the best, ibfs up to 1.5x), from data where each
//                 node hangs off one terminal (segmentation after subtracting the smaller
//                 terminal capacity, as vision codes do; satellite networks, gateways on the
//                 source and user terminals on the sink): there the trees grow through whole
//                 regions and meet along their borders (smooth 8-connected grids: ibfs 0.7x
//                 push-relabel's time, satellite snapshots 0.35-0.5x);
//   otherwise     a breadth-first search from the sources along the arcs: ibfs if it reaches
//                 half the nodes within auto_shallow_levels(num_nodes, num_arcs) levels (or runs
//                 out of nodes first: then the source tree closes at once), else push_relabel.
//                 (Half the nodes, not the first sink: a family may hide a short path among long
//                 ones, as the AK family does.) The limit is 1.5 log_d(num_nodes) levels, d the
//                 average out-degree (at least 2), and never below 8: a graph that expands like a
//                 random graph of its degree reaches half its nodes in about log_d(num_nodes)
//                 levels (random sparse graphs, Washington's wide level graphs), one that grows
//                 only polynomially from a level to the next needs more (GENRMF's frames of grids,
//                 long level graphs), and there push-relabel wins. A limit in log2(num_nodes),
//                 the degree left out, let GENRMF's wide frames through to ibfs (5x slower).
// The rule reads only the structure (which arcs exist), never the capacities: a zero-capacity
// terminal arc counts like any other.
// Cost: O(1) for the tiny test, O(terminal degree) for the vision test; the search, only on
// graphs that are not vision-style, stops at half the nodes or at the level limit (at most
// O(num_arcs), less than push-relabel's first global relabelling).
// Graphs of at most this many nodes go to push_relabel (callgrind, instructions per value-only
// max-flow on random graphs of 10-40 nodes, AK k <= 10, 3x3-6x6 grids: push-relabel within 1.04x
// of the best method but on one graph of 30 nodes, 1.18x, where ibfs took 1.19x; at 50 nodes
// push-relabel and the probe's choice are even, at 64 and 100 the probe's choice is better).
inline constexpr node_id auto_tiny_nodes = 48;
inline constexpr std::int64_t auto_vision_max_arcs_per_node = 4;
// Levels within which the sources must reach half the nodes for the graph to count as shallow:
// 1.5 log_d(num_nodes) for the average out-degree d = num_arcs / num_nodes (at least 2), and at
// least 8 (see above).
inline int auto_shallow_levels(node_id num_nodes, arc_id num_arcs) {
  if (num_nodes < 2) return 8;
  const double degree = std::max(2.0, static_cast<double>(num_arcs) / num_nodes);
  const int levels =
      static_cast<int>(1.5 * std::log(static_cast<double>(num_nodes)) / std::log(degree));
  return std::max(8, levels);
}
// `layout` is g's FlowLayout (flow_layout.h).
flow_method choose_flow_method(const CsrView& g, const FlowLayout& layout,
                               std::span<const node_id> sources, std::span<const node_id> sinks);

// Runs the computation described above. With want_edge_flow, `edge_flow` has num_edges entries
// (otherwise it is not touched); `side` has num_nodes entries, or none for the value alone (then
// without edge flows and without `other_side`). `layout` is the graph's
// FlowLayout (flow_layout.h) when the caller keeps one, else nullptr (then it is built here,
// which costs about as much as building the residual network). `capacity_bound` is an upper
// bound on the sum of all the capacities when the caller knows one (negative otherwise): when
// it is at most max_narrow_total the pass over the terminals' arcs that sums S and T is skipped
// (no total can overflow or exceed it, so residuals are 32-bit and nothing is clamped), and
// source_total / sink_total are left at 0. `threads`: how many threads the passes over all arcs
// (building the residual network, reading flows and cut back) may use on large graphs
// (parallel_passes.h, pass_threads); the search is sequential and the result does not depend on it.
template <class Cap>
FlowOutcome<Cap> solve_max_flow(const CsrView& g, std::span<const Cap> arc_capacity, bool directed,
                                edge_id num_edges, std::span<const node_id> sources,
                                std::span<const node_id> sinks, flow_method method,
                                bool want_edge_flow, std::span<Cap> edge_flow,
                                std::span<std::uint8_t> side, const Cancel* cancel,
                                const FlowLayout* layout, double capacity_bound = -1.0,
                                int threads = 1, std::span<std::uint8_t> other_side = {});

extern template FlowOutcome<std::int64_t> solve_max_flow(
    const CsrView&, std::span<const std::int64_t>, bool, edge_id, std::span<const node_id>,
    std::span<const node_id>, flow_method, bool, std::span<std::int64_t>, std::span<std::uint8_t>,
    const Cancel*, const FlowLayout*, double, int, std::span<std::uint8_t>);
extern template FlowOutcome<double> solve_max_flow(const CsrView&, std::span<const double>, bool,
                                                   edge_id, std::span<const node_id>,
                                                   std::span<const node_id>, flow_method, bool,
                                                   std::span<double>, std::span<std::uint8_t>,
                                                   const Cancel*, const FlowLayout*, double, int,
                                                   std::span<std::uint8_t>);

}  // namespace routecore
