// The max-flow facade (see routecore/max_flow.h), instantiated for int64 and double capacities;
// int64 problems whose totals are small enough run on 32-bit residuals.
#include "routecore/max_flow.h"

#include <optional>
#include <utility>

#include "routecore/boykov_kolmogorov.h"
#include "routecore/dinic.h"
#include "routecore/edge_flow.h"
#include "routecore/flow_layout.h"
#include "routecore/ibfs.h"
#include "routecore/min_cut.h"
#include "routecore/push_relabel.h"

namespace routecore {

flow_method choose_flow_method(const CsrView& g, const FlowLayout& layout,
                               std::span<const node_id> sources, std::span<const node_id> sinks) {
  if (g.num_nodes <= auto_tiny_nodes) return flow_method::push_relabel;
  // seen: 1 a terminal (in the search: a node already reached); for other nodes, bit 2 the head
  // of a source's residual arc, bit 4 the head of a sink's.
  ScratchArray<std::uint8_t> seen(static_cast<std::size_t>(g.num_nodes), 0);
  std::int64_t terminals = 0, terminal_arcs = 0;
  for (auto set : {sources, sinks}) {
    for (node_id x : set) {
      if (seen[x] == 1) continue;  // a duplicate id
      seen[x] = 1;
      ++terminals;
      terminal_arcs += layout.first_out[x + 1] - layout.first_out[x];
    }
  }
  std::int64_t touching = 0, both = 0;
  for (auto [set, bit] : {std::pair{sources, std::uint8_t{2}}, std::pair{sinks, std::uint8_t{4}}}) {
    for (node_id x : set) {
      const arc_id end = layout.first_out[x + 1];
      for (arc_id a = layout.first_out[x]; a < end; ++a) {
        const node_id y = layout.head[a];
        const std::uint8_t was = seen[y];
        if (was == 1 || (was & bit) != 0) continue;
        touching += was == 0;
        both += was != 0;
        seen[y] = static_cast<std::uint8_t>(was | bit);
      }
    }
  }
  const std::int64_t inner = g.num_nodes - terminals;
  const std::int64_t inner_arcs = layout.num_arcs - 2 * terminal_arcs;
  if (inner > 0 && 4 * touching >= inner) {
    const bool sparse = inner_arcs <= auto_vision_max_arcs_per_node * inner;
    const bool tied_to_both = 2 * both >= touching;
    return sparse || !tied_to_both ? flow_method::ibfs : flow_method::push_relabel;
  }
  // Not vision-style: how deep is the graph? Breadth-first from the sources, level by level,
  // until half the nodes are reached: at the node that makes half, not at the end of its level
  // (the same answer; on a random graph the last level alone is a third of the nodes).
  std::fill_n(seen.data(), seen.size(), std::uint8_t{0});
  ScratchArray<node_id> queue(static_cast<std::size_t>(g.num_nodes));
  std::size_t tail = 0;
  for (node_id s : sources) {
    if (seen[s] == 0) queue[tail++] = s;
    seen[s] = 1;
  }
  const int max_levels = auto_shallow_levels(g.num_nodes, g.num_arcs);
  std::size_t level_begin = 0;
  for (int level = 1; level_begin < tail; ++level) {
    if (level > max_levels) return flow_method::push_relabel;
    const std::size_t level_end = tail;
    for (std::size_t i = level_begin; i < level_end; ++i) {
      const node_id v = queue[i];
      for (arc_id a = g.begin(v); a < g.end(v); ++a) {
        const node_id y = g.head[a];
        if (seen[y] == 0) {
          seen[y] = 1;
          queue[tail++] = y;
          if (2 * static_cast<std::int64_t>(tail) >= g.num_nodes) return flow_method::ibfs;
        }
      }
    }
    if (2 * static_cast<std::int64_t>(tail) >= g.num_nodes) return flow_method::ibfs;
    level_begin = level_end;
  }
  return flow_method::ibfs;  // the sources reach few nodes: the source tree closes at once
}

namespace {

// Boykov–Kolmogorov and IBFS run on the folded terminal form (residual_network.h).
bool uses_folded_form(flow_method method) {
  return method == flow_method::boykov_kolmogorov || method == flow_method::ibfs;
}

// Runs `method` on a network with residuals of type Cap built from capacities of type In.
template <class Cap, class In>
bool run_method(const CsrView& g, const FlowLayout& layout, std::span<const In> arc_capacity,
                bool directed, Terminals terminals, In clamp, flow_method method,
                bool want_edge_flow, std::span<In> edge_flow, std::span<std::uint8_t> side,
                edge_id num_edges, In& value, std::vector<edge_id>& cut_edges,
                std::span<std::uint8_t> other_side, std::vector<edge_id>& other_cut_edges,
                std::vector<edge_id>& critical, const Cancel* cancel, int threads) {
  const bool folded = uses_folded_form(method);
  // With `other_side` both canonical cuts are read, and S_min needs a flow (not a preflow).
  const bool both = !other_side.empty();
  const bool keep_capacity = method == flow_method::push_relabel && (want_edge_flow || both);
  FlowNetwork<Cap> net;
  build_flow_network<Cap, In>(g, layout, arc_capacity, directed, std::move(terminals), clamp,
                              folded, keep_capacity, net, threads);
  // With edge flows `side` is the cut closest to the sources, otherwise the one closest to the
  // sinks; `other_side` (when given) the other one. The search-tree solvers (folded form) read
  // either cut from their trees.
  std::span<std::uint8_t> smallest = want_edge_flow ? side : other_side;
  std::span<std::uint8_t> largest = want_edge_flow ? other_side : side;
  auto run_tree_solver = [&](auto& solver) {
    if (!solver.run(cancel)) return false;
    value = static_cast<In>(solver.flow_value());
    if (!smallest.empty()) solver.source_side_closest_to_sources(smallest);
    if (!largest.empty()) solver.source_side_closest_to_sinks(largest);
    return true;
  };
  switch (method) {
    case flow_method::boykov_kolmogorov: {
      BoykovKolmogorov<Cap> bk(net);
      if (!run_tree_solver(bk)) return false;
      break;
    }
    case flow_method::ibfs: {
      Ibfs<Cap> ibfs(net);
      if (!run_tree_solver(ibfs)) return false;
      break;
    }
    case flow_method::dinic: {
      Dinic<Cap> dinic(net);
      if (!dinic.run(cancel)) return false;
      value = static_cast<In>(dinic.flow_value());
      if (!smallest.empty()) source_side_from_sources(net, smallest);
      if (!largest.empty()) source_side_from_sinks(net, largest);
      break;
    }
    default: {
      PushRelabel<Cap> pr(net);
      if (!pr.run_max_preflow(cancel)) return false;
      value = static_cast<In>(pr.flow_value());
      if (!largest.empty()) source_side_from_sinks(net, largest);  // valid for the preflow
      if (!smallest.empty()) {
        if (!pr.recover_flow(cancel)) return false;
        source_side_from_sources(net, smallest);
      }
      break;
    }
  }
  if (want_edge_flow) {
    cut_edges = extract_edge_flow<Cap, In>(net, g, layout, arc_capacity, clamp, directed, edge_flow,
                                           side, num_edges, threads);
  } else if (!side.empty()) {
    cut_edges = crossing_edges(g, num_edges, side, threads);
  }
  if (both) {
    other_cut_edges = crossing_edges(g, num_edges, other_side, threads);
    critical = critical_edges(g, num_edges, smallest, largest, threads);
  }
  return true;
}

}  // namespace

template <class Cap>
FlowOutcome<Cap> solve_max_flow(const CsrView& g, std::span<const Cap> arc_capacity, bool directed,
                                edge_id num_edges, std::span<const node_id> sources,
                                std::span<const node_id> sinks, flow_method method,
                                bool want_edge_flow, std::span<Cap> edge_flow,
                                std::span<std::uint8_t> side, const Cancel* cancel,
                                const FlowLayout* layout, double capacity_bound, int threads,
                                std::span<std::uint8_t> other_side) {
  FlowOutcome<Cap> out;
  std::optional<OwnedFlowLayout> own_layout;
  if (layout == nullptr) layout = &own_layout.emplace(g, directed).view;
  if (method == flow_method::automatic) method = choose_flow_method(g, *layout, sources, sinks);
  out.method = method;
  Terminals terminals(g.num_nodes, sources, sinks);
  CapacityTotals<Cap> totals;
  if (capacity_bound >= 0 && capacity_bound <= static_cast<double>(max_narrow_total)) {
    totals.narrow = true;  // every total is below the bound: no clamp, no overflow
  } else {
    totals = capacity_totals<Cap>(g, *layout, arc_capacity, directed, terminals);
  }
  out.source_total = totals.source_total;
  out.sink_total = totals.sink_total;
  if (totals.overflow) {
    out.status = flow_status::overflow;
    return out;
  }
  auto run = [&]<class Narrow>() {
    return run_method<Narrow, Cap>(g, *layout, arc_capacity, directed, std::move(terminals),
                                   totals.clamp, method, want_edge_flow, edge_flow, side, num_edges,
                                   out.value, out.cut_edges, other_side, out.other_cut_edges,
                                   out.critical_edges, cancel, threads);
  };
  bool finished;
  if constexpr (std::is_same_v<Cap, std::int64_t>) {
    finished =
        totals.narrow ? run.template operator()<std::int32_t>() : run.template operator()<Cap>();
  } else {
    finished = run.template operator()<Cap>();
  }
  if (!finished) {
    out.status = flow_status::cancelled;
    out.cut_edges.clear();
    out.other_cut_edges.clear();
    out.critical_edges.clear();
  }
  return out;
}

template FlowOutcome<std::int64_t> solve_max_flow(const CsrView&, std::span<const std::int64_t>,
                                                  bool, edge_id, std::span<const node_id>,
                                                  std::span<const node_id>, flow_method, bool,
                                                  std::span<std::int64_t>, std::span<std::uint8_t>,
                                                  const Cancel*, const FlowLayout*, double, int,
                                                  std::span<std::uint8_t>);
template FlowOutcome<double> solve_max_flow(const CsrView&, std::span<const double>, bool, edge_id,
                                            std::span<const node_id>, std::span<const node_id>,
                                            flow_method, bool, std::span<double>,
                                            std::span<std::uint8_t>, const Cancel*,
                                            const FlowLayout*, double, int,
                                            std::span<std::uint8_t>);

}  // namespace routecore
