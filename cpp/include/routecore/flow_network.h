// routecore/flow_network.h — the residual network every max-flow algorithm works on.
//
// Problem
//   Given a CSR graph (csr.h) with a capacity per arc, one or more sources and one or more sinks
//   (disjoint sets), build once per call the residual network that push-relabel, Boykov–Kolmogorov
//   and Dinic run on, and read the per-edge flows back out of it afterwards. The arcs' layout
//   (which arc is where, and its sister) depends only on the graph, so it is built once per
//   graph (FlowLayout, build_flow_layout) and every call only fills in the residuals.
//
// Layout
//   Residual arcs are grouped by tail (`first_out`, like csr.h), so the arcs of a node are
//   contiguous; `head[a]` is the node arc a enters and `arcs[a]` its state (sister, residual).
//   Each input edge becomes a *pair* of residual arcs, a and sister(a), one at each end:
//     directed edge u->v, capacity c        arc u->v with residual c, sister v->u with residual 0;
//     undirected edge {u,v}, capacity c     arc u->v with residual c, sister v->u with residual c
//                                           (a flow f >= 0 from u to v leaves c-f and c+f).
//   An undirected graph's CSR already holds both arcs of every edge at the right ends, so its
//   residual network reuses the CSR as is (residual arc a is CSR arc a; `first_out` and `head`
//   are the graph's), and its layout is just the sister of every arc. A directed graph's layout
//   puts the reverse arcs at the heads (after each node's out-arcs, by a counting sort). With
//   the layout at hand, a call builds the residuals in one sequential pass over the arcs plus
//   one over the terminals' arcs.
//   The flow along a is its initial residual minus residual(a) (negative when the flow runs the
//   other way). Invariant kept by every algorithm: residual(a) >= 0, and residual(a) +
//   residual(sister(a)) stays equal to the sum of the two initial residuals.
//
// Dead arcs (initial residual 0 both ways, so they never carry flow; none of this changes the
// maximum flow value or the minimum cuts, because there is always a maximum flow without flow
// into a source, out of a sink, on a self-loop or on a zero-capacity edge):
//   self-loops, zero-capacity edges, edges between two sources or two sinks, directed edges into
//   a source or out of a sink. An undirected edge with a source (or sink) end is made one-way,
//   away from the source (towards the sink). Dead pairs stay in the layout with zero residuals.
//
// Terminal forms
//   explicit   sources and sinks are ordinary nodes with their arcs (push-relabel, Dinic).
//   folded     arcs between a terminal and a non-terminal node are dead; their capacities are
//              summed into per-node `source_cap` / `sink_cap` (the "terminal capacities" of
//              Boykov–Kolmogorov), and source->sink edges are saturated up front
//              (`direct_flow`). After the solve, `terminal_residual[v]` holds source_cap -
//              sink_cap minus the flow routed through v's terminal capacities (> 0: residual
//              from the sources, < 0: towards the sinks).
//
// Integer capacities and overflow (capacity_totals)
//   Integer capacities are exact. Let S be the total capacity of the live arcs leaving the
//   sources and T the total entering the sinks (both read from the terminals' own arcs); the
//   flow value is at most B = min(S, T). Capacities above B + 1 are clamped to B + 1 (no cut
//   through such an
//   edge can be minimal, so neither the value nor the minimum cuts change, and it is never
//   saturated). The call is refused (overflow) when B, or a clamped S or T, exceeds 2^61: then
//   excesses (at most S), residuals of undirected arcs (up to twice a capacity, 2^62 + 2) and
//   the value fit in int64 with room to spare. When the clamped totals are below 2^30 - 1 the
//   network is built with 32-bit residuals instead (`Cap` = int32): same results, half the
//   memory traffic. Double capacities are not clamped; a non-finite total is reported as
//   overflow.
//
// Complexity: O(num_nodes + num_arcs) time per call, and once per graph for the layout. Memory
// per residual arc and call: 8 bytes (sister, residual) with 32-bit residuals, 16 with 64-bit
// ones; plus the initial residuals when kept (push-relabel's flow recovery). The layout: 4
// bytes per arc (sister) for an undirected graph; 8 per residual arc (head, sister) and 4 per
// node for a directed one.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace routecore {

enum class terminal_kind : std::uint8_t { none = 0, source = 1, sink = 2 };

namespace detail {

// Uninitialised storage for the per-call arrays (residual arcs, node states).
//
// Blocks of 64 KiB and more come from a small process-wide pool: when a call ends its blocks go
// back to the pool (at most 32 blocks and 1 GiB in all) and the next call of similar size reuses
// them. The network is rebuilt on every call, and without reuse the first touch of fresh pages
// (page faults, zeroing by the kernel) costs about as much as building it. Blocks of 4 MiB and
// more are aligned to 2 MiB and marked for transparent huge pages, which also cuts the TLB
// misses of the algorithms' random accesses. release_scratch_memory() empties the pool.
class ScratchPool {
 public:
  static constexpr std::size_t min_pooled = std::size_t{64} << 10;
  static constexpr std::size_t max_held = std::size_t{1} << 30;
  static constexpr std::size_t max_blocks = 32;
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  static ScratchPool& instance() {
    static ScratchPool pool;
    return pool;
  }

