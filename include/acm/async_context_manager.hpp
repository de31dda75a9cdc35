#pragma once
// The AsyncContextManager concept: the C++ shape of Python's __aenter__/__aexit__.
//
//   co_await m.aenter()                  -> what the block receives (like `as name`)
//   co_await m.aexit(std::exception_ptr) -> bool (true suppresses the exception) or void
//
// aexit receives nullptr on a normal exit, otherwise the exception that is leaving the block
// (acm::Cancelled included).
#include <exception>
#include <type_traits>

#include "acm/detail/awaitable.hpp"

namespace acm {

namespace detail {
template <class M>
concept has_aenter = requires(M& m) { m.aenter(); };
template <class M>
concept has_aexit = requires(M& m, std::exception_ptr e) { m.aexit(e); };
}  // namespace detail

template <class M>
concept AsyncContextManager =
    detail::has_aenter<M> && detail::has_aexit<M> &&
    detail::awaitable<decltype(std::declval<M&>().aenter())> &&
    detail::awaitable<decltype(std::declval<M&>().aexit(std::exception_ptr{}))> &&
    (std::is_void_v<detail::await_result_t<decltype(std::declval<M&>().aexit(std::exception_ptr{}))>> ||
     std::is_same_v<detail::await_result_t<decltype(std::declval<M&>().aexit(std::exception_ptr{}))>, bool>);

namespace detail {

template <class>
inline constexpr bool always_false = false;

// One static_assert per mistake, so the compiler names the mistake rather than the concept.
template <class M>
constexpr bool check_manager() {
    if constexpr (!has_aenter<M>) {
        static_assert(always_false<M>,
                      "acm::async_with: the manager has no aenter() member. Add `acm::Task<Self&> aenter()` "
                      "(a coroutine: co_await the setup, then co_return *this).");
    } else if constexpr (!awaitable<decltype(std::declval<M&>().aenter())>) {
        static_assert(always_false<M>,
                      "acm::async_with: aenter() must return something co_await-able, such as acm::Task<Self&>.");
    } else if constexpr (!has_aexit<M>) {
        static_assert(always_false<M>,
                      "acm::async_with: the manager has no aexit(std::exception_ptr) member. Add "
                      "`acm::Task<bool> aexit(std::exception_ptr error)` (return false to let the error propagate).");
    } else if constexpr (!awaitable<decltype(std::declval<M&>().aexit(std::exception_ptr{}))>) {
        static_assert(always_false<M>,
                      "acm::async_with: aexit() must return something co_await-able, such as acm::Task<bool>.");
    } else if constexpr (!AsyncContextManager<M>) {
        static_assert(always_false<M>,
                      "acm::async_with: co_await aexit(...) must give bool (true suppresses the exception) or void.");
    }
    return true;
}

}  // namespace detail

}  // namespace acm
