// Internal to the network simplex sources (network_simplex_start.cpp: the arc order, the big-M
// and warm starts, the bound check and the output; network_simplex.cpp: the pivot loop): the
// solver's state. The contract and the method are in routecore/network_simplex.h.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "routecore/network_simplex.h"

namespace routecore::ns_detail {

using i32 = std::int32_t;
using i64 = std::int64_t;
using u64 = std::uint64_t;

constexpr i64 kInf = kInfiniteCapacity;
// Every finite capacity, flow and residual is at most this (check_network_simplex_bounds).
constexpr i64 kFiniteLimit = i64{1} << 62;

// Arc states: at the lower bound, in the tree, at the upper bound. A non-tree arc violates
// optimality when state * reduced_cost < 0.
constexpr std::int8_t kLower = 1;
constexpr std::int8_t kTree = 0;
constexpr std::int8_t kUpper = -1;

class NetworkSimplex {
 public:
  // The big-M start (or the warm start when p proposes one).
  NetworkSimplex(const McfProblem& p, i64 big_m);

  // Pivots until optimal (or unbounded / cancelled); then reads the artificial arcs.
  mcf_status run(const Cancel* cancel, i64& pivots);
  void output(McfOutcome& out) const;

 private:
  void warm_start(const McfProblem& p);
  bool find_entering(i32& in);
  bool pivot(i32 in);
  void shift_potentials(i32 first, i32 last, i32 count, u64 d);
  void update_tree(i32 in, int side, i32 out_pos, i32 len1, i32 len2);

  i64 reduced_cost(i32 a) const {
    return static_cast<i64>(static_cast<u64>(cost_[a]) + pi_[tail_[a]] - pi_[head_[a]]);
  }
  // Residual capacity of the tree arc above w when the cycle passes it upwards (w -> parent)
  // or downwards (parent -> w). Branch-free (the direction is a coin flip to the branch
  // predictor): an uncapacitated arc's residual reads as kInf - flow, which stays above
  // kFiniteLimit and so above every finite residual (the bound check keeps finite capacities and
  // every flow within 2^62). A bottleneck above kFiniteLimit means no arc blocks.
  i64 residual_up(i32 w) const {
    const i32 e = pred_[w];
    const i64 f = flow_[e];
    const i64 room = cap_[e] - f;
    return pred_up_[w] != 0 ? room : f;
  }
  i64 residual_down(i32 w) const {
    const i32 e = pred_[w];
    const i64 f = flow_[e];
    const i64 room = cap_[e] - f;
    return pred_up_[w] != 0 ? f : room;
  }

  i32 n_;
  i32 m_;
  i32 root_;  // the artificial root, node n_
  // Arcs: 0 .. m_-1 the problem's, m_ + v the artificial arc between node v and the root.
  std::vector<i32> order_;  // internal arc -> input arc
  std::vector<i32> tail_;
  std::vector<i32> head_;
  std::vector<i64> cap_;  // kInf: uncapacitated
  std::vector<i64> cost_;
  std::vector<i64> flow_;
  std::vector<std::int8_t> state_;  // kLower, kTree or kUpper
  // The spanning tree rooted at root_: parent, the tree arc to the parent (pred) and whether it
  // points from the node to its parent (pred_up), subtree sizes, and a preorder as a circular
  // doubly linked list (thread / rev_thread) in which every subtree is contiguous.
  // Potentials modulo 2^64: the root's need not stay 0 (update_tree shifts the smaller side),
  // and every difference that is read (reduced costs, output) is exact because its true value
  // fits in int64 (the bound check), so wrap-around arithmetic on the stored values is harmless.
  std::vector<u64> pi_;
  std::vector<i32> parent_;
  std::vector<i32> pred_;
  std::vector<std::uint8_t> pred_up_;
  std::vector<i32> thread_;
  std::vector<i32> rev_thread_;
  std::vector<i32> succ_num_;
  std::vector<i32> last_succ_;  // the last node of each subtree in the preorder
  // Scratch of a pivot (n_ + 1 entries each): the cycle's two tree paths, from `first` and from
  // `second` up to (without) the join node, recorded once by the join search so that the later
  // passes (bottleneck, flow change, tree update) read arrays instead of chasing parent links.
  std::vector<i32> path1_;
  std::vector<i32> path2_;
  std::vector<std::pair<i32, i32>> pieces_;  // update_tree: (first, last node) of the new preorder
  i32 block_ = 10;
  i32 next_arc_ = 0;
};

}  // namespace routecore::ns_detail