  // A block of at least `bytes` (rounded up to whole pages); returns its size in `bytes`.
  void* take(std::size_t& bytes) {
    const bool huge = bytes >= 2 * huge_page;
    const std::size_t unit = huge ? huge_page : std::size_t{4096};
    bytes = (bytes + unit - 1) / unit * unit;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // The smallest block that fits and is not more than twice too big.
      std::size_t best = blocks_.size();
      for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const std::size_t size = blocks_[i].second;
        if (size >= bytes && size <= 2 * bytes &&
            (best == blocks_.size() || size < blocks_[best].second))
          best = i;
      }
      if (best < blocks_.size()) {
        auto [p, size] = blocks_[best];
        blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(best));
        held_ -= size;
        bytes = size;
        return p;
      }
    }
    void* p = std::aligned_alloc(unit, bytes);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (huge) madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
  }

  void give(void* p, std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (blocks_.size() < max_blocks && held_ + bytes <= max_held) {
        blocks_.emplace_back(p, bytes);
        held_ += bytes;
        return;
      }
    }
    std::free(p);
  }

  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [p, size] : blocks_) std::free(p);
    blocks_.clear();
    held_ = 0;
  }

  ~ScratchPool() { release(); }

 private:
  std::mutex mutex_;
  std::vector<std::pair<void*, std::size_t>> blocks_;
  std::size_t held_ = 0;
};

struct ScratchDeleter {
  std::size_t pooled_bytes = 0;  // 0: plain malloc
  void operator()(void* p) const {
    if (pooled_bytes > 0) {
      ScratchPool::instance().give(p, pooled_bytes);
    } else {
      std::free(p);
    }
  }
};
template <class T>
using Buffer = std::unique_ptr<T[], ScratchDeleter>;

template <class T>
Buffer<T> make_buffer(std::size_t count) {
  static_assert(std::is_trivially_default_constructible_v<T> &&
                std::is_trivially_destructible_v<T>);
  std::size_t bytes = std::max<std::size_t>(count * sizeof(T), 1);
  if (bytes >= ScratchPool::min_pooled) {
    void* p = ScratchPool::instance().take(bytes);
    return Buffer<T>(static_cast<T*>(p), ScratchDeleter{bytes});
  }
  void* p = std::malloc(bytes);
  if (p == nullptr) throw std::bad_alloc();
  return Buffer<T>(static_cast<T*>(p), ScratchDeleter{0});
}

// A fixed-size array in scratch storage (see ScratchPool), for per-node and per-arc state.
template <class T>
class ScratchArray {
 public:
  ScratchArray() = default;
  explicit ScratchArray(std::size_t size) : data_(make_buffer<T>(size)), size_(size) {}
  ScratchArray(std::size_t size, T value) : ScratchArray(size) {
    std::fill_n(data_.get(), size, value);
  }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  Buffer<T> data_;
  std::size_t size_ = 0;
};

}  // namespace detail

// Frees the scratch blocks that max-flow calls keep for reuse (see detail::ScratchPool).
inline void release_scratch_memory() { detail::ScratchPool::instance().release(); }

// The state of one residual arc; its head is FlowNetwork::head[a].
template <class Cap>
struct ResidualArc {
  arc_id sister;  // the paired arc in the opposite direction, stored at the head
  Cap residual;
};

// Which nodes are sources and sinks, and each set without duplicates.
struct Terminals {
  detail::ScratchArray<terminal_kind> kind;  // per node
  std::vector<node_id> sources, sinks;

  Terminals() = default;
  Terminals(node_id num_nodes, std::span<const node_id> source_ids,
            std::span<const node_id> sink_ids)
      : kind(static_cast<std::size_t>(num_nodes), terminal_kind::none) {
    for (node_id s : source_ids) {
      if (kind[s] == terminal_kind::none) sources.push_back(s);
      kind[s] = terminal_kind::source;
    }
    for (node_id t : sink_ids) {
      assert(kind[t] != terminal_kind::source);
      if (kind[t] == terminal_kind::none) sinks.push_back(t);
      kind[t] = terminal_kind::sink;
    }
  }

  std::vector<node_id> all() const {
    std::vector<node_id> out(sources);
    out.insert(out.end(), sinks.begin(), sinks.end());
    return out;
  }
};

// The arcs of the residual network, which depend only on the graph's structure: built once per
// graph by build_flow_layout and kept by the caller (Python's Graph keeps it with the graph).
//   undirected  residual arc a is CSR arc a (`first_out`, `head` are the graph's); `sister[a]`
//               is the other arc of a's edge (a self-loop's two arcs are each other's sister).
//   directed    the arcs of node u are its CSR out-arcs, in CSR order, followed by the reverses
//               of its in-arcs; so CSR arc a of u is residual arc a + first_out[u] -
//               csr.first_out[u] (forward_arc), and `sister` pairs each with its reverse.
// Every edge, whatever its capacity or its ends, has its pair of residual arcs: edges that cannot
// carry flow (see "Dead arcs" above) get zero residual both ways when a network is built.
// `loop_arcs` lists the arcs of self-loops (both of each), so that the per-call passes can run
// over all arcs without testing each for a loop (flow_layout_loop_arcs; usually empty).
struct FlowLayout {
  arc_id num_arcs = 0;
  const arc_id* first_out = nullptr;  // num_nodes + 1
  const node_id* head = nullptr;      // num_arcs
  const arc_id* sister = nullptr;     // num_arcs
  std::span<const arc_id> loop_arcs;
};

