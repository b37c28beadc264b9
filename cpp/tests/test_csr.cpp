// The CSR builder (csr.h): the threaded path gives exactly the arrays of the one-thread path,
// and both equal a direct stable sort of the arcs by tail; per-edge values land in arc order.
// Graphs with parallel edges, self-loops, isolated nodes, hubs and no edges at all; large
// enough for several blocks (min_edges_per_csr_block edges each).
#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <tuple>
#include <vector>

#include "check.h"
#include "routecore/csr.h"
#include "routecore/parallel.h"

namespace {

using routecore::arc_id;
using routecore::ArcValues;
using routecore::edge_id;
using routecore::node_id;
using routecore::testing::check;

struct Built {
  std::vector<arc_id> first_out;
  std::vector<node_id> head;
  std::vector<edge_id> arc_edge;
  std::vector<double> arc_weight;
};

Built build(node_id n, const std::vector<node_id>& src, const std::vector<node_id>& dst,
            const std::vector<double>& weight, bool directed, int threads) {
  const std::size_t arcs = src.size() * (directed ? 1 : 2);
  Built b{std::vector<arc_id>(static_cast<std::size_t>(n) + 1), std::vector<node_id>(arcs),
          std::vector<edge_id>(arcs), std::vector<double>(arcs)};
  const ArcValues values[] = {{weight, b.arc_weight}};
  routecore::Cancel cancel;
  const bool done = routecore::build_csr(n, src, dst, directed, b.first_out, b.head, b.arc_edge,
                                         values, threads, &cancel);
  check(done, "build reported cancelled");
  return b;
}

// The arcs as (tail, position in input order, head, stored edge): the stable counting sort by
// tail lists them in exactly this order.
Built reference(node_id n, const std::vector<node_id>& src, const std::vector<node_id>& dst,
                const std::vector<double>& weight, bool directed) {
  std::vector<std::tuple<node_id, std::int64_t, node_id, edge_id>> arcs;
  for (std::size_t e = 0; e < src.size(); ++e) {
    const auto id = static_cast<edge_id>(e);
    arcs.emplace_back(src[e], 2 * static_cast<std::int64_t>(e), dst[e], id);
    if (!directed) arcs.emplace_back(dst[e], 2 * static_cast<std::int64_t>(e) + 1, src[e], ~id);
  }
  std::sort(arcs.begin(), arcs.end());
  Built b{std::vector<arc_id>(static_cast<std::size_t>(n) + 1, 0), {}, {}, {}};
  for (const auto& [tail, order, head, stored] : arcs) {
    ++b.first_out[static_cast<std::size_t>(tail) + 1];
    b.head.push_back(head);
    b.arc_edge.push_back(stored);
    b.arc_weight.push_back(weight[static_cast<std::size_t>(routecore::edge_of(stored))]);
  }
  for (std::size_t u = 0; u < static_cast<std::size_t>(n); ++u)
    b.first_out[u + 1] += b.first_out[u];
  return b;
}

bool same(const Built& a, const Built& b) {
  return a.first_out == b.first_out && a.head == b.head && a.arc_edge == b.arc_edge &&
         a.arc_weight == b.arc_weight;
}

void check_graph(node_id n, const std::vector<node_id>& src, const std::vector<node_id>& dst,
                 int trial) {
  std::vector<double> weight(src.size());
  for (std::size_t e = 0; e < weight.size(); ++e) weight[e] = 0.5 * static_cast<double>(e);
  for (bool directed : {true, false}) {
    const Built want = reference(n, src, dst, weight, directed);
    for (int threads : {1, 2, 3, 4}) {
      check(same(build(n, src, dst, weight, directed, threads), want),
            "build differs from the stable sort by tail", trial);
    }
  }
}

}  // namespace

int main() {
  // No edges; no nodes; a single self-loop; parallel edges both ways.
  check_graph(0, {}, {}, 0);
  check_graph(3, {}, {}, 1);
  check_graph(1, {0}, {0}, 2);
  check_graph(3, {0, 0, 1, 0, 2, 2}, {1, 1, 0, 1, 2, 2}, 3);
  std::mt19937_64 rng(7);
  for (int trial = 4; trial < 200; ++trial) {
    const auto n = static_cast<node_id>(1 + rng() % 30);
    const auto m = static_cast<std::size_t>(rng() % 100);
    std::vector<node_id> src(m), dst(m);
    for (std::size_t e = 0; e < m; ++e) {
      src[e] = static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
      dst[e] =
          rng() % 5 == 0 ? src[e] : static_cast<node_id>(rng() % static_cast<std::uint64_t>(n));
    }
    check_graph(n, src, dst, trial);
  }
  // Several blocks: a hub, self-loops, parallel edges and isolated nodes, spread over blocks.
  const node_id n = 3000;
  const std::size_t m = 4 * static_cast<std::size_t>(routecore::min_edges_per_csr_block) + 321;
  std::vector<node_id> src(m), dst(m);
  for (std::size_t e = 0; e < m; ++e) {
    src[e] = rng() % 5 == 0 ? 7 : static_cast<node_id>(rng() % (n - 50));
    dst[e] = rng() % 20 == 0 ? src[e] : static_cast<node_id>(rng() % (n - 50));
  }
  for (std::size_t e = 0; e < 40; ++e) src[e] = dst[e] = 3;
  check_graph(n, src, dst, 1000);
  return routecore::testing::report("test_csr");
}
