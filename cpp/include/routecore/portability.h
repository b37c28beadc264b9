// routecore/portability.h — compiler hints spelled once for GCC, Clang (Linux, Apple) and MSVC.
//
// Contract
//   prefetch(p) / prefetch_for_write(p): a hint that *p is read (written) soon; no effect on
//     results, never faults, may do nothing (MSVC on ARM64, unknown compilers).
//   ROUTECORE_ALWAYS_INLINE: asks the compiler to inline a small function on a hot path; expands
//     to the compiler's own attribute, or to nothing where there is none.
// Overflow-checked arithmetic lives in checked_math.h.
#pragma once

#if defined(_MSC_VER) && !defined(__clang__) && (defined(_M_X64) || defined(_M_IX86))
#include <xmmintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ROUTECORE_ALWAYS_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define ROUTECORE_ALWAYS_INLINE __forceinline
#else
#define ROUTECORE_ALWAYS_INLINE inline
#endif

namespace routecore {

inline void prefetch(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
  _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
#else
  (void)p;
#endif
}

inline void prefetch_for_write(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 1);
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
  _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
#else
  (void)p;
#endif
}

}  // namespace routecore
