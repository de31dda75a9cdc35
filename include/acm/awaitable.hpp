#pragma once
// Awaitable: "can I co_await this?", asked at compile time.
//
// A generic manager meets both kinds of cleanup: a close() that just returns, and a close()
// that returns something to co_await (an acm::Task, a sleep). `if constexpr (acm::Awaitable<R>)`
// picks the right call without instantiating a co_await on void.
#include "acm/detail/awaitable.hpp"

namespace acm {

// True when `co_await std::declval<A>()` would compile in an acm coroutine: A is an awaiter
// itself or has an operator co_await.
template <class A>
concept Awaitable = detail::awaitable<A>;

// What `co_await a` produces, for an Awaitable A.
template <Awaitable A>
using await_result_t = detail::await_result_t<A>;

}  // namespace acm
