// routecore/failure_cases.h — many cases on one graph, run by a thread pool: the max-flow value
// with a few arcs failed, the shortest-path lengths to chosen targets with a few arcs failed, and
// the max-flow value between many (source, sink) pairs of the intact graph.
//
// Problem
//   A failure sweep asks the same two questions for k variants of one graph that differ only in
//   a small set of failed edges: how much can flow from the sources to the sinks, and how far is
//   the nearest source from each target? One call answers them for every case, so the per-case
//   cost is one max-flow or one multi-source Dijkstra search, with no Python in between.
//   pair_max_flows asks the first question for k (source, sink) pairs of one intact graph
//   (connectivity between many site pairs, the "many small calls" sweep), for the same reason:
//   on a small graph a call from Python costs more than the max-flow itself.
//
// Input assumptions (validated by the Python layer, routecore/sweep.py)
//   A valid CSR graph (csr.h) with per-arc base capacities (int64 or double) or base weights
//   (double), finite and >= 0. Cases in CSR form: case i fails the arcs
//   case_arcs[case_offsets[i] .. case_offsets[i + 1]) (the caller lists both arcs of an
//   undirected edge); arc ids in range, repeats allowed. Sources, sinks and targets as in
//   max_flow.h and dijkstra.h (sources and sinks non-empty and disjoint; no source blocked).
//
// Output
//   failure_max_flows: value[i] the maximum flow of case i (a minimum cut's capacity; computed
//     without per-edge flows, see max_flow.h) and status[i] (flow_status as a byte).
//   pair_max_flows: value[i] the maximum flow from pair_sources[i] to pair_sinks[i] (distinct
//     node ids; validated by routecore/batch.py), status[i] as above.
//   failure_lengths: out[i * t + j] = min over the sources of the length of a shortest path to
//     targets[j] in case i, +inf where none is left.
//
// Invariants
//   Every worker owns a private copy of the base values. A case sets its failed arcs to the
//   "absent" value (capacity 0; weight +inf, which no relaxation turns into a finite length),
//   runs, and restores exactly those arcs, so each case sees the base values except its own
//   failures. A case is computed by one thread from the same input whatever the thread count,
//   so results do not depend on `threads`.
//
// Complexity
//   Per case one max-flow (max_flow.h) or one multi-source Dijkstra (dijkstra.h), plus
//   O(failed arcs) to set and restore; memory O(n + m) per worker. Cancellation is polled
//   between cases and inside each algorithm; a cancelled call returns false (output
//   unspecified).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/dijkstra.h"
#include "routecore/flow_layout.h"
#include "routecore/max_flow.h"
#include "routecore/parallel.h"
#include "routecore/path_common.h"

