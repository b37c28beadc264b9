// The network simplex's starts (routecore/network_simplex.h has the contract and the method):
// the internal arc order and the big-M star, the warm start; the overflow rule, the entry point
// and the output. The pivot loop is in network_simplex.cpp.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "network_simplex_solver.h"
#include "routecore/checked_math.h"
#include "routecore/network_simplex.h"

namespace routecore {

namespace ns_detail {

NetworkSimplex::NetworkSimplex(const McfProblem& p, i64 big_m)
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
  path1_.resize(nodes);
  path2_.resize(nodes);
  if (static_cast<i32>(p.start_tree.size()) == n_ && n_ > 0) warm_start(p);
}

// Replaces the big-M star by the proposed start (network_simplex.h, "Warm start").
void NetworkSimplex::warm_start(const McfProblem& p) {
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

void NetworkSimplex::output(McfOutcome& out) const {
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

}  // namespace ns_detail

using ns_detail::i32;
using ns_detail::i64;

bool check_network_simplex_bounds(const McfProblem& p) {
  using ns_detail::kInf;
  constexpr i64 kBoundLimit = i64{1} << 62;
  // Every intermediate is an int64 checked for overflow: a value that does not fit is above the
  // limit 2^62 anyway, so an overflow refuses the problem like the limit does.
  const i64 c = max_abs_cost(p.cost);
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
  const i64 big_m = (static_cast<i64>(p.num_nodes) + 1) * max_abs_cost(p.cost) + 1;
  ns_detail::NetworkSimplex ns(p, big_m);
  out.pivots = 0;
  out.status = ns.run(cancel, out.pivots);
  if (out.status == mcf_status::optimal) ns.output(out);
  return out;
}

}  // namespace routecore
