// The pieces the max-flow facade is built from, tested on their own: the layout's size check
// (flow_layout.h, without building a graph of 2^30 edges: the check reads only the counts), the
// layout's invariants, the overflow totals and the 32-bit residual choice (residual_network.h),
// and the parallel passes (parallel_passes.h): every node in exactly one block, the same cut
// and the same residual network for every thread count.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "check.h"
#include "routecore/csr.h"
#include "routecore/edge_flow.h"
#include "routecore/flow_layout.h"
#include "routecore/max_flow.h"
#include "routecore/min_cut.h"
#include "routecore/parallel_passes.h"
#include "routecore/residual_network.h"

namespace {

using routecore::arc_id;
using routecore::CsrView;
using routecore::edge_id;
using routecore::node_id;
using routecore::testing::check;

struct Graph {
  node_id n = 0;
  bool directed = true;
  std::vector<node_id> src, dst;
  std::vector<arc_id> first_out;
  std::vector<node_id> head;
  std::vector<edge_id> arc_edge;

  Graph(node_id nodes, std::vector<node_id> s, std::vector<node_id> d, bool dir)
      : n(nodes), directed(dir), src(std::move(s)), dst(std::move(d)) {
    const std::size_t arcs = src.size() * (directed ? 1 : 2);
    first_out.resize(static_cast<std::size_t>(n) + 1);
    head.resize(arcs);
    arc_edge.resize(arcs);
    routecore::build_csr(n, src, dst, directed, first_out, head, arc_edge);
  }
  CsrView view() const {
    return CsrView{n, static_cast<arc_id>(head.size()), first_out.data(), head.data(),
                   arc_edge.data()};
  }
  // Per-edge values in arc order.
  template <class T>
  std::vector<T> per_arc(const std::vector<T>& per_edge) const {
    std::vector<T> out(head.size());
    for (std::size_t a = 0; a < out.size(); ++a)
      out[a] = per_edge[static_cast<std::size_t>(routecore::edge_of(arc_edge[a]))];
    return out;
  }
};

Graph random_graph(std::mt19937_64& rng, node_id n, std::size_t m, bool directed) {
  std::vector<node_id> src(m), dst(m);
  for (std::size_t e = 0; e < m; ++e) {
    src[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
    dst[e] = rng() % 10 == 0 ? src[e] : static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
  }
  return Graph(n, std::move(src), std::move(dst), directed);
}

void test_size_check() {
  using routecore::flow_layout_arcs;
  using routecore::flow_size_error;
  constexpr std::int64_t limit = routecore::max_id_count;
  // Only the counts are read: no arrays behind these views.
  CsrView big{1, arc_id{1} << 30, nullptr, nullptr, nullptr};
  check(routecore::flow_layout_arc_count(limit, true) == 2 * limit, "64-bit arc count");
  check(flow_layout_arcs(big, false) == (arc_id{1} << 30), "undirected layout reuses the arcs");
  bool refused = false;
  try {
    flow_layout_arcs(big, true);
  } catch (const flow_size_error& e) {
    const std::string what = e.what();
    refused = what.find("2147483648") != std::string::npos &&
              what.find(std::to_string(limit)) != std::string::npos;
  }
  check(refused, "a directed graph of 2^30 edges is refused, naming the size and the limit");
  CsrView fits{1, (arc_id{1} << 30) - 1, nullptr, nullptr, nullptr};
  check(flow_layout_arcs(fits, true) == limit - 1, "2^30 - 1 directed edges fit");
  // The builders refuse before touching any array.
  refused = false;
  try {
    routecore::OwnedFlowLayout layout(big, true);
  } catch (const flow_size_error&) {
    refused = true;
  }
  check(refused, "OwnedFlowLayout refuses an oversized layout");
  refused = false;
  try {
    routecore::build_flow_layout(big, true, {}, {}, {}, {});
  } catch (const flow_size_error&) {
    refused = true;
  }
  check(refused, "build_flow_layout refuses an oversized layout");
  refused = false;
  try {
    const node_id s = 0;
    routecore::solve_max_flow<std::int64_t>(big, {}, true, big.num_arcs, {&s, 1}, {&s, 1},
                                            routecore::flow_method::push_relabel, false, {}, {},
                                            nullptr, nullptr);
  } catch (const flow_size_error&) {
    refused = true;
  }
  check(refused, "solve_max_flow without a layout refuses an oversized graph");
}

void test_layout_invariants(std::mt19937_64& rng) {
  for (int trial = 0; trial < 200; ++trial) {
    const Graph g =
        random_graph(rng, static_cast<node_id>(1 + rng() % 20), rng() % 60, trial % 2 == 0);
    const CsrView v = g.view();
    routecore::OwnedFlowLayout owned(v, g.directed);
    const routecore::FlowLayout& l = owned.view;
    // Directed: two arcs per edge, less one per edge matched with an antiparallel one (as many
    // pairs per two nodes as the rarer direction has edges).
    std::int64_t merged = 0;
    if (g.directed) {
      std::map<std::pair<node_id, node_id>, std::int64_t> count;
      for (node_id u = 0; u < v.num_nodes; ++u)
        for (arc_id a = v.begin(u); a < v.end(u); ++a)
          if (v.head[a] != u) ++count[{u, v.head[a]}];
      for (const auto& [ends, k] : count) {
        const auto back = count.find({ends.second, ends.first});
        if (back != count.end()) merged += std::min(k, back->second);
      }
    }
    check(l.num_arcs == (g.directed ? 2 * v.num_arcs - merged : v.num_arcs), "layout arc count",
          trial);
    std::vector<node_id> tail(static_cast<std::size_t>(l.num_arcs));
    for (node_id u = 0; u < v.num_nodes; ++u)
      for (arc_id a = l.first_out[u]; a < l.first_out[u + 1]; ++a) tail[a] = u;
    std::size_t loops = 0;
    for (arc_id a = 0; a < l.num_arcs; ++a) {
      const arc_id s = l.sister[a];
      check(l.sister[s] == a, "sister(sister(a)) == a", trial);
      check(l.head[s] == tail[a] && l.head[a] == tail[s], "a sister runs the other way", trial);
      loops += l.head[a] == tail[a];
    }
    check(l.loop_arcs.size() == loops, "loop_arcs lists exactly the loops' arcs", trial);
    for (arc_id a : l.loop_arcs) check(l.head[a] == tail[a], "a loop arc is a loop", trial);
    // CSR arc a of u is residual arc forward_arc(u, a), with the same head.
    for (node_id u = 0; u < v.num_nodes; ++u) {
      const arc_id shift = g.directed ? l.first_out[u] - v.first_out[u] : 0;
      for (arc_id a = v.begin(u); a < v.end(u); ++a)
        check(l.head[a + shift] == v.head[a], "CSR arc keeps its head in the layout", trial);
    }
  }
}

template <class In>
routecore::CapacityTotals<In> totals_of(const Graph& g, const std::vector<In>& per_edge,
                                        std::vector<node_id> sources, std::vector<node_id> sinks) {
  const CsrView v = g.view();
  routecore::OwnedFlowLayout layout(v, g.directed);
  const routecore::Terminals terminals(v.num_nodes, sources, sinks);
  const std::vector<In> cap = g.per_arc(per_edge);
  return routecore::capacity_totals<In>(v, layout.view, cap, g.directed, terminals);
}

void test_overflow_totals() {
  using I = std::int64_t;
  constexpr I max_total = routecore::max_int_flow_total;
  constexpr I narrow = routecore::max_narrow_total;
  // 0 -> 1 -> 2: a huge source edge is clamped to the sink side's total + 1.
  const Graph path(3, {0, 1}, {1, 2}, true);
  auto t = totals_of<I>(path, {I{1} << 62, 5}, {0}, {2});
  check(!t.overflow && t.clamp == 6 && t.narrow, "clamped to B + 1, then 32-bit residuals");
  check(t.source_total == static_cast<double>(I{1} << 62) && t.sink_total == 5.0,
        "the unclamped totals are reported");
  // Both sides beyond 2^61: refused.
  const Graph twice(3, {0, 0, 1, 1}, {1, 1, 2, 2}, true);
  t = totals_of<I>(twice, {max_total, max_total, max_total, max_total}, {0}, {2});
  check(t.overflow, "B = 2^62 overflows");
  t = totals_of<I>(twice, {max_total / 2, max_total / 2, max_total / 2, max_total / 2}, {0}, {2});
  check(!t.overflow && !t.narrow, "B = 2^61 is accepted, with 64-bit residuals");
  // Sums that would wrap around int64 saturate and are refused.
  const I top = std::numeric_limits<I>::max();
  t = totals_of<I>(twice, {top, top, top, top}, {0}, {2});
  check(t.overflow, "totals beyond int64 overflow instead of wrapping");
  // The 32-bit boundary, for the larger of the clamped totals.
  t = totals_of<I>(path, {narrow, narrow}, {0}, {2});
  check(!t.overflow && t.narrow, "totals of max_narrow_total use 32-bit residuals");
  t = totals_of<I>(path, {narrow + 1, narrow + 1}, {0}, {2});
  check(!t.overflow && !t.narrow, "one more needs 64-bit residuals");
  // Only live terminal edges count: into a source, out of a sink, loops, source-source.
  const Graph dead(3, {1, 2, 0, 0, 0}, {0, 1, 0, 0, 2}, true);
  t = totals_of<I>(dead, {100, 100, 100, 100, 3}, {0}, {2});
  check(t.source_total == 3.0 && t.sink_total == 3.0, "dead terminal edges are not summed");
  // Undirected: an edge at a source counts away from it.
  const Graph undirected(3, {1, 2}, {0, 1}, false);
  t = totals_of<I>(undirected, {4, 9}, {0}, {2});
  check(t.source_total == 4.0 && t.sink_total == 9.0, "undirected terminal edges");
  // Doubles are not clamped; a non-finite total is overflow.
  auto d = totals_of<double>(path, {1e300, 2.5}, {0}, {2});
  check(!d.overflow && d.source_total == 1e300, "large finite doubles are accepted");
  d = totals_of<double>(twice, {1e308, 1e308, 1.0, 1.0}, {0}, {2});
  check(d.overflow, "an infinite double total overflows");
}

void test_parallel_passes(std::mt19937_64& rng) {
  using routecore::min_arcs_per_pass_thread;
  using routecore::pass_threads;
  CsrView counts{1, 3 * min_arcs_per_pass_thread, nullptr, nullptr, nullptr};
  check(pass_threads(counts, 8) == 3, "one thread per min_arcs_per_pass_thread arcs");
  check(pass_threads(counts, 2) == 2 && pass_threads(counts, 0) == 1, "at most `threads`");
  counts.num_arcs = min_arcs_per_pass_thread - 1;
  check(pass_threads(counts, 8) == 1, "small graphs stay on one thread");

  const Graph g = random_graph(rng, 5000, 40000, false);
  const CsrView v = g.view();
  std::vector<std::uint8_t> side(static_cast<std::size_t>(v.num_nodes));
  for (auto& s : side) s = static_cast<std::uint8_t>(rng() % 2);
  const auto serial = routecore::crossing_edges(v, static_cast<edge_id>(g.src.size()), side, 1);
  for (int workers = 1; workers <= 4; ++workers) {
    std::vector<int> visits(static_cast<std::size_t>(v.num_nodes), 0);
    int firsts = 0;
    routecore::WorkerCutEdges cuts(static_cast<edge_id>(g.src.size()), workers);
    routecore::run_pass(
        v, workers,
        [&](node_id first, node_id last, int worker) {
          check(worker >= 0 && worker < workers, "worker in range", workers);
          for (node_id u = first; u < last; ++u) {
            ++visits[static_cast<std::size_t>(u)];
            if (side[u] == 0) continue;
            for (arc_id a = v.begin(u); a < v.end(u); ++a)
              if (side[v.head[a]] == 0) cuts[worker].add(routecore::edge_of(v.arc_edge[a]));
          }
        },
        [&] { ++firsts; });
    bool once = firsts == 1;
    for (int c : visits) once = once && c == 1;
    check(once, "every node in exactly one block, `first` once", workers);
    check(cuts.list() == serial, "the cut is the same for every worker count", workers);
  }
}

// The residual network and the flows read back from it do not depend on the thread count
// (a graph large enough for several threads: pass_threads > 1).
void test_network_same_on_threads(std::mt19937_64& rng) {
  const auto m = static_cast<std::size_t>(2 * routecore::min_arcs_per_pass_thread + 999);
  const Graph g = random_graph(rng, 20000, m, true);
  const CsrView v = g.view();
  check(routecore::pass_threads(v, 4) > 1, "the graph is large enough to split");
  std::vector<std::int64_t> per_edge(m);
  for (auto& c : per_edge) c = static_cast<std::int64_t>(rng() % 100);
  const std::vector<std::int64_t> cap = g.per_arc(per_edge);
  routecore::OwnedFlowLayout layout(v, true);
  const std::vector<node_id> sources{0, 1, 2}, sinks{3, 4};
  for (bool folded : {false, true}) {
    routecore::FlowNetwork<std::int64_t> one, four;
    routecore::build_flow_network<std::int64_t, std::int64_t>(
        v, layout.view, cap, true, routecore::Terminals(v.num_nodes, sources, sinks),
        std::numeric_limits<std::int64_t>::max(), folded, true, one, 1);
    routecore::build_flow_network<std::int64_t, std::int64_t>(
        v, layout.view, cap, true, routecore::Terminals(v.num_nodes, sources, sinks),
        std::numeric_limits<std::int64_t>::max(), folded, true, four, 4);
    bool same = one.direct_flow == four.direct_flow;
    for (arc_id a = 0; a < one.num_arcs; ++a)
      same = same && one.arcs[a].residual == four.arcs[a].residual &&
             one.arcs[a].sister == four.arcs[a].sister;
    if (folded) {
      for (node_id u = 0; u < v.num_nodes; ++u)
        same =
            same && one.source_cap[u] == four.source_cap[u] && one.sink_cap[u] == four.sink_cap[u];
    }
    check(same, "the residual network is the same on 1 and 4 threads", folded);
    // Unsolved (zero flow): every edge reads back 0 flow, whatever the threads.
    std::vector<std::uint8_t> side(static_cast<std::size_t>(v.num_nodes), 0);
    for (node_id s : sources) side[static_cast<std::size_t>(s)] = 1;
    std::vector<std::int64_t> f1(m), f4(m);
    const auto cut1 = routecore::extract_edge_flow<std::int64_t, std::int64_t>(
        one, v, layout.view, cap, std::numeric_limits<std::int64_t>::max(), true, f1, side,
        static_cast<edge_id>(m), 1);
    const auto cut4 = routecore::extract_edge_flow<std::int64_t, std::int64_t>(
        four, v, layout.view, cap, std::numeric_limits<std::int64_t>::max(), true, f4, side,
        static_cast<edge_id>(m), 4);
    check(f1 == f4 && cut1 == cut4, "flows and cut read back the same on 1 and 4 threads", folded);
  }
}

}  // namespace

// CutEdgeBits::add_if (the branch-free add of edges_leaving) against a std::set of the edges
// added with `on`: the same list, ascending, each once, whatever the offs in between.
void test_cut_edge_bits_add_if(std::mt19937_64& rng) {
  for (int round = 0; round < 50; ++round) {
    const auto num_edges = static_cast<edge_id>(1 + rng() % 300);
    routecore::CutEdgeBits bits(num_edges);
    std::vector<edge_id> order(static_cast<std::size_t>(num_edges));
    for (edge_id e = 0; e < num_edges; ++e) order[static_cast<std::size_t>(e)] = e;
    std::shuffle(order.begin(), order.end(), rng);
    std::set<edge_id> expected;
    for (const edge_id e : order) {
      const bool on = rng() % 3 == 0;
      bits.add_if(e, on);
      if (on) expected.insert(e);
    }
    const std::vector<edge_id> want(expected.begin(), expected.end());
    check(bits.list() == want, "add_if lists exactly the edges added with on, ascending", round);
  }
}

int main() {
  std::mt19937_64 rng(2024);
  test_size_check();
  test_layout_invariants(rng);
  test_overflow_totals();
  test_parallel_passes(rng);
  test_network_same_on_threads(rng);
  test_cut_edge_bits_add_if(rng);
  return routecore::testing::report("test_flow_network");
}
