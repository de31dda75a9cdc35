#pragma once
// Kata 2 — Closer, reference solution.
//
// The asynchronous cousin of a scope guard (and of Python's contextlib.aclosing): the block
// receives the object, and the object's close() runs when the block is left, however it is left.
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    // A reference, not a copy: closing a copy would leave the caller's object open.
    explicit Closer(T& resource) : resource_(resource) {}

    // Nothing to wait for on the way in. A manager need not await in both halves; it only has
    // to be able to.
    acm::Task<T&> aenter() { co_return resource_; }

    // The error is not even looked at: closing is the same job whether the block succeeded or
    // failed, which is exactly why it belongs in a manager.
    acm::Task<bool> aexit(std::exception_ptr) {
        // The type of close() is known at compile time, so is the choice: await what can be
        // awaited (an acm::Task is lazy, so calling close() without co_await would close
        // nothing), and just call the rest. `if constexpr` drops the branch that does not
        // apply, so a void close() never meets a co_await.
        if constexpr (acm::Awaitable<decltype(resource_.close())>)
            co_await resource_.close();
        else
            resource_.close();
        co_return false;  // never swallow: the block's exception or cancellation goes on
    }

private:
    T& resource_;
};
