// Shortest-path entry points: numpy arrays in, numpy arrays out, the GIL released while the C++
// core runs (run_interruptible). Input is validated by routecore/paths.py; no logic here.
#include <pybind11/stl.h>

#include <optional>
#include <utility>

#include "common.h"
#include "routecore/astar.h"
#include "routecore/bidirectional_dijkstra.h"
#include "routecore/dijkstra.h"
#include "routecore/shortest_paths.h"

namespace routecore::bindings {

namespace {

using OptWeights = std::optional<carray<double>>;
using OptMask = std::optional<carray<std::uint8_t>>;

const double* data_or_null(const OptWeights& w) { return w ? w->data() : nullptr; }
const std::uint8_t* data_or_null(const OptMask& m) { return m ? m->data() : nullptr; }

template <class T>
carray<T> to_array(const std::vector<T>& v) {
  auto out = new_array<T>(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

py::object path_or_none(bool found, const PathResult& p) {
  if (!found) return py::none();
  return py::make_tuple(to_array(p.nodes), to_array(p.edges), p.length);
}

// Calls fn with the weight accessor matching `weight` (arc weights or unit weights).
template <class Fn>
auto with_weights(const double* weight, Fn&& fn) {
  return weight != nullptr ? fn(ArcWeights{weight}) : fn(UnitWeights{});
}

using OptIds = std::optional<carray<node_id>>;

carray<double> py_shortest_path_lengths(const carray<arc_id>& first_out,
                                        const carray<node_id>& head,
                                        const carray<edge_id>& arc_edge, const OptWeights& weight,
                                        const carray<node_id>& sources, const OptMask& blocked,
                                        double max_length, int threads, int queue,
                                        const std::optional<std::pair<double, double>>& range,
                                        const OptIds& new_id, const OptIds& old_id) {
  const CsrView g = make_view(first_out, head, arc_edge);
  if (queue < -1 || queue > 3) throw std::invalid_argument("queue must be -1, 0, 1, 2 or 3");
  if (new_id.has_value() != old_id.has_value() ||
      (new_id && (new_id->size() != g.num_nodes || old_id->size() != g.num_nodes))) {
    throw std::invalid_argument("internal error: new_id and old_id must both be n ids or None");
  }
  NodeMap map;
  if (new_id) map = NodeMap{new_id->data(), old_id->data()};
  const std::optional<DijkstraQueue> forced =
      queue < 0 ? std::nullopt : std::optional(static_cast<DijkstraQueue>(queue));
  std::optional<WeightRange> known;
  if (range) known = WeightRange{range->first, range->second};
  const auto k = static_cast<py::ssize_t>(sources.size());
  carray<double> out({k, static_cast<py::ssize_t>(g.num_nodes)});
  double* o = out.mutable_data();
  const auto s = as_span(sources);
  const double* w = data_or_null(weight);
  const std::uint8_t* b = data_or_null(blocked);
  run_interruptible(k * (static_cast<std::int64_t>(g.num_nodes) + g.num_arcs),
                    [&](const Cancel& cancel) {
                      return shortest_path_lengths(g, w, s, b, max_length, threads, o, cancel,
                                                   forced, known, new_id ? &map : nullptr);
                    });
  return out;
}

// Moves a vector into a new numpy array that owns it (no copy).
template <class T>
carray<T> adopt(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  const py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return carray<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free_when_done);
}

// A graph's internal numbering and its CSR in internal ids (see renumber.h); new numpy arrays.
struct RenumberedCsr {
  carray<node_id> new_id;
  carray<node_id> old_id;
  carray<arc_id> first_out;
  carray<node_id> head;
  carray<edge_id> arc_edge;
  carray<arc_id> old_arc;
  py::object arc_weight;  // float64 in internal arc order, or None
};

py::object py_build_renumbering(const carray<arc_id>& first_out, const carray<node_id>& head,
                                const carray<edge_id>& arc_edge, const OptWeights& weight,
                                bool force) {
  const CsrView g = make_view(first_out, head, arc_edge);
  if (weight && weight->size() != g.num_arcs) {
    throw std::invalid_argument("internal error: one weight per arc expected");
  }
  std::optional<Renumbering> r;
  without_gil([&]() { r = choose_renumbering(g, data_or_null(weight), force); });
  if (!r) return py::none();
  py::object arc_weight = py::none();
  if (weight) arc_weight = adopt(std::move(r->weight));
  return py::cast(RenumberedCsr{adopt(std::move(r->new_id)), adopt(std::move(r->old_id)),
                                adopt(std::move(r->first_out)), adopt(std::move(r->head)),
                                adopt(std::move(r->arc_edge)), adopt(std::move(r->old_arc)),
                                std::move(arc_weight)});
}

py::object py_dijkstra_path(const carray<arc_id>& first_out, const carray<node_id>& head,
                            const carray<edge_id>& arc_edge, const OptWeights& weight,
                            node_id source, node_id target, const OptMask& blocked) {
  const CsrView g = make_view(first_out, head, arc_edge);
  PathResult p;
  const bool found = run_interruptible(
      static_cast<std::int64_t>(g.num_nodes) + g.num_arcs, [&](const Cancel& cancel) {
        DijkstraSearch search(g.num_nodes, data_or_null(blocked));
        return with_weights(data_or_null(weight),
                            [&](auto w) { return search.path(g, w, source, target, p, cancel); });
      });
  return path_or_none(found, p);
}

py::object py_bidirectional_path(const carray<arc_id>& first_out, const carray<node_id>& head,
                                 const carray<edge_id>& arc_edge, const OptWeights& weight,
                                 const carray<arc_id>& r_first_out, const carray<node_id>& r_head,
                                 const carray<edge_id>& r_arc_edge, const OptWeights& r_weight,
                                 node_id source, node_id target, const OptMask& blocked) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const CsrView r = make_view(r_first_out, r_head, r_arc_edge);
  PathResult p;
  const bool found = run_interruptible(
      static_cast<std::int64_t>(g.num_nodes) + g.num_arcs, [&](const Cancel& cancel) {
        BidirectionalDijkstra search(g.num_nodes, data_or_null(blocked));
        if (weight) {
          return search.path(g, ArcWeights{weight->data()}, r, ArcWeights{r_weight->data()}, source,
                             target, p, cancel);
        }
        return search.path(g, UnitWeights{}, r, UnitWeights{}, source, target, p, cancel);
      });
  return path_or_none(found, p);
}

py::object py_astar_path(const carray<arc_id>& first_out, const carray<node_id>& head,
                         const carray<edge_id>& arc_edge, const OptWeights& weight,
                         const carray<double>& lat_deg, const carray<double>& lon_deg,
                         double cost_per_km, double sphere_radius_km, node_id source,
                         node_id target, const OptMask& blocked) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const GeoBound bound{lat_deg.data(), lon_deg.data(), cost_per_km, sphere_radius_km};
  PathResult p;
  const AStarSearch::Result r = run_interruptible(
      static_cast<std::int64_t>(g.num_nodes) + g.num_arcs, [&](const Cancel& cancel) {
        AStarSearch search(g.num_nodes, data_or_null(blocked));
        return with_weights(data_or_null(weight), [&](auto w) {
          return search.path(g, w, bound, source, target, p, cancel);
        });
      });
  if (r.outcome == AStarSearch::Outcome::bound_violated) {
    return py::int_(edge_of(g.arc_edge[r.violating_arc]));
  }
  return path_or_none(r.outcome == AStarSearch::Outcome::found, p);
}

// Per node: the length from its nearest source and that source (the root); with tree=True also
// the edge and node it is reached from (pred_edge and parent), else None. New numpy arrays
// owned by Python.
struct NearestSources {
  py::object length;
  py::object root;
  py::object pred_edge;
  py::object parent;
};

NearestSources py_nearest_source(const carray<arc_id>& first_out, const carray<node_id>& head,
                                 const carray<edge_id>& arc_edge, const OptWeights& weight,
                                 const carray<node_id>& sources, const OptMask& blocked,
                                 bool tree) {
  const CsrView g = make_view(first_out, head, arc_edge);
  const auto n = static_cast<py::ssize_t>(g.num_nodes);
  auto length = new_array<double>(n);
  auto root = new_array<node_id>(n);
  std::optional<carray<edge_id>> pred_edge;
  std::optional<carray<node_id>> parent;
  if (tree) {
    pred_edge = new_array<edge_id>(n);
    parent = new_array<node_id>(n);
  }
  double* l = length.mutable_data();
  node_id* r = root.mutable_data();
  edge_id* pe = tree ? pred_edge->mutable_data() : nullptr;
  node_id* pa = tree ? parent->mutable_data() : nullptr;
  const auto s = as_span(sources);
  run_interruptible(static_cast<std::int64_t>(g.num_nodes) + g.num_arcs, [&](const Cancel& cancel) {
    DijkstraSearch search(g.num_nodes, data_or_null(blocked));
    return with_weights(data_or_null(weight),
                        [&](auto w) { return search.nearest(g, w, s, l, r, pe, pa, cancel); });
  });
  return NearestSources{std::move(length), std::move(root),
                        pred_edge ? py::object(*pred_edge) : py::none(),
                        parent ? py::object(*parent) : py::none()};
}

py::object py_tree_routes(const carray<node_id>& parent, const carray<edge_id>& pred_edge,
                          const carray<node_id>& nodes, bool travel_to_root) {
  std::vector<std::int64_t> offsets;
  std::vector<edge_id> edges;
  std::vector<node_id> route_nodes;
  const auto pa = as_span(parent);
  const auto pe = as_span(pred_edge);
  const auto ns = as_span(nodes);
  bool ok = false;
  without_gil([&]() { ok = tree_routes(pa, pe, ns, travel_to_root, offsets, edges, route_nodes); });
  if (!ok) return py::none();
  return py::make_tuple(to_array(offsets), to_array(edges), to_array(route_nodes));
}

}  // namespace

