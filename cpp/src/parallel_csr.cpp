#include "routecore/parallel_csr.h"

#include <algorithm>
#include <cassert>

namespace routecore {

bool build_csr_parallel(node_id num_nodes, std::span<const node_id> src,
                        std::span<const node_id> dst, bool directed, int threads,
                        std::span<arc_id> first_out, std::span<node_id> head,
                        std::span<edge_id> arc_edge, std::span<const ArcValues> values,
                        const Cancel& cancel) {
  const auto num_edges = static_cast<std::int64_t>(src.size());
  const auto n = static_cast<std::size_t>(num_nodes);
  assert(first_out.size() == n + 1);
  // Blocks of at least 2^16 edges: below that a thread costs more than it saves.
  const auto blocks =
      static_cast<std::int64_t>(std::clamp<std::int64_t>(num_edges >> 16, 1, std::max(1, threads)));
  auto block_begin = [&](std::int64_t b) { return num_edges * b / blocks; };
  // next[b * n + u]: where block b puts its next arc leaving u (first its count of such arcs).
  std::vector<arc_id> next(static_cast<std::size_t>(blocks) * n, 0);
  parallel_for(blocks, threads, &cancel, [&](std::int64_t b, int) {
    arc_id* count = next.data() + static_cast<std::size_t>(b) * n;
    for (std::int64_t e = block_begin(b); e < block_begin(b + 1); ++e) {
      ++count[src[static_cast<std::size_t>(e)]];
      if (!directed) ++count[dst[static_cast<std::size_t>(e)]];
    }
  });
  if (cancel.requested()) return false;
  // Arcs leaving u: the sum over the blocks; then a prefix sum over the nodes.
  first_out[0] = 0;
  for (std::size_t u = 0; u < n; ++u) {
    arc_id total = 0;
    for (std::int64_t b = 0; b < blocks; ++b) total += next[static_cast<std::size_t>(b) * n + u];
    first_out[u + 1] = first_out[u] + total;
  }
  // Block b's arcs of u start after those of blocks 0 .. b-1 (parallel over node ranges).
  constexpr std::int64_t node_block = 1 << 14;
  parallel_for((num_nodes + node_block - 1) / node_block, threads, &cancel,
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
  if (cancel.requested()) return false;
  parallel_for(blocks, threads, &cancel, [&](std::int64_t b, int) {
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
  return !cancel.requested();
}

}  // namespace routecore
