// The CSR builds of csr.h: build_csr (one counting sort, serial or on a thread pool) and
// build_reverse_csr.
#include "routecore/csr.h"

#include <algorithm>
#include <cassert>

#include "routecore/parallel.h"

namespace routecore {

bool build_csr(node_id num_nodes, std::span<const node_id> src, std::span<const node_id> dst,
               bool directed, std::span<arc_id> first_out, std::span<node_id> head,
               std::span<edge_id> arc_edge, std::span<const ArcValues> values, int threads,
               const Cancel* cancel) {
  const auto num_edges = static_cast<std::int64_t>(src.size());
  const auto n = static_cast<std::size_t>(num_nodes);
  assert(first_out.size() == n + 1);
  assert(dst.size() == src.size());
  auto cancelled = [&] { return cancel != nullptr && cancel->requested(); };
  const auto blocks =
      std::clamp<std::int64_t>(num_edges / min_edges_per_csr_block, 1, std::max(1, threads));
  auto block_begin = [&](std::int64_t b) { return num_edges * b / blocks; };
  // next[b * n + u]: where block b puts its next arc leaving u (first its count of such arcs).
  std::vector<arc_id> next(static_cast<std::size_t>(blocks) * n, 0);
  parallel_for(blocks, threads, cancel, [&](std::int64_t b, int) {
    arc_id* count = next.data() + static_cast<std::size_t>(b) * n;
    for (std::int64_t e = block_begin(b); e < block_begin(b + 1); ++e) {
      ++count[src[static_cast<std::size_t>(e)]];
      if (!directed) ++count[dst[static_cast<std::size_t>(e)]];
    }
  });
  if (cancelled()) return false;
  // Arcs leaving u: the sum over the blocks; then a prefix sum over the nodes.
  first_out[0] = 0;
  for (std::size_t u = 0; u < n; ++u) {
    arc_id total = 0;
    for (std::int64_t b = 0; b < blocks; ++b) total += next[static_cast<std::size_t>(b) * n + u];
    first_out[u + 1] = first_out[u] + total;
  }
  // Block b's arcs of u start after those of blocks 0 .. b-1 (parallel over node ranges).
  constexpr std::int64_t node_block = 1 << 14;
  parallel_for((num_nodes + node_block - 1) / node_block, threads, cancel,
               [&](std::int64_t r, int) {
                 const auto lo = static_cast<std::size_t>(r * node_block);
                 const auto hi = std::min(n, lo + static_cast<std::size_t>(node_block));
                 for (std::size_t u = lo; u < hi; ++u) {
                   arc_id start = first_out[u];
                   for (std::int64_t b = 0; b < blocks; ++b) {
                     arc_id& slot = next[static_cast<std::size_t>(b) * n + u];
                     const arc_id count = slot;
                     slot = start;
                     start += count;
                   }
                 }
               });
  if (cancelled()) return false;
  parallel_for(blocks, threads, cancel, [&](std::int64_t b, int) {
    arc_id* slot = next.data() + static_cast<std::size_t>(b) * n;
    for (std::int64_t e = block_begin(b); e < block_begin(b + 1); ++e) {
      const auto i = static_cast<std::size_t>(e);
      const auto a = static_cast<std::size_t>(slot[src[i]]++);
      head[a] = dst[i];
      arc_edge[a] = static_cast<edge_id>(e);
      for (const ArcValues& v : values) v.per_arc[a] = v.per_edge[i];
      if (!directed) {
        const auto r = static_cast<std::size_t>(slot[dst[i]]++);
        head[r] = src[i];
        arc_edge[r] = ~static_cast<edge_id>(e);
        for (const ArcValues& v : values) v.per_arc[r] = v.per_edge[i];
      }
    }
  });
  return !cancelled();
}

void build_reverse_csr(const CsrView& g, std::span<arc_id> first_out, std::span<node_id> head,
                       std::span<edge_id> arc_edge) {
  std::fill(first_out.begin(), first_out.end(), 0);
  for (arc_id a = 0; a < g.num_arcs; ++a) ++first_out[g.head[a] + 1];
  for (node_id u = 0; u < g.num_nodes; ++u) first_out[u + 1] += first_out[u];
  std::vector<arc_id> next(first_out.begin(), first_out.end() - 1);
  for (node_id u = 0; u < g.num_nodes; ++u) {
    for (arc_id a = g.begin(u); a < g.end(u); ++a) {
      const arc_id b = next[g.head[a]]++;
      head[b] = u;
      arc_edge[b] = g.arc_edge[a];
    }
  }
}

}  // namespace routecore
