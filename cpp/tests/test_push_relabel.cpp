// Push-relabel's work on the family built to be hard for it (Cherkassky & Goldberg's AK
// networks, as python/routecore/bench/gen_flow.py's `ak` builds them): the value is exact and
// phase 1 relabels each node a bounded number of times, not once per unit of flow moved.
#include <cstdint>
#include <limits>
#include <vector>

#include "check.h"
#include "routecore/csr.h"
#include "routecore/flow_layout.h"
#include "routecore/push_relabel.h"
#include "routecore/residual_network.h"

namespace {

using routecore::arc_id;
using routecore::edge_id;
using routecore::node_id;
using routecore::testing::check;

struct Arcs {
  std::vector<node_id> src, dst;
  std::vector<std::int64_t> cap;
  void add(std::int64_t u, std::int64_t v, std::int64_t c) {
    // 1-based node numbers of the original description.
    src.push_back(static_cast<node_id>(u - 1));
    dst.push_back(static_cast<node_id>(v - 1));
    cap.push_back(c);
  }
};

// AK(k): 4k + 6 nodes, source 0, sink 1, maximum flow 2k + 3. A chain whose node i sends one
// unit to the head of a path of k arcs (capacities falling along the chain), and a path of
// 2k + 1 arcs with unit arcs that fold it back on itself.
Arcs ak(std::int64_t k) {
  Arcs g;
  const std::int64_t big = 1'000'000, d = 2 * k + 4;
  for (std::int64_t i = 0; i < k; ++i) g.add(i + 3, i + 4, k - i + 1);
  for (std::int64_t i = 0; i < k; ++i) g.add(i + 3, k + 4, 1);
  g.add(k + 3, 2 * k + 4, 1);
  g.add(k + 3, k + 4, 1);
  for (std::int64_t j = k + 3; j < 2 * k + 3; ++j) g.add(j + 1, j + 2, k + 1);
  for (std::int64_t j = d; j <= 2 * k + d; ++j) g.add(j + 1, j + 2, k);
  for (std::int64_t i = 0; i < k; ++i) g.add(i + d + 1, 2 * k + 2 - i + d, 1);
  g.add(1, 3, big);
  g.add(1, d + 1, big);
  g.add(d, 2, big);
  g.add(4 * k + 6, 2, big);
  return g;
}

void test_ak(std::int64_t k) {
  const Arcs a = ak(k);
  const auto n = static_cast<node_id>(4 * k + 6);
  const auto m = a.src.size();
  std::vector<arc_id> first_out(static_cast<std::size_t>(n) + 1);
  std::vector<node_id> head(m);
  std::vector<edge_id> arc_edge(m);
  routecore::build_csr(n, a.src, a.dst, true, first_out, head, arc_edge);
  const routecore::CsrView g{n, static_cast<arc_id>(m), first_out.data(), head.data(),
                             arc_edge.data()};
  std::vector<std::int64_t> cap(m);
  for (std::size_t x = 0; x < m; ++x)
    cap[x] = a.cap[static_cast<std::size_t>(routecore::edge_of(arc_edge[x]))];
  routecore::OwnedFlowLayout layout(g, true);
  const std::vector<node_id> sources{0}, sinks{1};
  routecore::FlowNetwork<std::int64_t> net;
  routecore::build_flow_network<std::int64_t, std::int64_t>(
      g, layout.view, cap, true, routecore::Terminals(n, sources, sinks),
      std::numeric_limits<std::int64_t>::max(), false, true, net, 1);
  routecore::PushRelabel<std::int64_t> pr(net);
  check(pr.run_max_preflow(nullptr), "AK: phase 1 finishes", static_cast<int>(k));
  check(pr.flow_value() == 2 * k + 3, "AK: the value is 2k + 3", static_cast<int>(k));
  // Pushing only a path's bottleneck relabelled chain node i about i / 2 times (k^2 / 4 in
  // all: 62,500 for k = 500, where 4n is 8,024).
  check(pr.relabels() <= 4 * static_cast<std::int64_t>(n), "AK: at most 4n relabellings",
        static_cast<int>(k));
  check(pr.recover_flow(nullptr), "AK: phase 2 finishes", static_cast<int>(k));
}

}  // namespace

int main() {
  for (std::int64_t k : {1, 2, 5, 50, 500}) test_ak(k);
  return routecore::testing::report("test_push_relabel");
}
