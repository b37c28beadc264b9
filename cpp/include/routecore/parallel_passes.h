// routecore/parallel_passes.h — the passes over all arcs that surround a max-flow search,
// split over a few threads on large graphs, and the per-worker bit sets they collect cut edges
// in.
//
// Problem
//   Building the residual network, reading the per-edge flows back and listing the edges of a
//   cut each scan every arc once, node by node, independently of the other nodes. On large
//   graphs these passes are worth splitting over threads (the searches themselves stay
//   sequential); on small ones starting a thread costs more than it saves.
//
// Contract
//   pass_threads(g, threads): how many threads a pass over g uses, 1 unless g has at least
//   min_arcs_per_pass_thread arcs per thread. run_pass(g, workers, block, first) calls
//   first() once and block(first_node, last_node, worker) for node ranges covering every node
//   exactly once, ranges of about equal arc counts (arc_balanced_blocks); `worker` in
//   [0, workers) names the thread, so each worker can write its own state without locks.
//   CutEdgeBits collects edge ids (each at most once) as a bit per edge and lists them in
//   ascending order; WorkerCutEdges holds one per worker and merges them when listed. So a
//   pass returns the same edges in the same order for every thread count.
//
// Invariants: a block writes only what belongs to its own nodes' arcs (or its worker's bits);
// `first` must not write what the blocks write.
//
// Complexity: a pass costs O(num_nodes + num_arcs) / workers plus O(workers) thread starts;
// listing the cut costs O(num_edges / 64 * workers + cut size); memory one bit per edge per
// worker.
//
// References: parallel.h (parallel_for, the thread pool the passes run on).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "routecore/csr.h"
#include "routecore/parallel.h"
#include "routecore/scratch.h"

namespace routecore {

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
  // add(e) when `on`, without a branch: for passes where whether an arc crosses the cut
  // follows no pattern the branch predictor could learn (noisy data).
  void add_if(edge_id e, bool on) {
    const auto i = static_cast<std::size_t>(e);
    bits_[i / 64] |= static_cast<std::uint64_t>(on) << (i % 64);
    count_ += static_cast<std::size_t>(on);
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
// more than it saves. The searches themselves are sequential. This is the one statement of the
// threshold; Python reads it as routecore._core.PARALLEL_MIN_ARCS_PER_THREAD.
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

}  // namespace routecore