// Number of residual arcs of the layout: one per CSR arc (undirected), two (directed).
inline arc_id flow_layout_arcs(const CsrView& g, bool directed) {
  return directed ? 2 * g.num_arcs : g.num_arcs;
}

// Fills the layout's arrays (first_out: num_nodes + 1 and head: flow_layout_arcs entries, only
// for a directed graph; sister: flow_layout_arcs entries). O(num_nodes + num_arcs) time.
inline void build_flow_layout(const CsrView& g, bool directed, std::span<arc_id> first_out,
                              std::span<node_id> head, std::span<arc_id> sister) {
  const node_id n = g.num_nodes;
  if (!directed) {
    auto first_seen = detail::make_buffer<arc_id>(static_cast<std::size_t>(g.num_arcs));
    std::fill_n(first_seen.get(), g.num_arcs, arc_id{-1});
    for (arc_id a = 0; a < g.num_arcs; ++a) {
      const auto e = static_cast<std::size_t>(edge_of(g.arc_edge[a]));
      const arc_id other = first_seen[e];
      if (other < 0) {
        first_seen[e] = a;
      } else {
        sister[a] = other;
        sister[other] = a;
      }
    }
    return;
  }
  // first_out[u] = (out-arcs before u) + (in-arcs before u); the in-arcs by counting sort.
  std::fill(first_out.begin(), first_out.end(), arc_id{0});
  for (arc_id a = 0; a < g.num_arcs; ++a) ++first_out[g.head[a] + 1];
  for (node_id v = 0; v < n; ++v) first_out[v + 1] += first_out[v];
  auto next_in = detail::make_buffer<arc_id>(static_cast<std::size_t>(n));
  for (node_id v = 0; v <= n; ++v) first_out[v] += g.first_out[v];
  for (node_id v = 0; v < n; ++v) next_in[v] = first_out[v] + g.out_degree(v);
  for (node_id u = 0; u < n; ++u) {
    const arc_id shift = first_out[u] - g.first_out[u];
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const node_id v = g.head[a];
      const arc_id p = a + shift;
      const arc_id q = next_in[v]++;
      head[p] = v;
      head[q] = u;
      sister[p] = q;
      sister[q] = p;
    }
  }
}

// The residual arcs of the self-loops of a graph with layout first_out / sister (both arcs of
// each loop, ascending within a node).
inline std::vector<arc_id> flow_layout_loop_arcs(const CsrView& g, bool directed,
                                                 const arc_id* first_out, const arc_id* sister) {
  std::vector<arc_id> loops;
  for (node_id u = 0; u < g.num_nodes; ++u) {
    const arc_id shift = directed ? first_out[u] - g.first_out[u] : 0;
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      if (g.head[a] != u) continue;
      loops.push_back(a + shift);
      if (directed) loops.push_back(sister[a + shift]);
    }
  }
  return loops;
}

// A FlowLayout with its own arrays, for callers that do not keep one per graph.
struct OwnedFlowLayout {
  detail::Buffer<arc_id> first_out, sister;
  detail::Buffer<node_id> head;
  std::vector<arc_id> loops;
  FlowLayout view;

  OwnedFlowLayout(const CsrView& g, bool directed) {
    const arc_id m = flow_layout_arcs(g, directed);
    const auto n1 = static_cast<std::size_t>(g.num_nodes) + 1;
    sister = detail::make_buffer<arc_id>(static_cast<std::size_t>(m));
    if (directed) {
      first_out = detail::make_buffer<arc_id>(n1);
      head = detail::make_buffer<node_id>(static_cast<std::size_t>(m));
    }
    build_flow_layout(g, directed, {first_out.get(), directed ? n1 : 0},
                      {head.get(), directed ? static_cast<std::size_t>(m) : 0},
                      {sister.get(), static_cast<std::size_t>(m)});
    loops =
        flow_layout_loop_arcs(g, directed, directed ? first_out.get() : g.first_out, sister.get());
    view = FlowLayout{m, directed ? first_out.get() : g.first_out, directed ? head.get() : g.head,
                      sister.get(), loops};
  }
};

template <class Cap>
struct FlowNetwork {
  static_assert(std::is_same_v<Cap, std::int32_t> || std::is_same_v<Cap, std::int64_t> ||
                std::is_same_v<Cap, double>);

  node_id num_nodes = 0;
  arc_id num_arcs = 0;
  bool folded = false;
  bool directed = false;
  const arc_id* first_out = nullptr;      // num_nodes + 1 (the layout's)
  const node_id* head = nullptr;          // num_arcs (the layout's)
  const arc_id* csr_first_out = nullptr;  // the graph's, for forward_arc
  detail::Buffer<ResidualArc<Cap>> arcs;  // residual state
  detail::Buffer<Cap> capacity;           // initial residuals, only when asked for
  Terminals terminals;
  // Folded form only (empty otherwise).
  detail::ScratchArray<Cap> source_cap, sink_cap, terminal_residual;
  Cap direct_flow = 0;  // flow of source -> sink edges, saturated when folding

