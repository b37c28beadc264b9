// Primal network simplex (see routecore/network_simplex.h for the contract and the method).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "routecore/checked_math.h"
#include "routecore/network_simplex.h"

namespace routecore {

namespace {

using i32 = std::int32_t;
using i64 = std::int64_t;
using u64 = std::uint64_t;

constexpr i64 kBoundLimit = i64{1} << 62;
constexpr i64 kInf = kInfiniteCapacity;

// The largest |cost| (at least 1), or -1 when some |cost| exceeds 2^62.
i64 cost_bound(std::span<const i64> cost) {
  i64 c = 1;
  for (i64 x : cost) {
    if (x < -(i64{1} << 62) || x > (i64{1} << 62)) return -1;
    c = std::max(c, x < 0 ? -x : x);
  }
  return c;
}

// Arc states: at the lower bound, in the tree, at the upper bound. A non-tree arc violates
// optimality when state * reduced_cost < 0.
constexpr std::int8_t kLower = 1;
constexpr std::int8_t kTree = 0;
constexpr std::int8_t kUpper = -1;

class NetworkSimplex {
 public:
  NetworkSimplex(const McfProblem& p, i64 big_m)
      : n_(p.num_nodes), m_(static_cast<i32>(p.tail.size())), root_(p.num_nodes) {
    const i32 arcs = m_ + n_;
    const i32 nodes = n_ + 1;
    tail_.resize(arcs);
    head_.resize(arcs);
    cap_.resize(arcs);
    cost_.resize(arcs);
    flow_.assign(arcs, 0);
    state_.assign(arcs, kLower);
    // Internal arc order (measured on NETGEN and grid instances; the pivot count of block search
    // depends strongly on it): arcs sorted by tail node (stable counting sort), then mixed with
    // a stride of the average out-degree (at least 3), so that internal arcs k, k+1, ... leave
    // consecutive nodes, one arc each, and every block sees many nodes. order_[k] is the input
    // arc of internal arc k. Input order alone was 1.5x slower on grids in random arc order,
    // tail order alone 1.6x slower on NETGEN, a sqrt(m) stride 2.5x slower on grids.
    std::vector<i32> start(static_cast<std::size_t>(n_) + 1, 0);
    for (i32 t : p.tail) ++start[static_cast<std::size_t>(t) + 1];
    for (i32 v = 0; v < n_; ++v) start[v + 1] += start[v];
    order_.resize(static_cast<std::size_t>(m_));
    for (i32 a = 0; a < m_; ++a) {
      order_[static_cast<std::size_t>(start[p.tail[static_cast<std::size_t>(a)]]++)] = a;
    }
    {
      std::vector<i32> sorted(order_);
      const i32 stride = std::max<i32>(3, n_ > 0 ? m_ / n_ : 3);
      i32 k = 0;
      for (i32 first = 0; first < stride; ++first) {
        for (i32 j = first; j < m_; j += stride) {
          order_[static_cast<std::size_t>(k++)] = sorted[static_cast<std::size_t>(j)];
        }
      }
    }
    for (i32 k = 0; k < m_; ++k) {
      const auto a = static_cast<std::size_t>(order_[static_cast<std::size_t>(k)]);
      tail_[k] = p.tail[a];
      head_[k] = p.head[a];
      cap_[k] = p.capacity[a];
      cost_[k] = p.cost[a];
    }
    pi_.assign(nodes, 0);
    parent_.assign(nodes, -1);
    pred_.assign(nodes, -1);
    pred_up_.assign(nodes, 0);
    thread_.resize(nodes);
    rev_thread_.resize(nodes);
    succ_num_.assign(nodes, 1);
    last_succ_.resize(nodes);
    for (i32 v = 0; v < n_; ++v) last_succ_[v] = v;
    last_succ_[root_] = n_ > 0 ? n_ - 1 : root_;
    // The big-M start: the artificial arcs form a star around the root, strongly feasible
    // (an arc with zero flow points towards the root).
    for (i32 v = 0; v < n_; ++v) {
      const i32 a = m_ + v;
      const i64 b = p.supply[static_cast<std::size_t>(v)];
      cap_[a] = kInf;
      cost_[a] = big_m;
      state_[a] = kTree;
      parent_[v] = root_;
      pred_[v] = a;
      if (b >= 0) {
        tail_[a] = v;
        head_[a] = root_;
        flow_[a] = b;
        pred_up_[v] = 1;
        pi_[v] = static_cast<u64>(-big_m);
      } else {
        tail_[a] = root_;
        head_[a] = v;
        flow_[a] = -b;
        pi_[v] = static_cast<u64>(big_m);
      }
    }
    for (i32 v = 0; v < nodes; ++v) {
      thread_[v] = v + 1 < nodes ? v + 1 : 0;
      rev_thread_[v] = v > 0 ? v - 1 : nodes - 1;
    }
    // Preorder starting at the root: root, 0, 1, ..., n-1.
    thread_[root_] = n_ > 0 ? 0 : root_;
    if (n_ > 0) {
      thread_[n_ - 1] = root_;
      rev_thread_[0] = root_;
      rev_thread_[root_] = n_ - 1;
    } else {
      rev_thread_[root_] = root_;
    }
    succ_num_[root_] = nodes;
    block_ = std::max<i32>(10, static_cast<i32>(std::sqrt(static_cast<double>(std::max(m_, 1)))));
    if (static_cast<i32>(p.start_tree.size()) == n_ && n_ > 0) warm_start(p);
  }

