// Helpers shared by the bind_*.cpp files: numpy <-> span conversion and running a computation
// with the GIL released while still honouring Ctrl-C.
//
// The Python layer (routecore/_validation.py) has already checked dtypes, shapes and ranges;
// these helpers only assert the layout they rely on (C-contiguous, exact dtype).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <chrono>
#include <future>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "routecore/csr.h"
#include "routecore/flow_layout.h"
#include "routecore/max_flow.h"
#include "routecore/parallel.h"

namespace routecore::bindings {

namespace py = pybind11;

// A C-contiguous numpy array of exactly T; no conversion, no copy (the validation layer has
// already produced arrays of the right dtype).
template <class T>
using carray = py::array_t<T, py::array::c_style>;

template <class T>
std::span<const T> as_span(const carray<T>& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

template <class T>
std::span<T> as_mut_span(carray<T>& a) {
  return {a.mutable_data(), static_cast<std::size_t>(a.size())};
}

template <class T>
carray<T> new_array(py::ssize_t n) {
  return carray<T>(n);
}

inline CsrView make_view(const carray<arc_id>& first_out, const carray<node_id>& head,
                         const carray<edge_id>& arc_edge) {
  if (first_out.size() < 1 || head.size() != arc_edge.size() ||
      first_out.data()[first_out.size() - 1] != head.size()) {
    throw std::invalid_argument("internal error: inconsistent CSR arrays");
  }
  return CsrView{static_cast<node_id>(first_out.size() - 1), static_cast<arc_id>(head.size()),
                 first_out.data(), head.data(), arc_edge.data()};
}

// The flow_method named by Python's FlowMethod (routecore/flow.py).
inline flow_method flow_method_from_name(const std::string& name) {
  if (name == "auto") return flow_method::automatic;
  if (name == "push_relabel") return flow_method::push_relabel;
  if (name == "boykov_kolmogorov") return flow_method::boykov_kolmogorov;
  if (name == "dinic") return flow_method::dinic;
  if (name == "ibfs") return flow_method::ibfs;
  throw std::invalid_argument("unknown max-flow method: " + name);
}

// The graph's FlowLayout (routecore/flow_layout.h) from the arrays Python keeps for it;
// `layout_first_out` and `layout_head` are the graph's own for an undirected graph.
inline FlowLayout make_flow_layout(const CsrView& g, bool directed,
                                   const carray<arc_id>& layout_first_out,
                                   const carray<node_id>& layout_head, const carray<arc_id>& sister,
                                   const carray<arc_id>& loop_arcs) {
  const arc_id m = flow_layout_arcs(g, directed);
  if (layout_first_out.size() != g.num_nodes + 1 || layout_head.size() != m || sister.size() != m ||
      layout_first_out.data()[g.num_nodes] != m) {
    throw std::invalid_argument("internal error: flow layout does not match the graph");
  }
  return FlowLayout{m, layout_first_out.data(), layout_head.data(), sister.data(),
                    std::span<const arc_id>(loop_arcs.data(), loop_arcs.size())};
}

// Runs fn(cancel) on a helper thread with the GIL released. Every 20 ms the calling thread
// takes the GIL back briefly and asks Python whether a signal is pending; on Ctrl-C it sets the
// cancel flag, waits for fn to stop, and re-raises KeyboardInterrupt. C++ exceptions from fn are
// propagated (pybind11 maps std::invalid_argument to ValueError, std::bad_alloc to MemoryError).
// `work` is a rough operation count (e.g. arcs scanned); below ~1e5 the call runs inline on this
// thread (still without the GIL), since a helper thread would cost more than the work. If the
// helper thread cannot be started (std::system_error: thread or address-space limits), the call
// also runs inline, without Ctrl-C polling, rather than failing.
template <class Fn>
auto run_interruptible(std::int64_t work, Fn&& fn) -> decltype(fn(std::declval<const Cancel&>())) {
  Cancel cancel;
  using R = decltype(fn(std::declval<const Cancel&>()));
  if (work < 100000) {
    py::gil_scoped_release release;
    return fn(std::as_const(cancel));
  }
  std::future<R> result;
  {
    py::gil_scoped_release release;
    try {
      result = std::async(std::launch::async, [&]() { return fn(std::as_const(cancel)); });
    } catch (const std::system_error&) {
      return fn(std::as_const(cancel));
    }
    while (result.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        cancel.request();
        py::gil_scoped_release again;
        result.wait();
        break;
      }
    }
  }
  if (PyErr_Occurred() != nullptr) {
    // Discard the partial result; the signal handler's exception (KeyboardInterrupt) stands.
    try {
      result.get();
    } catch (...) {
    }
    throw py::error_already_set();
  }
  return result.get();
}

}  // namespace routecore::bindings