  arc_id begin(node_id v) const { return first_out[v]; }
  arc_id end(node_id v) const { return first_out[v + 1]; }
  // The residual arc of CSR arc a (an arc of node u) in its own direction.
  arc_id forward_arc(node_id u, arc_id a) const {
    return directed ? a + first_out[u] - csr_first_out[u] : a;
  }
  terminal_kind terminal(node_id v) const { return terminals.kind[v]; }
  bool is_terminal(node_id v) const { return terminals.kind[v] != terminal_kind::none; }
  const std::vector<node_id>& sources() const { return terminals.sources; }
  const std::vector<node_id>& sinks() const { return terminals.sinks; }
};

namespace detail {

// How one input edge (src -> dst) enters the residual network.
enum class edge_role : std::uint8_t {
  dead,         // carries no flow
  forward,      // arc src->dst gets the capacity, its sister 0
  backward,     // arc dst->src gets the capacity, its sister 0 (undirected, one end terminal)
  both,         // undirected between non-terminals: both arcs get the capacity
  source_fold,  // folded form: capacity from the sources to `node`
  sink_fold,    // folded form: capacity from `node` to the sinks
  direct,       // folded form: a source -> sink edge
};

struct EdgeClass {
  edge_role role;
  node_id node;  // the non-terminal end for source_fold / sink_fold
  // Terminal ends of the useful direction, for the totals.
  bool from_source;
  bool to_sink;
};

[[gnu::always_inline]] inline EdgeClass classify_edge(node_id u, node_id v, terminal_kind tu,
                                                      terminal_kind tv, bool directed,
                                                      bool folded) {
  using T = terminal_kind;
  if (tu == T::none && tv == T::none) {
    if (u == v) return {edge_role::dead, u, false, false};
    return {directed ? edge_role::forward : edge_role::both, u, false, false};
  }
  if (u == v || tu == tv) return {edge_role::dead, u, false, false};  // loop, source-source...
  const bool fwd_ok = tv != T::source && tu != T::sink;               // u->v can be useful
  const bool bwd_ok = !directed && tu != T::source && tv != T::sink;  // v->u can be useful
  if (!fwd_ok && !bwd_ok) return {edge_role::dead, u, false, false};
  // One end is a terminal, so exactly one direction is useful.
  const node_id tail = fwd_ok ? u : v;
  const node_id head = fwd_ok ? v : u;
  const bool from_source = (fwd_ok ? tu : tv) == T::source;
  const bool to_sink = (fwd_ok ? tv : tu) == T::sink;
  if (folded) {
    if (from_source && to_sink) return {edge_role::direct, tail, true, true};
    if (from_source) return {edge_role::source_fold, head, true, false};
    return {edge_role::sink_fold, tail, false, true};
  }
  return {fwd_ok ? edge_role::forward : edge_role::backward, tail, from_source, to_sink};
}

// Initial residuals of the src->dst arc and the dst->src arc of an edge with this role.
template <class Cap>
struct PairCapacity {
  Cap forward, backward;
};

template <class Cap>
PairCapacity<Cap> pair_capacity(edge_role role, Cap c) {
  switch (role) {
    case edge_role::forward:
      return {c, 0};
    case edge_role::backward:
      return {0, c};
    case edge_role::both:
      return {c, c};
    default:
      return {0, 0};
  }
}

// a + b for non-negative totals, saturating at the largest finite value (doubles are summed
// plainly; an infinite total is reported as overflow).
template <class T>
T add_total(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    T r;
    if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<T>::max();
    return r;
  } else {
    return a + b;
  }
}

// Visits every edge with a terminal end once, as fn(src, dst, src_arc, csr_arc): src_arc is the
// residual arc src -> dst, csr_arc the edge's CSR arc (its capacity's index in arc order). Only
// the terminals' own residual arcs are read: in the layout every edge has an arc at both ends.
template <class Fn>
void for_each_terminal_edge(const CsrView& g, const FlowLayout& layout, bool directed,
                            const Terminals& terminals, Fn&& fn) {
  const auto& kind = terminals.kind;
  auto visit = [&](node_id x) {
    const arc_id shift_x = layout.first_out[x] - g.first_out[x];
    const arc_id out_end = directed ? g.end(x) + shift_x : layout.first_out[x + 1];
    for (arc_id p = layout.first_out[x]; p < layout.first_out[x + 1]; ++p) {
      const node_id y = layout.head[p];
      const bool fwd = directed ? p < out_end : is_forward(g.arc_edge[p]);
      // An edge between two terminals is in both lists; take it from its src only.
      if (!fwd && kind[y] != terminal_kind::none) continue;
      if (fwd) {
        fn(x, y, p, directed ? p - shift_x : p);
      } else {
        const arc_id q = layout.sister[p];
        fn(y, x, q, directed ? q - (layout.first_out[y] - g.first_out[y]) : p);
      }
    }
  };
  for (node_id s : terminals.sources) visit(s);
  for (node_id t : terminals.sinks) visit(t);
}

