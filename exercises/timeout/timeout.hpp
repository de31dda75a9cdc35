#pragma once
// Kata 4 — Timeout.
//
// `async_with(Timeout{2s}, body)` lets the block run for at most 2 s of virtual time:
//   - on entry, arrange for the block's task to be cancelled at the deadline;
//   - if the block ends with *that* cancellation, raise acm::TimeoutError instead;
//   - anything else (a normal end, another exception, a cancellation from someone else)
//     passes unchanged, and no timer of yours may be left pending after the block;
//   - expired() tells whether the deadline fired.
//
// What the runtime offers (all in namespace acm):
//   current_loop().now(), current_loop().call_at(when, callback)  -> TimerHandle (cancel())
//   current_task()                                                -> TaskRef (cancel(), uncancel())
//
// Run the tests; each failing check says what it measured.
#include <exception>

#include <acm/acm.hpp>

class Timeout {
public:
    explicit Timeout(acm::Duration timeout) : timeout_(timeout) {}

    // Called when the block is entered. Its result is what the body receives.
    acm::Task<Timeout&> aenter() {
        // TODO: arm a timer that cancels this task at the deadline.
        co_return *this;
    }

    // Called when the block is left, with the exception leaving it (nullptr on a normal exit).
    // Return true to swallow that exception, false to let it propagate; throw to replace it.
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        // TODO: turn the deadline's cancellation into acm::TimeoutError; leave no timer behind.
        co_return false;
    }

    // True once the deadline has fired.
    bool expired() const { return expired_; }

private:
    acm::Duration timeout_;
    bool expired_ = false;
};
