// The max-flow facade (see routecore/max_flow.h), instantiated for int64 and double capacities.
#include "routecore/max_flow.h"

#include "routecore/boykov_kolmogorov.h"
#include "routecore/dinic.h"
#include "routecore/flow_network.h"
#include "routecore/min_cut.h"
#include "routecore/push_relabel.h"

namespace routecore {

flow_method choose_flow_method(const CsrView& g, std::span<const node_id> sources,
                               std::span<const node_id> sinks) {
  std::vector<std::uint8_t> kind(g.num_nodes, 0);  // 1 terminal, 2 non-terminal next to one
  for (node_id s : sources) kind[s] = 1;
  for (node_id t : sinks) kind[t] = 1;
  std::int64_t inner_arcs = 0;
  for (node_id u = 0; u < g.num_nodes; ++u) {
    const bool u_terminal = kind[u] == 1;
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const node_id v = g.head[a];
      const bool v_terminal = kind[v] == 1;
      if (u_terminal && !v_terminal) {
        kind[v] = 2;
      } else if (v_terminal && !u_terminal) {
        kind[u] = 2;
      } else if (!u_terminal) {
        ++inner_arcs;
      }
    }
  }
  std::int64_t inner = 0, touching = 0;
  for (node_id v = 0; v < g.num_nodes; ++v) {
    inner += kind[v] != 1;
    touching += kind[v] == 2;
  }
  if (inner > 0 && 4 * touching >= inner && inner_arcs <= 16 * inner)
    return flow_method::boykov_kolmogorov;
  return flow_method::push_relabel;
}

template <class Cap>
FlowOutcome<Cap> solve_max_flow(const CsrView& g, std::span<const Cap> arc_capacity, bool directed,
                                edge_id num_edges, std::span<const node_id> sources,
                                std::span<const node_id> sinks, flow_method method,
                                bool want_edge_flow, std::span<Cap> edge_flow,
                                std::span<std::uint8_t> side, const Cancel* cancel) {
  FlowOutcome<Cap> out;
  if (method == flow_method::automatic) method = choose_flow_method(g, sources, sinks);
  out.method = method;
  const bool closest_to_sources = want_edge_flow;
  const bool folded = method == flow_method::boykov_kolmogorov;

  FlowNetwork<Cap> net;
  const build_status built =
      build_flow_network(g, arc_capacity, directed, num_edges, sources, sinks, folded, net);
  out.source_total = net.source_total;
  out.sink_total = net.sink_total;
  if (built == build_status::overflow) {
    out.status = flow_status::overflow;
    return out;
  }

  bool finished = false;
  switch (method) {
    case flow_method::boykov_kolmogorov: {
      BoykovKolmogorov<Cap> bk(net);
      finished = bk.run(cancel);
      if (!finished) break;
      out.value = bk.flow_value();
      if (closest_to_sources) {
        bk.source_side_closest_to_sources(side);
      } else {
        bk.source_side_closest_to_sinks(side);
      }
      break;
    }
    case flow_method::dinic: {
      Dinic<Cap> dinic(net);
      finished = dinic.run(cancel);
      if (!finished) break;
      out.value = dinic.flow_value();
      if (closest_to_sources) {
        source_side_from_sources(net, side);
      } else {
        source_side_from_sinks(net, side);
      }
      break;
    }
    default: {
      PushRelabel<Cap> pr(net);
      finished = pr.run_max_preflow(cancel);
      if (!finished) break;
      out.value = pr.flow_value();
      if (closest_to_sources) {
        finished = pr.recover_flow(cancel);
        if (!finished) break;
        source_side_from_sources(net, side);
      } else {
        source_side_from_sinks(net, side);
      }
      break;
    }
  }
  if (!finished) {
    out.status = flow_status::cancelled;
    return out;
  }
  if (want_edge_flow) extract_edge_flow(net, g, arc_capacity, directed, edge_flow);
  out.cut_edges = crossing_edges(g, side);
  return out;
}

template FlowOutcome<std::int64_t> solve_max_flow(const CsrView&, std::span<const std::int64_t>,
                                                  bool, edge_id, std::span<const node_id>,
                                                  std::span<const node_id>, flow_method, bool,
                                                  std::span<std::int64_t>, std::span<std::uint8_t>,
                                                  const Cancel*);
template FlowOutcome<double> solve_max_flow(const CsrView&, std::span<const double>, bool, edge_id,
                                            std::span<const node_id>, std::span<const node_id>,
                                            flow_method, bool, std::span<double>,
                                            std::span<std::uint8_t>, const Cancel*);

}  // namespace routecore