// The edges crossing a cut, collected one arc at a time: a bit per edge (small enough to stay
// in cache), listed in ascending id order at the end. Each edge must be added at most once.
class CutEdgeBits {
 public:
  explicit CutEdgeBits(edge_id num_edges)
      : bits_((static_cast<std::size_t>(num_edges) + 63) / 64, 0) {}
  void add(edge_id e) {
    const auto i = static_cast<std::size_t>(e);
    bits_[i / 64] |= std::uint64_t{1} << (i % 64);
    ++count_;
  }
  // Adds the edges of `other` (a disjoint set over the same edges).
  void merge(const CutEdgeBits& other) {
    for (std::size_t w = 0; w < bits_.size(); ++w) bits_[w] |= other.bits_[w];
    count_ += other.count_;
  }
  std::vector<edge_id> list() const {
    std::vector<edge_id> out;
    out.reserve(count_);
    for (std::size_t w = 0; w < bits_.size(); ++w) {
      for (std::uint64_t word = bits_[w]; word != 0; word &= word - 1)
        out.push_back(
            static_cast<edge_id>(w * 64 + static_cast<std::size_t>(std::countr_zero(word))));
    }
    return out;
  }

 private:
  ScratchArray<std::uint64_t> bits_;
  std::size_t count_ = 0;
};

// One CutEdgeBits per worker of a pass (run_pass), so that threads never share a word; merged
// when listed.
class WorkerCutEdges {
 public:
  WorkerCutEdges(edge_id num_edges, int workers) {
    bits_.reserve(static_cast<std::size_t>(workers));
    for (int w = 0; w < workers; ++w) bits_.emplace_back(num_edges);
  }
  CutEdgeBits& operator[](int worker) { return bits_[static_cast<std::size_t>(worker)]; }
  std::vector<edge_id> list() {
    for (std::size_t w = 1; w < bits_.size(); ++w) bits_[0].merge(bits_[w]);
    return bits_[0].list();
  }

 private:
  std::vector<CutEdgeBits> bits_;
};

// The per-call passes over all arcs (building the residuals, reading the flows back) split
// over threads only with at least this many arcs per thread: below it, starting a thread costs
// more than it saves. The searches themselves are sequential.
inline constexpr arc_id min_arcs_per_pass_thread = arc_id{1} << 19;

inline int pass_threads(const CsrView& g, int threads) {
  return static_cast<int>(
      std::clamp<std::int64_t>(g.num_arcs / min_arcs_per_pass_thread, 1, std::max(threads, 1)));
}

// Node ranges [bounds[i], bounds[i + 1]) covering all nodes, `blocks` of them with about equal
// numbers of arcs (some may be empty).
inline std::vector<node_id> arc_balanced_blocks(const CsrView& g, int blocks) {
  std::vector<node_id> bounds{0};
  const arc_id* first_out = g.first_out;
  for (int i = 1; i < blocks; ++i) {
    const auto target = static_cast<arc_id>(static_cast<std::int64_t>(g.num_arcs) * i / blocks);
    const auto u = static_cast<node_id>(
        std::lower_bound(first_out, first_out + g.num_nodes + 1, target) - first_out);
    bounds.push_back(std::clamp(u, bounds.back(), g.num_nodes));
  }
  bounds.push_back(g.num_nodes);
  return bounds;
}

// Runs first() and block(first_node, last_node, worker) for node blocks of about equal arc
// counts, on `workers` threads (pass_threads); `first` is handed out first, so a serial pass that
// is independent of the blocks overlaps with them.
template <class Block, class First>
void run_pass(const CsrView& g, int workers, Block&& block, First&& first) {
  if (workers <= 1) {
    first();
    block(node_id{0}, g.num_nodes, 0);
    return;
  }
  const auto bounds = arc_balanced_blocks(g, 4 * workers);
  const auto count = static_cast<std::int64_t>(bounds.size());  // the blocks, and `first`
  parallel_for(count, workers, nullptr, [&](std::int64_t task, int worker) {
    if (task == 0) {
      first();
    } else {
      const auto i = static_cast<std::size_t>(task - 1);
      block(bounds[i], bounds[i + 1], worker);
    }
  });
}

template <class Block>
void run_pass(const CsrView& g, int workers, Block&& block) {
  run_pass(g, workers, std::forward<Block>(block), [] {});
}

}  // namespace detail

// Largest total (flow value bound) accepted with integer capacities: 2^61.
inline constexpr std::int64_t max_int_flow_total = std::int64_t{1} << 61;
// Largest clamped total for which 32-bit residuals are used.
inline constexpr std::int64_t max_narrow_total = (std::int64_t{1} << 30) - 2;

// The capacity totals at the terminals and what follows from them (see the header comment).
template <class In>
struct CapacityTotals {
  double source_total = 0, sink_total = 0;  // approximate, for the overflow report
  bool overflow = false;
  bool narrow = false;  // int64 input whose residuals fit in int32
  In clamp = std::numeric_limits<In>::max();
};

