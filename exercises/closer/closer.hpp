#pragma once
// Kata 2 — Closer.
//
// `async_with(Closer{obj}, body)` hands `obj` to the body and calls `obj.close()` when the
// block is left — once, after the body, on every path: a normal end, an exception, a
// cancellation. Never on the way in.
//
// T is any type with a close() member. Some close() functions just return (void); others
// return something you must co_await, such as an acm::Task<void> that takes time. Closer
// must handle both; the tests use one of each.
//
// Run the tests; each failing check says what it measured.
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    // Keep a reference: the object to close is the caller's, not a copy of it.
    explicit Closer(T& resource) : resource_(resource) {}

    // Called when the block is entered. Its result is what the body receives.
    acm::Task<T&> aenter() { co_return resource_; }

    // Called when the block is left, with the exception leaving it (nullptr on a normal exit).
    // Return true to swallow that exception, false to let it propagate.
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        // TODO: close the resource, whichever kind of close() T has (the hints show how to
        // tell the two kinds apart at compile time).
        co_return false;
    }

private:
    T& resource_;
};