  mcf_status run(const Cancel* cancel, i64& pivots) {
    pivots = 0;
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

  void output(McfOutcome& out) const {
    out.flow.resize(static_cast<std::size_t>(m_));
    for (i32 k = 0; k < m_; ++k) {
      out.flow[static_cast<std::size_t>(order_[static_cast<std::size_t>(k)])] = flow_[k];
    }
    // Potentials relative to the root (pi[root] = 0), undoing the wrap-around (see pi_).
    out.potential.resize(static_cast<std::size_t>(n_));
    for (i32 v = 0; v < n_; ++v) out.potential[v] = static_cast<i64>(pi_[v] - pi_[root_]);
    Int128 total;
    for (i32 a = 0; a < m_; ++a) total += mul_wide(cost_[a], flow_[a]);
    out.total_cost = total;
  }

 private:
  // Replaces the big-M star by the proposed start (network_simplex.h, "Warm start").
  void warm_start(const McfProblem& p) {
    const auto n = static_cast<std::size_t>(n_);
    std::vector<i32> internal(static_cast<std::size_t>(m_));
    for (i32 k = 0; k < m_; ++k) internal[static_cast<std::size_t>(order_[k])] = k;
    // Proposed parent and (internal) arc per node, checked; -1: none.
    std::vector<i32> par(n, -1);
    std::vector<i32> arc(n, -1);
    for (i32 v = 0; v < n_; ++v) {
      const i32 a = p.start_tree[static_cast<std::size_t>(v)];
      if (a < 0 || a >= m_) continue;
      const i32 k = internal[static_cast<std::size_t>(a)];
      const i32 other = tail_[k] == v ? head_[k] : (head_[k] == v ? tail_[k] : v);
      if (other == v) continue;
      par[v] = other;
      arc[v] = k;
    }
    // Cut every cycle of the proposal at the node where the walk meets it again.
    {
      std::vector<std::uint8_t> color(n, 0);  // 0 new, 1 on the current walk, 2 done
      std::vector<i32> walk;
      for (i32 v = 0; v < n_; ++v) {
        walk.clear();
        i32 w = v;
        while (w >= 0 && color[w] == 0) {
          color[w] = 1;
          walk.push_back(w);
          w = par[w];
        }
        if (w >= 0 && color[w] == 1) par[w] = arc[w] = -1;
        for (i32 x : walk) color[x] = 2;
      }
    }
    // Net outflow per node: supply plus what the saturated arcs bring.
    std::vector<i64> excess(p.supply.begin(), p.supply.end());
    std::vector<std::uint8_t> is_tree(static_cast<std::size_t>(m_), 0);
    for (i32 v = 0; v < n_; ++v) {
      if (arc[v] >= 0) is_tree[arc[v]] = 1;
    }
    if (static_cast<i32>(p.start_upper.size()) == m_) {
      for (i32 k = 0; k < m_; ++k) {
        if (p.start_upper[static_cast<std::size_t>(order_[k])] == 0 || is_tree[k] != 0 ||
            cap_[k] == kInf || cap_[k] == 0)
          continue;
        flow_[k] = cap_[k];
        state_[k] = kUpper;
        excess[tail_[k]] -= cap_[k];
        excess[head_[k]] += cap_[k];
      }
    }
    // Children lists of the proposal, and a top-down order (roots first).
    std::vector<i32> first_child(n + 1, 0);
    for (i32 v = 0; v < n_; ++v) {
      if (par[v] >= 0) ++first_child[static_cast<std::size_t>(par[v]) + 1];
    }
    for (std::size_t v = 0; v < n; ++v) first_child[v + 1] += first_child[v];
    std::vector<i32> child(static_cast<std::size_t>(first_child[n]));
    {
      std::vector<i32> fill(first_child.begin(), first_child.end() - 1);
      for (i32 v = 0; v < n_; ++v) {
        if (par[v] >= 0) child[static_cast<std::size_t>(fill[par[v]]++)] = v;
      }
    }
    std::vector<i32> order;
    order.reserve(n);
    for (i32 v = 0; v < n_; ++v) {
      if (par[v] < 0) order.push_back(v);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
      const i32 v = order[i];
      for (i32 j = first_child[v]; j < first_child[v + 1]; ++j) order.push_back(child[j]);
    }
    // Bottom-up: each node's net outflow over its proposed arc, the rest to the root.
    for (std::size_t i = order.size(); i-- > 0;) {
      const i32 v = order[i];
      const i64 x = excess[v];
      const i32 k = arc[v];
      i64 rest = x;
      bool tree = false;
      if (k >= 0) {
        const i32 u = par[v];
        const bool up = tail_[k] == v;  // the arc points to the parent
        const i64 want = up ? x : -x;   // its flow if it carried everything
        const bool below_cap = cap_[k] == kInf || want < cap_[k];
        if (want > 0 || (want == 0 && up)) {
          const i64 f = below_cap ? want : cap_[k];
          flow_[k] = f;
          excess[u] += up ? f : -f;
          rest = up ? x - f : x + f;
          tree = below_cap;
          state_[k] = below_cap ? kTree : (f > 0 ? kUpper : kLower);
        }
        if (tree) {
          parent_[v] = u;
          pred_[v] = k;
          pred_up_[v] = up ? 1 : 0;
        }
      }
      const i32 a = m_ + v;
      flow_[a] = 0;
      if (tree) {
        tail_[a] = v;
        head_[a] = root_;
        state_[a] = kLower;
        continue;
      }
      parent_[v] = root_;
      pred_[v] = a;
      state_[a] = kTree;
      if (rest >= 0) {
        tail_[a] = v;
        head_[a] = root_;
        flow_[a] = rest;
        pred_up_[v] = 1;
      } else {
        tail_[a] = root_;
        head_[a] = v;
        flow_[a] = -rest;
        pred_up_[v] = 0;
      }
    }
    // Preorder (thread), subtree sizes, last nodes and potentials of the new tree.
    std::vector<i32> kid_start(n + 2, 0);
    for (i32 v = 0; v < n_; ++v) ++kid_start[static_cast<std::size_t>(parent_[v]) + 1];
    for (std::size_t v = 0; v <= n; ++v) kid_start[v + 1] += kid_start[v];
    std::vector<i32> kids(n);
    {
      std::vector<i32> fill(kid_start.begin(), kid_start.end() - 1);
      for (i32 v = 0; v < n_; ++v) kids[static_cast<std::size_t>(fill[parent_[v]]++)] = v;
    }
    std::vector<i32> pre;
    pre.reserve(n + 1);
    std::vector<i32> stack{root_};
    while (!stack.empty()) {
      const i32 v = stack.back();
      stack.pop_back();
      pre.push_back(v);
      for (i32 j = kid_start[v + 1]; j-- > kid_start[v];) stack.push_back(kids[j]);
    }
    const auto nodes = static_cast<i32>(pre.size());  // n_ + 1: the tree spans every node
    std::vector<i32> pos(n + 1);
    for (i32 i = 0; i < nodes; ++i) {
      const i32 v = pre[i];
      pos[v] = i;
      thread_[v] = pre[(i + 1) % nodes];
      rev_thread_[v] = pre[(i + nodes - 1) % nodes];
      succ_num_[v] = 1;
      if (v == root_) {
        pi_[v] = 0;
        continue;
      }
      const i32 a = pred_[v];
      const auto c = static_cast<u64>(cost_[a]);  // big M on the artificial arcs
      pi_[v] = pred_up_[v] != 0 ? pi_[parent_[v]] - c : pi_[parent_[v]] + c;
    }
    for (i32 i = nodes - 1; i > 0; --i) succ_num_[parent_[pre[i]]] += succ_num_[pre[i]];
    for (i32 v = 0; v <= n_; ++v) last_succ_[v] = pre[pos[v] + succ_num_[v] - 1];
  }

  i64 reduced_cost(i32 a) const {
    return static_cast<i64>(static_cast<u64>(cost_[a]) + pi_[tail_[a]] - pi_[head_[a]]);
  }

  // Block search over the real arcs from where the last search stopped.
  bool find_entering(i32& in) {
    if (m_ == 0) return false;
    i64 best = 0;
    in = -1;
    i32 left = block_;
    for (i32 k = 0; k < m_; ++k) {
      const i32 a = next_arc_;
      if (++next_arc_ == m_) next_arc_ = 0;
      const i64 c = state_[a] * reduced_cost(a);
      if (c < best) {
        best = c;
        in = a;
      }
      if (--left == 0) {
        if (in >= 0) return true;
        left = block_;
      }
    }
    return in >= 0;
  }

  // Residual capacity of the tree arc above w when the cycle passes it upwards (w -> parent)
  // or downwards (parent -> w).
  i64 residual_up(i32 w) const {
    const i32 e = pred_[w];
    if (pred_up_[w] == 0) return flow_[e];
    return cap_[e] == kInf ? kInf : cap_[e] - flow_[e];
  }
  i64 residual_down(i32 w) const {
    const i32 e = pred_[w];
    if (pred_up_[w] != 0) return flow_[e];
    return cap_[e] == kInf ? kInf : cap_[e] - flow_[e];
  }

  // One pivot on entering arc `in`; false when the cycle has no blocking arc (unbounded).
  bool pivot(i32 in) {
    // The push goes first -> second along the entering arc, then second up to the join node,
    // then down from the join node to first.
    const bool at_lower = state_[in] == kLower;
    const i32 first = at_lower ? tail_[in] : head_[in];
    const i32 second = at_lower ? head_[in] : tail_[in];
    i32 join_u = first;
    i32 join_v = second;
    while (join_u != join_v) {
      if (succ_num_[join_u] < succ_num_[join_v]) {
        join_u = parent_[join_u];
      } else {
        join_v = parent_[join_v];
      }
    }
    const i32 join = join_u;
    // Leaving arc: the blocking arc met last from the join node in the push direction (ties
    // go to the later arc: the second path, then the entering arc, then the first path nearest
    // to `first`).
    i64 delta = cap_[in];
    i32 u_out = -1;
    int side = 0;  // 0: the entering arc itself, 1: on the first path, 2: on the second path
    for (i32 w = first; w != join; w = parent_[w]) {
      const i64 r = residual_down(w);
      if (r < delta) {
        delta = r;
        u_out = w;
        side = 1;
      }
    }
    for (i32 w = second; w != join; w = parent_[w]) {
      const i64 r = residual_up(w);
      if (r <= delta) {
        delta = r;
        u_out = w;
        side = 2;
      }
    }
    if (delta == kInf) return false;
    if (delta > 0) {
      flow_[in] += at_lower ? delta : -delta;
      for (i32 w = first; w != join; w = parent_[w]) {
        flow_[pred_[w]] += pred_up_[w] != 0 ? -delta : delta;
      }
      for (i32 w = second; w != join; w = parent_[w]) {
        flow_[pred_[w]] += pred_up_[w] != 0 ? delta : -delta;
      }
    }
    if (side == 0) {
      state_[in] = at_lower ? kUpper : kLower;
      return true;
    }
    const i32 u_in = side == 1 ? first : second;
    const i32 v_in = side == 1 ? second : first;
    update_tree(in, u_in, v_in, u_out, join);
    return true;
  }

  // Re-hangs the subtree below the leaving arc (above u_out) under v_in through the entering
  // arc; u_in (inside that subtree) becomes its top node.
  void update_tree(i32 in, i32 u_in, i32 v_in, i32 u_out, i32 join) {
    const i32 out = pred_[u_out];
    const i32 size = succ_num_[u_out];
    // The path u_in = x0, x1, ..., xk = u_out, whose parent links reverse.
    path_.clear();
    for (i32 w = u_in;; w = parent_[w]) {
      path_.push_back(w);
      if (w == u_out) break;
    }
    // Potentials: the subtree shifts by one constant so that the entering arc gets rc = 0.
    const i32 x0 = path_[0];
    const i64 rc = reduced_cost(in);
    const i64 sigma = tail_[in] == x0 ? -rc : rc;
    // Only differences of potentials matter, so the larger side need not move: when the subtree
    // holds more than half the nodes, the rest of the tree (the other part of the circular
    // preorder, root included) shifts by -sigma instead.
    if (2 * size <= n_ + 1) {
      for (i32 w = u_out, i = 0; i < size; ++i, w = thread_[w]) pi_[w] += static_cast<u64>(sigma);
    } else {
      for (i32 w = u_out, i = size; i <= n_; ++i) {
        w = rev_thread_[w];
        pi_[w] -= static_cast<u64>(sigma);
      }
    }
    // The new preorder of the subtree is x0's old subtree, then for each x_i its old subtree
    // minus x_{i-1}'s: the piece from x_i to just before x_{i-1}, and the piece after
    // x_{i-1}'s last node up to x_i's last node (possibly empty). Links inside a piece stay;
    // only the seams are rewritten.
    const i32 old_last = last_succ_[u_out];
    const i32 before = rev_thread_[u_out];
    const i32 after = thread_[old_last];
    pieces_.clear();
    pieces_.emplace_back(x0, last_succ_[x0]);
    for (std::size_t i = 1; i < path_.size(); ++i) {
      const i32 x = path_[i];
      const i32 prev = path_[i - 1];
      pieces_.emplace_back(x, rev_thread_[prev]);
      if (last_succ_[prev] != last_succ_[x]) {
        pieces_.emplace_back(thread_[last_succ_[prev]], last_succ_[x]);
      }
    }
    const i32 new_last = pieces_.back().second;
    // Cut the subtree out of the thread; ancestors that ended with it now end at `before`.
    thread_[before] = after;
    rev_thread_[after] = before;
    for (i32 a = parent_[u_out]; a >= 0 && last_succ_[a] == old_last; a = parent_[a]) {
      last_succ_[a] = before;
    }
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
    // Every node of the reversed path now ends its subtree with the moved subtree's last node.
    for (i32 x : path_) last_succ_[x] = new_last;
    // Subtree sizes: the old ancestors below the join node lose the subtree, the new ones gain
    // it; on the reversed path x_i keeps everything but x_{i-1}'s old subtree.
    for (i32 a = parent_[u_out]; a != join; a = parent_[a]) succ_num_[a] -= size;
    for (i32 a = v_in; a != join; a = parent_[a]) succ_num_[a] += size;
    for (std::size_t i = path_.size() - 1; i >= 1; --i) {
      const i32 x = path_[i];
      const i32 prev = path_[i - 1];
      succ_num_[x] = size - succ_num_[prev];
      parent_[x] = prev;
      pred_[x] = pred_[prev];
      pred_up_[x] = pred_up_[prev] != 0 ? 0 : 1;
    }
    succ_num_[x0] = size;
    parent_[x0] = v_in;
    pred_[x0] = in;
    pred_up_[x0] = tail_[in] == x0 ? 1 : 0;
    state_[in] = kTree;
    state_[out] = flow_[out] == 0 ? kLower : kUpper;
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
  // Scratch of update_tree: the reversed path and the pieces (first, last node) of the preorder.
  std::vector<i32> path_;
  std::vector<std::pair<i32, i32>> pieces_;
  i32 block_ = 10;
  i32 next_arc_ = 0;
};

}  // namespace

bool check_network_simplex_bounds(const McfProblem& p) {
  // Every intermediate is an int64 checked for overflow: a value that does not fit is above the
  // limit 2^62 anyway, so an overflow refuses the problem like the limit does.
  const i64 c = cost_bound(p.cost);
  if (c < 0 || p.num_nodes < 0) return false;
  const i64 n = p.num_nodes;
  i64 big_m = 0;
  i64 limit_m = 0;
  if (mul_overflow(n + 1, c, &big_m) || add_overflow(big_m, i64{1}, &big_m) ||
      mul_overflow(n + 2, big_m, &limit_m) || limit_m > kBoundLimit)
    return false;
  if (static_cast<i64>(p.tail.size()) + n + 1 > std::numeric_limits<i32>::max()) return false;
  i64 total = 0;
  for (i64 b : p.supply) {
    if (b < -kBoundLimit || b > kBoundLimit) return false;  // |b| alone exceeds the limit
    total += b < 0 ? -b : b;                                // both terms <= 2^62: no overflow
    if (total > kBoundLimit) return false;
  }
  for (i64 u : p.capacity) {
    if (u != kInf && (add_overflow(total, u, &total) || total > kBoundLimit)) return false;
  }
  return true;
}

McfOutcome solve_network_simplex(const McfProblem& p, const Cancel* cancel) {
  McfOutcome out;
  if (!check_network_simplex_bounds(p)) {
    out.status = mcf_status::overflow;
    return out;
  }
  const i64 big_m = (static_cast<i64>(p.num_nodes) + 1) * cost_bound(p.cost) + 1;
  NetworkSimplex ns(p, big_m);
  out.status = ns.run(cancel, out.pivots);
  if (out.status == mcf_status::optimal) ns.output(out);
  return out;
}

}  // namespace routecore