// O(edges at the terminals) time: only the terminals' residual arcs are read.
template <class In>
CapacityTotals<In> capacity_totals(const CsrView& g, const FlowLayout& layout,
                                   std::span<const In> arc_capacity, bool directed,
                                   const Terminals& terminals) {
  struct Sum {
    In source = 0, sink = 0;
    In largest = 0;  // the largest capacity summed
  };
  auto sum_all = [&](Sum& sum, In clamp) {
    detail::for_each_terminal_edge(
        g, layout, directed, terminals, [&](node_id u, node_id v, arc_id, arc_id csr_arc) {
          const In c = std::min(arc_capacity[csr_arc], clamp);
          if (!(c > 0) || u == v) return;
          const auto cls =
              detail::classify_edge(u, v, terminals.kind[u], terminals.kind[v], directed, false);
          if (cls.from_source) sum.source = detail::add_total(sum.source, c);
          if (cls.to_sink) sum.sink = detail::add_total(sum.sink, c);
          if (cls.from_source || cls.to_sink) sum.largest = std::max(sum.largest, c);
        });
  };
  Sum raw;
  sum_all(raw, std::numeric_limits<In>::max());
  CapacityTotals<In> out;
  out.source_total = static_cast<double>(raw.source);
  out.sink_total = static_cast<double>(raw.sink);
  if constexpr (std::is_integral_v<In>) {
    const In bound = std::min(raw.source, raw.sink);
    if (bound > max_int_flow_total) {
      out.overflow = true;
      return out;
    }
    out.clamp = bound + 1;
    // Summed again with every capacity clamped, unless none exceeds the clamp: then the sums
    // are the same, and the second pass over the terminals' edges is skipped (the usual case;
    // on the vision grid it is 2 ms of a 60 ms max-flow).
    Sum clamped = raw;
    if (raw.largest > out.clamp) {
      clamped = Sum{};
      sum_all(clamped, out.clamp);
    }
    if (clamped.source > max_int_flow_total || clamped.sink > max_int_flow_total) {
      out.overflow = true;
      return out;
    }
    out.narrow = std::max(clamped.source, clamped.sink) <= max_narrow_total;
  } else {
    out.overflow = !std::isfinite(raw.source) || !std::isfinite(raw.sink);
  }
  return out;
}

