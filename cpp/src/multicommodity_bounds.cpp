// Multi-commodity flow: the dual (upper) bounds and the returned result (see
// routecore/multicommodity_flow.h for the certificate; multicommodity_solver.h for the state).
#include <algorithm>
#include <cmath>
#include <vector>

#include "multicommodity_solver.h"

namespace routecore::mc_detail {

double Solver::dual_bound() {
  std::vector<i32> group;
  double alpha = concurrent_ ? 0.0 : kInf;
  for (i32 gi = 0; gi < groups(); ++gi) {
    group.clear();
    for (i32 i = group_start_[gi]; i < group_start_[gi + 1]; ++i) {
      if (reachable_[members_[i]]) group.push_back(members_[i]);
    }
    if (group.empty()) continue;
    tree(p_.source[group.front()], group);
    for (i32 j : group) {
      const double dj = commodity_dist_[j];
      if (dj == kInf) {
        reachable_[j] = 0;
        continue;
      }
      if (concurrent_) {
        alpha += p_.demand[j] * dj;
      } else {
        alpha = std::min(alpha, dj + cap_length_[j]);
      }
    }
  }
  double total = 0.0;  // D(l)
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) total += p_.capacity[e] * length_[e];
  }
  if (!concurrent_) {
    for (i32 j : members_) {
      if (reachable_[j] && cap_length_[j] > 0.0) total += p_.demand[j] * cap_length_[j];
    }
  }
  last_alpha_ = alpha;
  if (concurrent_) return alpha > 0.0 ? total / alpha : kInf;
  // total: no reachable commodity means nothing can be routed (the optimum is 0).
  if (alpha == kInf) return 0.0;
  return alpha > 0.0 ? total / alpha : kInf;
}

Solver::BestFlow Solver::best_flow() const {
  double cong_all = 0.0, cong_recent = 0.0;
  const double v_all = primal_of(all_, &cong_all);
  const double v_recent = primal_of(recent_, &cong_recent);
  if (v_recent > v_all) return {&recent_, v_recent, cong_recent};
  return {&all_, v_all, cong_all};
}

double Solver::masked_bound(double theta, double power) {
  const BestFlow best = best_flow();
  const Accumulator& acc = *best.acc;
  const double cong = best.congestion;
  if (!(cong > 0.0)) return kInf;
  const std::vector<double> saved = length_;
  const std::vector<double> saved_caps = cap_length_;
  double top = 0.0;
  for (double l : length_) {
    if (l != kInf) top = std::max(top, l);
  }
  for (double l : cap_length_) top = std::max(top, l);
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] == kInf) continue;
    if (acc.edge_load[e] < theta * cong * p_.capacity[e]) {
      length_[e] = 0.0;
    } else if (power != 1.0) {
      length_[e] = std::pow(length_[e] / top, power);
    }
  }
  if (!concurrent_) {
    for (i32 j : members_) {
      if (cap_length_[j] == 0.0) continue;  // uncapped
      if (acc.routed[j] < theta * cong * p_.demand[j]) {
        cap_length_[j] = 0.0;
      } else if (power != 1.0) {
        cap_length_[j] = std::pow(cap_length_[j] / top, power);
      }
    }
  }
  const double bound = dual_bound();
  length_ = saved;
  // A zeroed cap length must come back as a positive one, not as "no cap".
  cap_length_ = saved_caps;
  return bound;
}

void Solver::add_to_average() {
  if (!(last_alpha_ > 0.0) || last_alpha_ == kInf) return;
  const double w = 1.0 / last_alpha_;
  length_sum_.resize(static_cast<usize>(m_), 0.0);
  cap_length_sum_.resize(static_cast<usize>(k_), 0.0);
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) length_sum_[e] += length_[e] * w;
  }
  for (i32 j = 0; j < k_; ++j) cap_length_sum_[j] += cap_length_[j] * w;
}

double Solver::average_bound() {
  if (length_sum_.empty()) return kInf;
  std::vector<double> saved = length_;
  std::vector<double> saved_caps = cap_length_;
  for (i32 e = 0; e < m_; ++e) {
    if (length_[e] != kInf) length_[e] = length_sum_[e];
  }
  cap_length_ = cap_length_sum_;
  const double bound = dual_bound();
  length_ = std::move(saved);
  cap_length_ = std::move(saved_caps);
  return bound;
}

void Solver::renormalise() {
  double top = 0.0;
  for (double l : length_) {
    if (l != kInf) top = std::max(top, l);
  }
  for (double l : cap_length_) top = std::max(top, l);
  if (top < kRenormalise) return;
  for (double& l : length_) {
    if (l != kInf) l /= top;
  }
  for (double& l : cap_length_) l /= top;
}

MulticommodityOutcome Solver::finish(mc_status status, double dual) {
  MulticommodityOutcome out;
  out.status = status;
  out.phases = phases_;
  out.tree_steps = steps_;
  out.commodity_flow.assign(static_cast<usize>(k_), 0.0);
  double trivial_total = 0.0;
  for (i32 j = 0; j < k_; ++j) {
    if (trivial_[j] && !concurrent_ && p_.source[j] == p_.target[j]) trivial_total += p_.demand[j];
    if (!trivial_[j] && !reachable_[j]) out.unreachable.push_back(j);
  }
  if (status == mc_status::unreachable) {
    out.primal = out.dual = 0.0;
    out.path_start.push_back(0);
    return out;
  }
  const BestFlow best = best_flow();
  const Accumulator& acc = *best.acc;
  const double cong = best.congestion;
  const double value = best.value * kSafety;
  std::vector<double> scale(static_cast<usize>(k_), 0.0);  // per commodity: path flow factor
  for (i32 j : members_) {
    if (cong <= 0.0 || acc.routed[j] <= 0.0) continue;
    if (concurrent_) {
      // Trim every commodity to exactly value * d_j.
      scale[j] = value * p_.demand[j] / acc.routed[j];
      out.commodity_flow[j] = value * p_.demand[j];
    } else {
      scale[j] = kSafety / cong;
      out.commodity_flow[j] = acc.routed[j] * scale[j];
    }
  }
  for (i32 j = 0; j < k_; ++j) {
    if (trivial_[j])
      out.commodity_flow[j] =
          concurrent_ ? value * p_.demand[j] : (p_.source[j] == p_.target[j] ? p_.demand[j] : 0.0);
  }
  out.path_start.push_back(0);
  for (usize q = 0; q < path_commodity_.size(); ++q) {
    const i32 j = path_commodity_[q];
    const double f = acc.path_flow[q] * scale[j];
    if (!(f > 0.0)) continue;
    out.path_commodity.push_back(j);
    out.path_flow.push_back(f);
    out.path_arcs.insert(out.path_arcs.end(), path_arcs_.begin() + path_start_[q],
                         path_arcs_.begin() + path_start_[q + 1]);
    out.path_start.push_back(static_cast<i64>(out.path_arcs.size()));
  }
  if (concurrent_) {
    out.primal = cong > 0.0 ? value : 0.0;
    out.dual = dual;
  } else {
    double sum = trivial_total;
    for (i32 j : members_) sum += out.commodity_flow[j];
    out.primal = sum;
    out.dual = dual + trivial_total;
  }
  return out;
}

}  // namespace routecore::mc_detail
