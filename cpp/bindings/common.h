// Helpers shared by the bind_*.cpp files: numpy <-> span conversion and running a computation
// with the GIL released while still honouring Ctrl-C.
//
// The Python layer (routecore/_validation.py) has already checked dtypes, shapes and ranges;
// these helpers only assert the layout they rely on (C-contiguous, exact dtype).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#if defined(__GLIBCXX__)
#include <cxxabi.h>
#endif

#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

#include "routecore/csr.h"
#include "routecore/flow_layout.h"
#include "routecore/max_flow.h"
#include "routecore/parallel.h"

namespace routecore::bindings {

// glibc's pthread_exit ends a thread by "forced unwinding", an exception that libstdc++ names
// abi::__forced_unwind and that must be rethrown, never swallowed (see restore_gil below). Other
// C++ runtimes (libc++ on macOS, MSVC's) have no such exception to name: there the type below is
// never thrown and its catch clauses do nothing.
#if defined(__GLIBCXX__)
using forced_unwind = abi::__forced_unwind;
#else
struct forced_unwind {};
#endif

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
  const arc_id most = flow_layout_arcs(g, directed);
  const arc_id m = layout_first_out.size() == g.num_nodes + 1 ? layout_first_out.data()[g.num_nodes]
                                                              : arc_id{-1};
  // A directed layout has between one and two residual arcs per edge (antiparallel edges
  // merged, flow_layout.h); an undirected one exactly the graph's arcs.
  if (m < g.num_arcs || m > most || layout_head.size() != m || sister.size() != m) {
    throw std::invalid_argument("internal error: flow layout does not match the graph");
  }
  return FlowLayout{m, layout_first_out.data(), layout_head.data(), sister.data(),
                    std::span<const arc_id>(loop_arcs.data(), loop_arcs.size())};
}

// --- The GIL, Ctrl-C and interpreter shutdown ----------------------------------------------
//
// Long calls give up the GIL (PyEval_SaveThread) and take it back only through restore_gil,
// never in a destructor. The reason is interpreter shutdown: a daemon thread still inside a
// call when the main thread exits is ended by CPython (3.11 - 3.13) with pthread_exit as soon as
// it asks for the GIL, and the forced unwinding that pthread_exit starts aborts the process
// (SIGABRT) when it meets a noexcept frame such as gil_scoped_release's destructor or a
// catch (...) that does not rethrow. restore_gil instead parks such a thread for good (it can
// never run Python again; the process exit ends it), both when finalization has already begun
// and when it begins while the thread waits for the GIL.

inline bool python_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

[[noreturn]] inline void park_forever() {
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

// Takes back the GIL given up by PyEval_SaveThread (see above).
inline void restore_gil(PyThreadState* state) {
  if (python_finalizing()) park_forever();
  try {
    PyEval_RestoreThread(state);
  } catch (forced_unwind&) {
    park_forever();  // never returns, so the unwinding never finishes (nor aborts)
  }
}

// fn() without the GIL, for calls that need no Ctrl-C polling (O(num_arcs) builds).
template <class Fn>
auto without_gil(Fn&& fn) -> decltype(fn()) {
  PyThreadState* state = PyEval_SaveThread();
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      restore_gil(state);
    } else {
      auto r = fn();
      restore_gil(state);
      return r;
    }
  } catch (forced_unwind&) {
    throw;
  } catch (...) {
    restore_gil(state);
    throw;
  }
}

// Ctrl-C polling from the thread that gave up the GIL: every poll_interval at most, take the GIL
// back, let Python run its signal handlers, give the GIL up again. Returns true (cancel) when a
// handler raised (KeyboardInterrupt stays pending) or the interpreter is shutting down.
struct SignalPoll {
  static constexpr std::chrono::milliseconds interval{20};
  PyThreadState* state = nullptr;
  std::chrono::steady_clock::time_point next = std::chrono::steady_clock::now() + interval;

  bool poll() {
    next = std::chrono::steady_clock::now() + interval;
    if (python_finalizing()) return true;
    restore_gil(state);
    const bool raised = PyErr_CheckSignals() != 0;
    state = PyEval_SaveThread();
    return raised;
  }

  // Cancel's poll hook (parallel.h), throttled by the clock.
  static bool hook(void* context) {
    auto* self = static_cast<SignalPoll*>(context);
    return std::chrono::steady_clock::now() >= self->next && self->poll();
  }
};

// Runs fn(cancel) with the GIL released while still honouring Ctrl-C, whatever the input size.
// `work` is a rough operation count (e.g. arcs scanned): from ~1e5 on, fn runs on a helper
// thread while this thread polls Python for signals every 20 ms; below that (a helper thread
// would cost more than the work) fn runs on this thread and the Cancel flag itself polls (every
// few thousand steps of any solver loop, at most every 20 ms). If the helper thread cannot be
// started (std::system_error: thread or address-space limits), fn also runs on this thread.
// On Ctrl-C the cancel flag is set, fn stops early and its partial result is discarded, and
// KeyboardInterrupt is raised. C++ exceptions from fn are propagated (pybind11 maps
// std::invalid_argument to ValueError, std::bad_alloc to MemoryError).
template <class Fn>
auto run_interruptible(std::int64_t work, Fn&& fn) -> decltype(fn(std::declval<const Cancel&>())) {
  using R = decltype(fn(std::declval<const Cancel&>()));
  Cancel cancel;
  SignalPoll signals;
  std::optional<R> value;
  std::exception_ptr error;
  auto run_here = [&]() {
    cancel.set_poll(&SignalPoll::hook, &signals);
    try {
      value.emplace(fn(std::as_const(cancel)));
    } catch (forced_unwind&) {
      throw;
    } catch (...) {
      error = std::current_exception();
    }
  };
  signals.state = PyEval_SaveThread();
  if (work < 100000) {
    run_here();
  } else {
    std::future<R> result;
    try {
      result = std::async(std::launch::async, [&]() { return fn(std::as_const(cancel)); });
    } catch (const std::system_error&) {
    }
    if (!result.valid()) {
      run_here();
    } else {
      while (result.wait_for(SignalPoll::interval) != std::future_status::ready) {
        if (signals.poll()) {
          cancel.request();
          break;
        }
      }
      try {
        value.emplace(result.get());  // waits for a cancelled fn to stop
      } catch (forced_unwind&) {
        throw;
      } catch (...) {
        error = std::current_exception();
      }
    }
  }
  restore_gil(signals.state);
  // A signal handler's exception (KeyboardInterrupt) stands; the partial result is discarded.
  if (PyErr_Occurred() != nullptr) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
  return std::move(*value);
}

}  // namespace routecore::bindings