// Builds the residual network on `layout` (build_flow_layout of the same graph). `arc_capacity`
// is in CSR arc order (for an undirected graph both arcs of an edge carry its capacity) and is
// clamped to `clamp` (from capacity_totals, which also guarantees that every clamped capacity
// fits in Cap). With keep_capacity the initial residuals are stored in `capacity`. Large graphs
// split the passes over up to `threads` threads (pass_threads); the result does not depend on it.
// One sequential pass over the arcs plus, in the folded form, one over the terminals' arcs.
template <class Cap, class In>
void build_flow_network(const CsrView& g, const FlowLayout& layout,
                        std::span<const In> arc_capacity, bool directed, Terminals terminals,
                        In clamp, bool folded, bool keep_capacity, FlowNetwork<Cap>& net,
                        int threads = 1) {
  using detail::edge_role;
  const node_id n = g.num_nodes;
  const arc_id m = layout.num_arcs;
  net.num_nodes = n;
  net.num_arcs = m;
  net.folded = folded;
  net.directed = directed;
  net.first_out = layout.first_out;
  net.head = layout.head;
  net.csr_first_out = g.first_out;
  net.terminals = std::move(terminals);
  const auto& term = net.terminals.kind;
  auto cap_of = [&](arc_id csr_arc) {
    return static_cast<Cap>(std::min(arc_capacity[csr_arc], clamp));
  };

  // Pass 1, branch-free: every arc gets its initial residual, in arc order. Whether arc x -> y
  // keeps its capacity depends only on the terminal kinds of x and y, so it is read from a 3x3
  // table made with classify_edge: in the folded form only arcs between two ordinary nodes
  // keep it; in the explicit form every arc whose direction can be useful does (not into a
  // source, not out of a sink, not between two terminals of one kind). The rule is the same for
  // both arcs of an undirected edge, whichever end is its src, and for the out-arc of a directed
  // one; the reverse arcs of directed edges start at 0, and self-loops die after.
  // (Setting both arcs of each terminal edge from the terminal's own list instead would write
  // into the neighbours' arc lists out of order: on vision graphs, where most nodes have a
  // terminal edge, that costs more than this whole pass.)
  net.arcs = detail::make_buffer<ResidualArc<Cap>>(static_cast<std::size_t>(m));
  ResidualArc<Cap>* arcs = net.arcs.get();
  const arc_id* sister = layout.sister;
  std::array<std::uint8_t, 9> keeps{};  // by 3 * kind(x) + kind(y)
  for (std::uint8_t x = 0; x < 3; ++x) {
    for (std::uint8_t y = 0; y < 3; ++y) {
      // An edge x -> y between two distinct nodes of these kinds: does its src -> dst arc
      // start with the capacity?
      const auto cls =
          detail::classify_edge(0, 1, terminal_kind{x}, terminal_kind{y}, directed, folded);
      keeps[3u * x + y] = detail::pair_capacity(cls.role, 1).forward > 0;
    }
  }
  auto kind = [&](node_id v) { return static_cast<std::size_t>(term[v]); };
  // c if keep else 0, without a branch: which arcs keep their capacity follows no pattern a
  // branch predictor could learn (on vision graphs about one arc in five is a terminal's).
  auto kept = [](Cap c, std::uint8_t keep) {
    if constexpr (std::is_integral_v<Cap>) {
      return static_cast<Cap>(c & -static_cast<Cap>(keep));
    } else {
      return c * static_cast<Cap>(keep);  // c is finite and >= 0
    }
  };
  auto fill_block = [&](node_id first, node_id last, int) {
    if (!directed) {
      // Flat over the arcs as if every tail were an ordinary node; then the terminals' lists.
      const std::uint8_t* keep_from_ordinary = keeps.data();
      for (arc_id a = g.first_out[first]; a < g.first_out[last]; ++a) {
        const Cap c = cap_of(a);
        arcs[a] = ResidualArc<Cap>{sister[a], kept(c, keep_from_ordinary[kind(g.head[a])])};
      }
      for (node_id x = first; x < last; ++x) {
        if (term[x] == terminal_kind::none) continue;
        const std::uint8_t* keep_from_x = keeps.data() + 3 * kind(x);
        for (arc_id a = g.begin(x); a < g.end(x); ++a)
          if (!keep_from_x[kind(g.head[a])]) arcs[a].residual = 0;
      }
      return;
    }
    for (node_id u = first; u < last; ++u) {
      const arc_id shift = layout.first_out[u] - g.first_out[u];
      const std::uint8_t* keep_from_u = keeps.data() + 3 * kind(u);
      for (arc_id a = g.begin(u); a < g.end(u); ++a) {
        const Cap c = cap_of(a);
        arcs[a + shift] =
            ResidualArc<Cap>{sister[a + shift], kept(c, keep_from_u[kind(g.head[a])])};
      }
      for (arc_id p = g.end(u) + shift; p < layout.first_out[u + 1]; ++p)
        arcs[p] = ResidualArc<Cap>{sister[p], Cap{0}};  // the reverses of the in-arcs
    }
  };

  // Pass 2 (folded form, independent of pass 1, so it runs beside it): the terminal edges'
  // capacities are summed into their nodes.
  net.direct_flow = 0;
  if (folded) {
    net.source_cap = detail::ScratchArray<Cap>(static_cast<std::size_t>(n), 0);
    net.sink_cap = detail::ScratchArray<Cap>(static_cast<std::size_t>(n), 0);
  } else {
    net.source_cap = {};
    net.sink_cap = {};
  }
  auto sum_terminals = [&] {
    detail::for_each_terminal_edge(
        g, layout, directed, net.terminals, [&](node_id src, node_id dst, arc_id, arc_id csr_arc) {
          if (src == dst) return;
          const Cap c = cap_of(csr_arc);
          if (!(c > 0)) return;
          const auto cls = detail::classify_edge(src, dst, term[src], term[dst], directed, folded);
          if (cls.role == edge_role::source_fold) {
            net.source_cap[cls.node] += c;
          } else if (cls.role == edge_role::sink_fold) {
            net.sink_cap[cls.node] += c;
          } else if (cls.role == edge_role::direct) {
            net.direct_flow += c;
          }
        });
  };
  detail::run_pass(g, detail::pass_threads(g, threads), fill_block, [&] {
    if (folded) sum_terminals();
  });
  for (const arc_id p : layout.loop_arcs) arcs[p].residual = 0;

  if (keep_capacity) {
    net.capacity = detail::make_buffer<Cap>(static_cast<std::size_t>(m));
    for (arc_id p = 0; p < m; ++p) net.capacity[p] = arcs[p].residual;
  } else {
    net.capacity = nullptr;
  }
  if (folded) {
    net.terminal_residual = detail::ScratchArray<Cap>(static_cast<std::size_t>(n));
    for (node_id v = 0; v < n; ++v) net.terminal_residual[v] = net.source_cap[v] - net.sink_cap[v];
  } else {
    net.terminal_residual = {};
  }
}

// The flow along residual arc p (initial residual cap_p, its sister's cap_s), read from the
// residuals. For double capacities, when one of the pair is exactly saturated the flow is taken
// to be exactly its capacity, so a saturated cut arc reports flow == capacity without rounding
// noise, and the result is clamped to the capacity bounds.
template <class Cap>
Cap arc_flow(const FlowNetwork<Cap>& net, arc_id p, Cap cap_p, Cap cap_s) {
  const Cap res_p = net.arcs[p].residual;
  if constexpr (std::is_integral_v<Cap>) {
    (void)cap_s;
    return cap_p - res_p;  // exact
  } else {
    const Cap res_s = net.arcs[net.arcs[p].sister].residual;
    if (res_p == 0) return cap_p;
    if (res_s == 0) return -cap_s;
    return std::clamp<Cap>(cap_p - res_p, -cap_s, cap_p);
  }
}