void bind_paths(py::module_& m) {
  m.def("shortest_path_lengths", &py_shortest_path_lengths, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("sources"), py::arg("blocked"),
        py::arg("max_length"), py::arg("threads"), py::arg("queue") = -1,
        py::arg("weight_range") = py::none(), py::arg("new_id") = py::none(),
        py::arg("old_id") = py::none(),
        "(k, n) distances from each source; weight None means hop counts. queue: -1 chooses "
        "(choose_dijkstra_queue), 0 radix, 1 4-ary heap with prefetches, 2 without, 3 bucket "
        "queue where it applies. weight_range: (min, max finite) of weight, computed if None. "
        "new_id, old_id: a RenumberedCsr's, when the CSR and weight given are its internal ones "
        "(sources, blocked and the result stay in the user's ids). See shortest_paths.h.");
  py::class_<RenumberedCsr>(m, "RenumberedCsr",
                            "A graph's internal numbering (new_id, old_id) and its CSR in "
                            "internal ids (first_out, head, arc_edge, old_arc, arc_weight or "
                            "None). See renumber.h.")
      .def_readonly("new_id", &RenumberedCsr::new_id)
      .def_readonly("old_id", &RenumberedCsr::old_id)
      .def_readonly("first_out", &RenumberedCsr::first_out)
      .def_readonly("head", &RenumberedCsr::head)
      .def_readonly("arc_edge", &RenumberedCsr::arc_edge)
      .def_readonly("old_arc", &RenumberedCsr::old_arc)
      .def_readonly("arc_weight", &RenumberedCsr::arc_weight);
  m.def("build_renumbering", &py_build_renumbering, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("force"),
        "The RenumberedCsr that choose_renumbering accepts (weight: per arc, or None), or None; "
        "force=True renumbers whatever the rule says. See shortest_paths.h and renumber.h.");
  m.def(
      "weight_range",
      [](const carray<double>& weight) {
        const WeightRange r = weight_range(weight.data(), static_cast<arc_id>(weight.size()));
        return std::make_pair(r.min, r.max);
      },
      py::arg("weight"),
      "(min, largest finite) of a float64 array: (inf, 0.0) if empty. See dijkstra_buckets.h.");
  m.def("dijkstra_path", &py_dijkstra_path, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("source"), py::arg("target"),
        py::arg("blocked"), "(nodes, edges, length) of a shortest path, or None. See dijkstra.h.");
  m.def("bidirectional_path", &py_bidirectional_path, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("r_first_out"), py::arg("r_head"),
        py::arg("r_arc_edge"), py::arg("r_weight"), py::arg("source"), py::arg("target"),
        py::arg("blocked"), "Bidirectional Dijkstra; see bidirectional_dijkstra.h.");
  m.def("astar_path", &py_astar_path, py::arg("first_out"), py::arg("head"), py::arg("arc_edge"),
        py::arg("weight"), py::arg("lat_deg"), py::arg("lon_deg"), py::arg("cost_per_km"),
        py::arg("sphere_radius_km"), py::arg("source"), py::arg("target"), py::arg("blocked"),
        "A* path, None if unreachable, or the id of an edge violating the bound. See astar.h.");
  py::class_<NearestSources>(m, "NearestSources",
                             "Per node: length from and root of its nearest source; pred_edge "
                             "and parent (None without tree). See dijkstra.h.")
      .def_readonly("length", &NearestSources::length)
      .def_readonly("root", &NearestSources::root)
      .def_readonly("pred_edge", &NearestSources::pred_edge)
      .def_readonly("parent", &NearestSources::parent);
  m.def("nearest_source", &py_nearest_source, py::arg("first_out"), py::arg("head"),
        py::arg("arc_edge"), py::arg("weight"), py::arg("sources"), py::arg("blocked"),
        py::arg("tree"), "A NearestSources; see dijkstra.h.");
  m.def("tree_routes", &py_tree_routes, py::arg("parent"), py::arg("pred_edge"), py::arg("nodes"),
        py::arg("travel_to_root"),
        "(offsets, edges, nodes) of each node's route through a tree; None if not a forest.");
}

}  // namespace routecore::bindings
