// Edge cases and randomized cross-checks of the max-flow core, without Python: every method on
// the same random problems (directed and undirected, several terminals, zero capacities,
// self-loops, parallel edges, capacities from 1 to near the int64 limit, doubles), checking the
// certificate of each result. Built with -DROUTECORE_CPP_TESTS=ON; meant to run under the
// sanitizers (preset asan-ubsan). Exits non-zero on the first failure.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <vector>

#include "routecore/csr.h"
#include "routecore/max_flow.h"

namespace {

using routecore::arc_id;
using routecore::edge_id;
using routecore::flow_method;
using routecore::flow_status;
using routecore::node_id;

int failures = 0;

void check(bool ok, const char* what, int trial) {
  if (!ok) {
    std::fprintf(stderr, "trial %d: %s\n", trial, what);
    ++failures;
  }
}

struct Problem {
  node_id n = 0;
  std::vector<node_id> src, dst, sources, sinks;
  bool directed = true;
};

template <class Cap>
void run_trial(const Problem& p, const std::vector<Cap>& cap, int trial) {
  const auto m = static_cast<edge_id>(p.src.size());
  const std::int64_t arcs = p.directed ? m : 2 * static_cast<std::int64_t>(m);
  std::vector<arc_id> first_out(static_cast<std::size_t>(p.n) + 1);
  std::vector<node_id> head(static_cast<std::size_t>(arcs));
  std::vector<edge_id> arc_edge(static_cast<std::size_t>(arcs));
  routecore::build_csr(p.n, p.src, p.dst, p.directed, first_out, head, arc_edge);
  const routecore::CsrView g{p.n, static_cast<arc_id>(arcs), first_out.data(), head.data(),
                             arc_edge.data()};
  std::vector<Cap> arc_cap(static_cast<std::size_t>(arcs));
  for (arc_id a = 0; a < g.num_arcs; ++a) arc_cap[a] = cap[routecore::edge_of(arc_edge[a])];

  bool have_reference = false;
  Cap reference = 0;
  int overflow_any = -1;  // every method applies the same overflow rule
  for (flow_method method :
       {flow_method::push_relabel, flow_method::boykov_kolmogorov, flow_method::dinic}) {
    for (bool want_flow : {true, false}) {
      std::vector<Cap> flow(want_flow ? static_cast<std::size_t>(m) : 0);
      std::vector<std::uint8_t> side(static_cast<std::size_t>(p.n));
      const auto out =
          routecore::solve_max_flow<Cap>(g, arc_cap, p.directed, m, p.sources, p.sinks, method,
                                         want_flow, flow, side, nullptr, nullptr);
      const bool overflow = out.status == flow_status::overflow;
      if (overflow_any < 0) overflow_any = overflow;
      check(overflow_any == static_cast<int>(overflow), "methods overflow differently", trial);
      if (overflow) continue;
      check(out.status == flow_status::optimal, "not optimal", trial);
      const double tol = std::is_integral_v<Cap> ? 0.0 : 1e-9 * (1.0 + out.source_total);
      if (!have_reference) {
        reference = out.value;
        have_reference = true;
      }
      check(std::abs(static_cast<double>(out.value - reference)) <= tol, "methods disagree", trial);
      // The cut: sources in, sinks out, its capacity equals the value.
      for (node_id s : p.sources) check(side[s] == 1, "source outside the source side", trial);
      for (node_id t : p.sinks) check(side[t] == 0, "sink inside the source side", trial);
      double cut_capacity = 0;
      for (edge_id e : out.cut_edges) cut_capacity += static_cast<double>(cap[e]);
      check(std::abs(cut_capacity - static_cast<double>(out.value)) <=
                tol + 1e-12 * std::abs(cut_capacity),
            "cut capacity != value", trial);
      if (!want_flow) continue;
      // Capacity bounds and conservation.
      std::vector<double> net(static_cast<std::size_t>(p.n), 0.0);
      std::vector<std::uint8_t> terminal(static_cast<std::size_t>(p.n), 0);
      for (node_id s : p.sources) terminal[s] = 1;
      for (node_id t : p.sinks) terminal[t] = 1;
      for (edge_id e = 0; e < m; ++e) {
        const Cap lower = p.directed ? Cap{0} : -cap[e];
        check(flow[e] <= cap[e] && flow[e] >= lower, "flow outside its capacity bounds", trial);
        net[p.dst[e]] += static_cast<double>(flow[e]);
        net[p.src[e]] -= static_cast<double>(flow[e]);
      }
      for (node_id v = 0; v < p.n; ++v) {
        if (!terminal[v])
          check(std::abs(net[v]) <= tol + 1e-12 * std::abs(static_cast<double>(reference)),
                "conservation violated", trial);
      }
    }
  }
}

}  // namespace

int main() {
  std::mt19937_64 rng(12345);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const std::int64_t huge[] = {
      0,        1, 7, (std::int64_t{1} << 30) - 2, std::int64_t{1} << 40, std::int64_t{1} << 61,
      INT64_MAX};
  for (int trial = 0; trial < 3000; ++trial) {
    Problem p;
    p.n = static_cast<node_id>(uniform(2, 40));
    const auto m = uniform(0, 5 * p.n);
    p.directed = uniform(0, 1) == 1;
    for (std::int64_t e = 0; e < m; ++e) {
      p.src.push_back(static_cast<node_id>(uniform(0, p.n - 1)));
      p.dst.push_back(static_cast<node_id>(uniform(0, p.n - 1)));
    }
    std::vector<node_id> order(static_cast<std::size_t>(p.n));
    for (node_id v = 0; v < p.n; ++v) order[v] = v;
    std::shuffle(order.begin(), order.end(), rng);
    const auto ks = uniform(1, std::min<std::int64_t>(3, p.n - 1));
    const auto kt = uniform(1, std::min<std::int64_t>(3, p.n - ks));
    p.sources.assign(order.begin(), order.begin() + ks);
    p.sinks.assign(order.begin() + ks, order.begin() + ks + kt);
    const int kind = trial % 3;
    if (kind == 2) {
      std::vector<double> cap(p.src.size());
      for (double& c : cap) c = uniform(0, 4) == 0 ? 0.0 : std::ldexp(uniform(1, 1 << 20), -10);
      run_trial<double>(p, cap, trial);
    } else {
      std::vector<std::int64_t> cap(p.src.size());
      for (auto& c : cap) c = kind == 0 ? uniform(0, 100) : huge[uniform(0, 6)];
      run_trial<std::int64_t>(p, cap, trial);
    }
  }
  if (failures > 0) {
    std::fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  std::puts("test_max_flow: all trials passed");
  return 0;
}
