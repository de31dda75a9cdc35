#pragma once
// One spelling of the coroutine library for every toolchain the course meets.
// Emscripten 3.1.6 ships libc++ 13, which only has <experimental/coroutine>;
// g++ 12, clang++ with libstdc++ and @yowasp/clang's libc++ 22 have <coroutine>.
#if __has_include(<coroutine>)
#include <coroutine>
namespace acm::detail::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace acm::detail::coro
#elif __has_include(<experimental/coroutine>)
#include <experimental/coroutine>
namespace acm::detail::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace acm::detail::coro
#else
#error "acm needs C++20 coroutines: compile with -std=c++20"
#endif
