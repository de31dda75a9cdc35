#pragma once
// Kata 1 — Staller, reference solution.
//
// A manager whose entry waits: the block starts `amount` of (virtual) time after async_with is
// reached. A constructor cannot wait, which is why this needs an *async* manager at all.
#include <exception>

#include <acm/acm.hpp>

class Staller {
public:
    // explicit: a bare duration should not silently turn into a Staller.
    explicit Staller(acm::Duration amount) : amount_(amount) {}

    // The waiting belongs to the entry, so the body starts exactly `amount_` later.
    // sleep_for only builds an awaitable; without co_await nothing would wait at all.
    acm::Task<Staller&> aenter() {
        co_await acm::sleep_for(amount_);
        co_return *this;  // the block receives the manager itself, like `async with ... as s`
    }

    // Nothing to undo on the way out, and no exception is handled here: return false so an
    // exception (or a cancellation) from the block keeps going. No sleep here either — the
    // statement after the block must run as soon as the body ends.
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }

    acm::Duration amount() const { return amount_; }

private:
    acm::Duration amount_;
};