namespace routecore {

// The failed arcs of one case.
inline std::span<const arc_id> case_arcs_of(std::span<const std::int64_t> case_offsets,
                                            std::span<const arc_id> case_arcs, std::int64_t i) {
  const auto lo = static_cast<std::size_t>(case_offsets[static_cast<std::size_t>(i)]);
  const auto hi = static_cast<std::size_t>(case_offsets[static_cast<std::size_t>(i) + 1]);
  return case_arcs.subspan(lo, hi - lo);
}

template <class Cap>
bool failure_max_flows(const CsrView& g, const FlowLayout& layout,
                       std::span<const Cap> arc_capacity, bool directed, edge_id num_edges,
                       std::span<const node_id> sources, std::span<const node_id> sinks,
                       flow_method method, std::span<const std::int64_t> case_offsets,
                       std::span<const arc_id> case_arcs, int threads, Cap* value,
                       std::uint8_t* status, const Cancel& cancel) {
  const auto k = static_cast<std::int64_t>(case_offsets.size()) - 1;
  // Failures only remove capacity, so the base total bounds every case's totals.
  double capacity_bound = 0;
  for (const Cap c : arc_capacity) capacity_bound += static_cast<double>(c);
  struct Workspace {
    std::vector<Cap> capacity;
  };
  std::vector<std::unique_ptr<Workspace>> workspace(static_cast<std::size_t>(std::max(1, threads)));
  parallel_for(k, threads, &cancel, [&](std::int64_t i, int worker) {
    auto& ws = workspace[static_cast<std::size_t>(worker)];
    if (!ws) {
      ws = std::make_unique<Workspace>();
      ws->capacity.assign(arc_capacity.begin(), arc_capacity.end());
    }
    const auto failed = case_arcs_of(case_offsets, case_arcs, i);
    for (const arc_id a : failed) ws->capacity[static_cast<std::size_t>(a)] = Cap{0};
    const FlowOutcome<Cap> out = solve_max_flow<Cap>(
        g, std::span<const Cap>(ws->capacity), directed, num_edges, sources, sinks, method,
        /*want_edge_flow=*/false, std::span<Cap>(), std::span<std::uint8_t>(), &cancel, &layout,
        capacity_bound);  // the value alone: no side array, so no cut is read back
    for (const arc_id a : failed) {
      ws->capacity[static_cast<std::size_t>(a)] = arc_capacity[static_cast<std::size_t>(a)];
    }
    value[i] = out.value;
    status[i] = static_cast<std::uint8_t>(out.status);
  });
  return !cancel.requested();
}

template <class Cap>
bool pair_max_flows(const CsrView& g, const FlowLayout& layout, std::span<const Cap> arc_capacity,
                    bool directed, edge_id num_edges, std::span<const node_id> pair_sources,
                    std::span<const node_id> pair_sinks, flow_method method, int threads,
                    Cap* value, std::uint8_t* status, const Cancel& cancel) {
  const auto k = static_cast<std::int64_t>(pair_sources.size());
  double capacity_bound = 0;  // the total bounds every pair's totals
  for (const Cap c : arc_capacity) capacity_bound += static_cast<double>(c);
  parallel_for(k, threads, &cancel, [&](std::int64_t i, int /*worker*/) {
    const auto at = static_cast<std::size_t>(i);
    // The value alone: no side array, so no cut is read back (max_flow.h).
    const FlowOutcome<Cap> out = solve_max_flow<Cap>(
        g, arc_capacity, directed, num_edges, pair_sources.subspan(at, 1),
        pair_sinks.subspan(at, 1), method, /*want_edge_flow=*/false, std::span<Cap>(),
        std::span<std::uint8_t>(), &cancel, &layout, capacity_bound);
    value[i] = out.value;
    status[i] = static_cast<std::uint8_t>(out.status);
  });
  return !cancel.requested();
}

inline bool failure_lengths(const CsrView& g, std::span<const double> arc_weight,
                            std::span<const node_id> sources, std::span<const node_id> targets,
                            const std::uint8_t* blocked, std::span<const std::int64_t> case_offsets,
                            std::span<const arc_id> case_arcs, int threads, double* out,
                            const Cancel& cancel) {
  const auto k = static_cast<std::int64_t>(case_offsets.size()) - 1;
  struct Workspace {
    Workspace(node_id num_nodes, const std::uint8_t* blocked, std::span<const double> w)
        : search(num_nodes, blocked),
          weight(w.begin(), w.end()),
          length(static_cast<std::size_t>(num_nodes)),
          root(static_cast<std::size_t>(num_nodes)) {}
    DijkstraSearch search;
    std::vector<double> weight;
    std::vector<double> length;
    std::vector<node_id> root;
  };
  std::vector<std::unique_ptr<Workspace>> workspace(static_cast<std::size_t>(std::max(1, threads)));
  std::atomic<bool> finished{true};
  parallel_for(k, threads, &cancel, [&](std::int64_t i, int worker) {
    auto& ws = workspace[static_cast<std::size_t>(worker)];
    if (!ws) ws = std::make_unique<Workspace>(g.num_nodes, blocked, arc_weight);
    const auto failed = case_arcs_of(case_offsets, case_arcs, i);
    for (const arc_id a : failed) ws->weight[static_cast<std::size_t>(a)] = unreachable;
    if (!ws->search.nearest(g, ArcWeights{ws->weight.data()}, sources, ws->length.data(),
                            ws->root.data(), nullptr, nullptr, cancel)) {
      finished = false;
    }
    for (const arc_id a : failed) {
      ws->weight[static_cast<std::size_t>(a)] = arc_weight[static_cast<std::size_t>(a)];
    }
    double* row = out + static_cast<std::size_t>(i) * targets.size();
    for (std::size_t j = 0; j < targets.size(); ++j) {
      row[j] = ws->length[static_cast<std::size_t>(targets[j])];
    }
  });
  return finished && !cancel.requested();
}

}  // namespace routecore
