#pragma once
// What `co_await x` would produce, computed without a coroutine: used to check managers at
// compile time and give a learner a message instead of a page of template errors.
#include <exception>
#include <type_traits>
#include <utility>

#include "acm/detail/coroutine.hpp"

namespace acm::detail {

template <class A>
concept has_member_co_await = requires(A&& a) { std::forward<A>(a).operator co_await(); };

template <class A>
concept has_free_co_await = requires(A&& a) { operator co_await(std::forward<A>(a)); };

template <class A>
decltype(auto) get_awaiter(A&& a) {
    if constexpr (has_member_co_await<A>)
        return std::forward<A>(a).operator co_await();
    else if constexpr (has_free_co_await<A>)
        return operator co_await(std::forward<A>(a));
    else
        return std::forward<A>(a);
}

template <class W>
concept is_awaiter = requires(W& w, coro::coroutine_handle<> h) {
    w.await_ready();
    w.await_suspend(h);
    w.await_resume();
};

template <class A>
concept awaitable = is_awaiter<std::remove_reference_t<decltype(get_awaiter(std::declval<A>()))>>;

template <class A>
using await_result_t = decltype(std::declval<std::remove_reference_t<decltype(get_awaiter(std::declval<A>()))>&>().await_resume());

}  // namespace acm::detail
