// Force-included (-include) into every libc++abi 13 / libunwind source we build against the
// libc++ 22 headers of @yowasp/clang's sysroot. libc++ dropped these spellings between 13 and 22;
// defining them here keeps the Debian sources untouched.
#ifndef ACM_ABI_COMPAT_H
#define ACM_ABI_COMPAT_H

#ifdef __cplusplus
#include <__config>
#include <cstddef>
#include <cstdlib>

#ifndef _LIBCPP_INLINE_VISIBILITY
#define _LIBCPP_INLINE_VISIBILITY _LIBCPP_HIDE_FROM_ABI
#endif

// Was a "must be constant-initialised" check; nothing is lost by dropping it on one platform.
#ifndef _LIBCPP_SAFE_STATIC
#define _LIBCPP_SAFE_STATIC
#endif

_LIBCPP_BEGIN_NAMESPACE_STD
// libc++ 13 had these as internal helpers; fallback_malloc.cpp and stdlib_new_delete.cpp use them.
// wasi-libc's aligned_alloc wants size to be a multiple of the alignment, as C11 says.
inline void* __libcpp_aligned_alloc(std::size_t alignment, std::size_t size) {
  std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return ::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
}
inline void __libcpp_aligned_free(void* ptr) { ::free(ptr); }
_LIBCPP_END_NAMESPACE_STD
#endif

#endif
