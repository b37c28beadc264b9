// Route-diversity entry points (k shortest paths, disjoint paths): numpy arrays in, flat numpy
// arrays out, the GIL released while the C++ core runs. Input is validated by
// routecore/k_paths.py; no logic here.
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common.h"
#include "routecore/disjoint_paths.h"
#include "routecore/k_shortest_paths.h"

namespace routecore::bindings {

namespace {

using OptWeights = std::optional<carray<double>>;
using OptMask = std::optional<carray<std::uint8_t>>;

// Paths as (offsets, nodes, edges, lengths): path i has edges[offsets[i]:offsets[i+1]] and
// nodes[offsets[i] + i : offsets[i+1] + i + 1].
py::tuple flat_paths(const std::vector<PathResult>& paths) {
  const auto count = static_cast<py::ssize_t>(paths.size());
  py::ssize_t hops = 0;
  for (const PathResult& p : paths) hops += static_cast<py::ssize_t>(p.edges.size());
  auto offsets = new_array<std::int64_t>(count + 1);
  auto nodes = new_array<node_id>(hops + count);
  auto edges = new_array<edge_id>(hops);
  auto lengths = new_array<double>(count);
  std::int64_t* o = offsets.mutable_data();
  node_id* nd = nodes.mutable_data();
  edge_id* ed = edges.mutable_data();
  o[0] = 0;
  for (py::ssize_t i = 0; i < count; ++i) {
    const PathResult& p = paths[static_cast<std::size_t>(i)];
    nd = std::copy(p.nodes.begin(), p.nodes.end(), nd);
    ed = std::copy(p.edges.begin(), p.edges.end(), ed);
    o[i + 1] = o[i] + static_cast<std::int64_t>(p.edges.size());
    lengths.mutable_data()[i] = p.length;
  }
  return py::make_tuple(offsets, nodes, edges, lengths);
}

py::list py_k_shortest_paths(const carray<arc_id>& first_out, const carray<node_id>& head,
                             const carray<edge_id>& arc_edge, const OptWeights& weight,
                             const carray<arc_id>& r_first_out, const carray<node_id>& r_head,
                             const carray<edge_id>& r_arc_edge, const OptWeights& r_weight,
                             const carray<node_id>& sources, const carray<node_id>& targets,
                             std::int64_t k, const OptMask& blocked, double max_length,
                             int threads) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const CsrView r = make_view(r_first_out, r_head, r_arc_edge);
  if (sources.size() != targets.size() || (weight.has_value() != r_weight.has_value())) {
    throw std::invalid_argument("internal error: inconsistent k_shortest_paths arguments");
  }
  const auto pairs = static_cast<std::int64_t>(sources.size());
  std::vector<std::vector<PathResult>> results(static_cast<std::size_t>(pairs));
  const node_id* s = sources.data();
  const node_id* t = targets.data();
  const std::uint8_t* b = blocked ? blocked->data() : nullptr;
  const int workers =
      static_cast<int>(std::clamp<std::int64_t>(threads, 1, std::max<std::int64_t>(pairs, 1)));
  auto solve = [&](auto w, auto rw, const Cancel& cancel) {
    using Search = KShortestPaths<decltype(w)>;
    std::vector<std::unique_ptr<Search>> workspace(static_cast<std::size_t>(workers));
    std::atomic<bool> finished{true};
    parallel_for(pairs, workers, &cancel, [&](std::int64_t task, int worker) {
      auto& ws = workspace[static_cast<std::size_t>(worker)];
      if (!ws) ws = std::make_unique<Search>(g, w, r, rw, b);
      if (!ws->run(s[task], t[task], k, max_length, results[static_cast<std::size_t>(task)],
                   cancel)) {
        finished = false;
      }
    });
    return finished && !cancel.requested();
  };
  const std::int64_t work =
      pairs * (static_cast<std::int64_t>(g.num_nodes) + g.num_arcs) * std::max<std::int64_t>(k, 1);
  run_interruptible(work, [&](const Cancel& cancel) {
    if (weight) {
      return solve(ArcWeights{weight->data()}, ArcWeights{r_weight->data()}, cancel);
    }
    return solve(UnitWeights{}, UnitWeights{}, cancel);
  });
  py::list out;
  for (const auto& paths : results) out.append(flat_paths(paths));
  return out;
}

py::tuple py_disjoint_paths(const carray<arc_id>& first_out, const carray<node_id>& head,
                            const carray<edge_id>& arc_edge, const OptWeights& weight,
                            node_id source, node_id target, std::int32_t k, bool node_disjoint) {
  const CsrView g = make_view(first_out, head, arc_edge);
  std::vector<PathResult> paths;
  const std::int64_t work = (static_cast<std::int64_t>(g.num_nodes) + g.num_arcs) * k;
  run_interruptible(work, [&](const Cancel& cancel) {
    if (weight) {
      return disjoint_paths(g, ArcWeights{weight->data()}, source, target, k, node_disjoint, paths,
                            cancel);
    }
    return disjoint_paths(g, UnitWeights{}, source, target, k, node_disjoint, paths, cancel);
  });
  return flat_paths(paths);
}

}  // namespace

void bind_k_paths(py::module_& m) {
  m.def("k_shortest_paths", &py_k_shortest_paths, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("r_first_out"), py::arg("r_head"),
        py::arg("r_arc_edge"), py::arg("r_weight"), py::arg("sources"), py::arg("targets"),
        py::arg("k"), py::arg("blocked"), py::arg("max_length"), py::arg("threads"),
        "Per pair (offsets, nodes, edges, lengths) of its k shortest loopless paths. See "
        "k_shortest_paths.h.");
  m.def("disjoint_paths", &py_disjoint_paths, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("source"), py::arg("target"), py::arg("k"),
        py::arg("node_disjoint"),
        "(offsets, nodes, edges, lengths) of up to k disjoint paths of minimum total length. "
        "See disjoint_paths.h.");
}

}  // namespace routecore::bindings
