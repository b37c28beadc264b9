// The network simplex's pivot loop (routecore/network_simplex.h has the contract and the
// method): block search for the entering arc, the cycle and its leaving arc, and the tree update.
// The starts, the overflow rule and the output are in network_simplex_start.cpp.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "network_simplex_solver.h"
#include "routecore/network_simplex.h"

namespace routecore::ns_detail {

mcf_status NetworkSimplex::run(const Cancel* cancel, i64& pivots) {
  i32 in = -1;
  while (find_entering(in)) {
    if (!pivot(in)) return mcf_status::unbounded;
    if ((++pivots & 1023) == 0 && cancel != nullptr && cancel->requested()) {
      return mcf_status::cancelled;
    }
  }
  for (i32 v = 0; v < n_; ++v) {
    if (flow_[m_ + v] != 0) return mcf_status::infeasible;
  }
  return mcf_status::optimal;
}

// Block search over the real arcs from where the last search stopped: blocks of block_ arcs
// (cyclically), the most violating arc of the first block that has one. Each block is scanned
// as at most two plain index ranges (before and after the wrap to arc 0).
bool NetworkSimplex::find_entering(i32& in) {
  i64 best = 0;
  in = -1;
  i32 a = next_arc_;
  for (i32 scanned = 0; scanned < m_;) {
    i32 left = std::min(block_, m_ - scanned);
    scanned += left;
    while (left > 0) {
      const i32 end = std::min(m_, a + left);
      for (i32 k = a; k < end; ++k) {
        const i64 c = state_[k] * reduced_cost(k);
        if (c < best) {
          best = c;
          in = k;
        }
      }
      left -= end - a;
      a = end == m_ ? 0 : end;
    }
    if (in >= 0) break;
  }
  next_arc_ = a;
  return in >= 0;
}

// One pivot on entering arc `in`; false when the cycle has no blocking arc (unbounded).
bool NetworkSimplex::pivot(i32 in) {
  // The push goes first -> second along the entering arc, then second up to the join node,
  // then down from the join node to first.
  const bool at_lower = state_[in] == kLower;
  const i32 first = at_lower ? tail_[in] : head_[in];
  const i32 second = at_lower ? head_[in] : tail_[in];
  // The join node: walk up from the end with the smaller subtree (it cannot be an ancestor of
  // the other), recording both paths.
  i32* const p1 = path1_.data();
  i32* const p2 = path2_.data();
  i32 len1 = 0;
  i32 len2 = 0;
  i32 u = first;
  i32 v = second;
  while (u != v) {
    if (succ_num_[u] < succ_num_[v]) {
      p1[len1++] = u;
      u = parent_[u];
    } else {
      p2[len2++] = v;
      v = parent_[v];
    }
  }
  // u == v: the join node, which the recorded paths stop below.
  // Leaving arc: the blocking arc met last from the join node in the push direction (ties go
  // to the later arc: the second path, then the entering arc, then the first path nearest to
  // `first`).
  i64 delta = cap_[in];
  i32 out_pos = -1;
  int side = 0;  // 0: the entering arc itself, 1: on the first path, 2: on the second path
  for (i32 i = 0; i < len1; ++i) {
    const i64 r = residual_down(p1[i]);
    if (r < delta) {
      delta = r;
      out_pos = i;
      side = 1;
    }
  }
  for (i32 i = 0; i < len2; ++i) {
    const i64 r = residual_up(p2[i]);
    if (r <= delta) {
      delta = r;
      out_pos = i;
      side = 2;
    }
  }
  if (delta > kFiniteLimit) return false;  // every arc of the cycle uncapacitated
  if (delta > 0) {
    flow_[in] += at_lower ? delta : -delta;
    for (i32 i = 0; i < len1; ++i) {
      const i32 w = p1[i];
      flow_[pred_[w]] += pred_up_[w] != 0 ? -delta : delta;
    }
    for (i32 i = 0; i < len2; ++i) {
      const i32 w = p2[i];
      flow_[pred_[w]] += pred_up_[w] != 0 ? delta : -delta;
    }
  }
  if (side == 0) {
    state_[in] = at_lower ? kUpper : kLower;
    return true;
  }
  update_tree(in, side, out_pos, len1, len2);
  return true;
}

// Adds d to the potentials of the `count` nodes of the preorder from `first` to `last`. The
// walk follows the thread from both ends at once: two independent chains of loads, where one
// chain waits on each load in turn (the walk is bound by memory latency, not by the adds: a
// third of the time on grids before).
void NetworkSimplex::shift_potentials(i32 first, i32 last, i32 count, u64 d) {
  for (i32 i = count / 2; i > 0; --i) {
    pi_[first] += d;
    pi_[last] += d;
    first = thread_[first];
    last = rev_thread_[last];
  }
  if ((count & 1) != 0) pi_[first] += d;
}

// Re-hangs the subtree below the leaving arc (above u_out, entry out_pos of the `side` path)
// under v_in through the entering arc; u_in (the start of that path) becomes its top node.
void NetworkSimplex::update_tree(i32 in, int side, i32 out_pos, i32 len1, i32 len2) {
  // The path u_in = x0, x1, ..., xk = u_out, whose parent links reverse, is the leaving side's
  // recorded path up to out_pos; above it, up to the join node, are the old ancestors that lose
  // the subtree; the other recorded path holds the new ancestors below the join node.
  const i32* const path = side == 1 ? path1_.data() : path2_.data();
  const i32 path_len = side == 1 ? len1 : len2;
  const i32* const gain = side == 1 ? path2_.data() : path1_.data();
  const i32 gain_len = side == 1 ? len2 : len1;
  const i32 k = out_pos;
  const i32 u_out = path[k];
  const i32 x0 = path[0];
  const i32 v_in = tail_[in] == x0 ? head_[in] : tail_[in];
  const i32 out = pred_[u_out];
  const i32 size = succ_num_[u_out];
  // Potentials: the subtree shifts by one constant so that the entering arc gets rc = 0.
  const i64 rc = reduced_cost(in);
  const i64 sigma = tail_[in] == x0 ? -rc : rc;
  // Only differences of potentials matter, so the larger side need not move: when the subtree
  // holds more than half the nodes, the rest of the tree (the other part of the circular
  // preorder, root included) shifts by -sigma instead.
  if (2 * size <= n_ + 1) {
    shift_potentials(u_out, last_succ_[u_out], size, static_cast<u64>(sigma));
  } else {
    shift_potentials(thread_[last_succ_[u_out]], rev_thread_[u_out], n_ + 1 - size,
                     -static_cast<u64>(sigma));
  }
  // The new preorder of the subtree is x0's old subtree, then for each x_i its old subtree
  // minus x_{i-1}'s: the piece from x_i to just before x_{i-1}, and the piece after x_{i-1}'s
  // last node up to x_i's last node (possibly empty). Links inside a piece stay; only the seams
  // are rewritten. The pieces are read from the old preorder before any link changes.
  const i32 old_last = last_succ_[u_out];
  const i32 before = rev_thread_[u_out];
  const i32 after = thread_[old_last];
  pieces_.clear();
  pieces_.emplace_back(x0, last_succ_[x0]);
  for (i32 i = 1; i <= k; ++i) {
    const i32 x = path[i];
    const i32 prev = path[i - 1];
    pieces_.emplace_back(x, rev_thread_[prev]);
    if (last_succ_[prev] != last_succ_[x]) {
      pieces_.emplace_back(thread_[last_succ_[prev]], last_succ_[x]);
    }
  }
  const i32 new_last = pieces_.back().second;
  // Cut the subtree out of the thread; ancestors that ended with it now end at `before`. The
  // old ancestors below the join node lose the subtree.
  thread_[before] = after;
  rev_thread_[after] = before;
  for (i32 a = parent_[u_out]; a >= 0 && last_succ_[a] == old_last; a = parent_[a]) {
    last_succ_[a] = before;
  }
  for (i32 i = k + 1; i < path_len; ++i) succ_num_[path[i]] -= size;
  // Splice the new preorder in right after v_in; ancestors that ended at v_in now end with it.
  const i32 next = thread_[v_in];
  i32 last = v_in;
  for (const auto& [from, to] : pieces_) {
    thread_[last] = from;
    rev_thread_[from] = last;
    last = to;
  }
  thread_[last] = next;
  rev_thread_[next] = last;
  for (i32 a = v_in; a >= 0 && last_succ_[a] == v_in; a = parent_[a]) last_succ_[a] = new_last;
  for (i32 i = 0; i < gain_len; ++i) succ_num_[gain[i]] += size;
  // Every node of the reversed path now ends its subtree with the moved subtree's last node;
  // x_i keeps everything but x_{i-1}'s old subtree.
  for (i32 i = k; i >= 1; --i) {
    const i32 x = path[i];
    const i32 prev = path[i - 1];
    succ_num_[x] = size - succ_num_[prev];
    parent_[x] = prev;
    pred_[x] = pred_[prev];
    pred_up_[x] = pred_up_[prev] != 0 ? 0 : 1;
    last_succ_[x] = new_last;
  }
  succ_num_[x0] = size;
  last_succ_[x0] = new_last;
  parent_[x0] = v_in;
  pred_[x0] = in;
  pred_up_[x0] = tail_[in] == x0 ? 1 : 0;
  state_[in] = kTree;
  state_[out] = flow_[out] == 0 ? kLower : kUpper;
}

}  // namespace routecore::ns_detail