// Writes the flow of every input edge (in the src -> dst direction) into `edge_flow`
// (num_edges entries) and returns the ids (ascending) of the edges crossing the cut `side`
// (1: source side), as crossing_edges (min_cut.h) does, read in the same pass over the arcs.
// In the folded form the flow through each node's terminal capacities is split over that
// node's terminal edges, each up to its capacity; when the node's terminal residual on that
// side is zero, every such edge is exactly saturated (so double capacities report cut edges
// without rounding noise). The split uses up `source_cap` and `sink_cap` (the network is not
// solved again afterwards). Pass 1 splits over up to `threads` threads on large graphs.
template <class Cap, class In>
std::vector<edge_id> extract_edge_flow(FlowNetwork<Cap>& net, const CsrView& g,
                                       const FlowLayout& layout, std::span<const In> arc_capacity,
                                       In clamp, bool directed, std::span<In> edge_flow,
                                       std::span<const std::uint8_t> side, edge_id num_edges,
                                       int threads = 1) {
  using detail::edge_role;
  const auto& term = net.terminals.kind;
  auto cap_of = [&](arc_id csr_arc) {
    return static_cast<Cap>(std::min(arc_capacity[csr_arc], clamp));
  };
  const auto* arcs = net.arcs.get();

  // Pass 1 (branch-free flows for integers): every edge between two ordinary nodes, written
  // from its forward arc (other arcs write to a scratch slot); an arc from side 1 to side 0
  // marks its edge as cut (for an undirected edge only its end on side 1 does, for a directed
  // one only its tail, as the CSR lists out-arcs only). Node blocks may run on several
  // threads: each edge is written once, and each thread marks its own bits.
  const int workers = detail::pass_threads(g, threads);
  detail::WorkerCutEdges cuts(num_edges, workers);
  auto read_block = [&](node_id first, node_id last, int worker) {
    detail::CutEdgeBits& cut = cuts[worker];
    In scratch = 0;
    for (node_id u = first; u < last; ++u) {
      const arc_id shift = directed ? layout.first_out[u] - g.first_out[u] : 0;
      const bool on_source_side = side[u] != 0;
      const bool u_ordinary = term[u] == terminal_kind::none;
      for (arc_id a = g.begin(u); a < g.end(u); ++a) {
        const arc_id p = a + shift;
        const node_id y = g.head[a];
        const edge_id stored = g.arc_edge[a];
        const Cap c = cap_of(a);
        Cap f;
        if constexpr (std::is_integral_v<Cap>) {
          f = c - arcs[p].residual;
        } else {
          f = c > 0 ? arc_flow(net, p, c, directed ? 0.0 : c) : 0.0;
        }
        const bool write = (stored >= 0) & u_ordinary & (term[y] == terminal_kind::none);
        *(write ? edge_flow.data() + stored : &scratch) = static_cast<In>(f);
        if (on_source_side && side[y] == 0) cut.add(edge_of(stored));
      }
    }
  };
  // Pass 2, beside pass 1 (they write different edges): the edges with a terminal end,
  // whatever their role. Folded edges split the flow through their node's terminal capacity:
  // with terminal residual r > 0 on the source side, source_cap - r has passed in all, and
  // source_cap keeps that remainder plus r as edges take their share (likewise sink_cap, -r).
  auto split_terminal_edges = [&] {
    detail::for_each_terminal_edge(
        g, layout, directed, net.terminals,
        [&](node_id u, node_id v, arc_id src_arc, arc_id csr_arc) {
          const edge_id e = edge_of(g.arc_edge[csr_arc]);
          const Cap c = u != v ? cap_of(csr_arc) : Cap{0};
          if (!(c > 0)) {
            edge_flow[e] = 0;
            return;
          }
          const auto cls = detail::classify_edge(u, v, term[u], term[v], directed, net.folded);
          Cap f = 0;
          switch (cls.role) {
            case edge_role::dead:
              break;
            case edge_role::forward:
            case edge_role::backward:
            case edge_role::both: {
              const auto pc = detail::pair_capacity(cls.role, c);
              f = arc_flow(net, src_arc, pc.forward, pc.backward);
              break;
            }
            case edge_role::source_fold:
            case edge_role::sink_fold: {
              // The residual's sign differs from node to node, so for integers this is
              // branch-free: with no residual on this side, `left - unused` is the sum of
              // the capacities still to come and every edge gets exactly its own (f = c).
              const bool from_source = cls.role == edge_role::source_fold;
              const Cap r = net.terminal_residual[cls.node];
              Cap& left = from_source ? net.source_cap[cls.node] : net.sink_cap[cls.node];
              const Cap unused = from_source ? std::max<Cap>(r, 0) : std::max<Cap>(-r, 0);
              if constexpr (std::is_integral_v<Cap>) {
                f = std::min(c, left - unused);
                left -= f;
              } else {
                f = c;  // exactly saturated unless some capacity is left unused
                if (unused > 0) {
                  f = std::min(c, left - unused);
                  left -= f;
                }
              }
              break;
            }
            case edge_role::direct:
              f = c;
              break;
          }
          // A folded edge whose src is not the terminal end runs dst -> src.
          const bool reversed = cls.role >= edge_role::source_fold &&
                                term[u] != terminal_kind::source && term[v] != terminal_kind::sink;
          edge_flow[e] = static_cast<In>(reversed ? -f : f);
        });
  };
  detail::run_pass(g, workers, read_block, split_terminal_edges);
  // Self-loops carry nothing (their dead arcs read as saturated in pass 1).
  for (const arc_id p : layout.loop_arcs) {
    const node_id u = layout.head[p];
    if (directed && p >= layout.first_out[u] + g.out_degree(u)) continue;  // a reverse arc
    const arc_id a = directed ? p - (layout.first_out[u] - g.first_out[u]) : p;
    edge_flow[edge_of(g.arc_edge[a])] = 0;
  }
  return cuts.list();
}

}  // namespace routecore
