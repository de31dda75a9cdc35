#pragma once
// Kata 4 — Timeout, reference solution.
//
// asyncio.timeout() in C++: a timer armed on entry cancels the block's task at the deadline, and
// aexit() turns *that* cancellation — and only that one — into acm::TimeoutError.
#include <exception>

#include <acm/acm.hpp>

class Timeout {
public:
    explicit Timeout(acm::Duration timeout) : timeout_(timeout) {}

    acm::Task<Timeout&> aenter() {
        auto& loop = acm::current_loop();
        // Which task to cancel is decided here, while it is the one running: inside the timer's
        // callback there is no current task.
        task_ = acm::current_task();
        // The callback captures `this`. That is safe because aexit() cancels the timer before
        // the manager can go away; a timer left armed would fire into a dead object.
        deadline_ = loop.call_at(
            loop.now() + timeout_,
            [this] {
                expired_ = true;
                task_.cancel();
            },
            "Timeout deadline");
        co_return *this;
    }

    acm::Task<bool> aexit(std::exception_ptr error) {
        if (!expired_) {
            // The block finished in time, or failed, or someone else cancelled it: whatever it
            // was goes on unchanged, and the deadline must never fire after the block.
            deadline_.cancel();
            co_return false;
        }
        if (is_cancellation(error)) throw acm::TimeoutError{};  // our cancellation: convert it
        // The deadline fired, but the block ended without seeing the cancellation (it was
        // somewhere a cancellation cannot reach). Withdraw it, or the task's next co_await
        // after the block would be cancelled for a deadline that no longer applies.
        task_.uncancel();
        co_return false;
    }

    // True once the deadline has fired.
    bool expired() const { return expired_; }

private:
    static bool is_cancellation(std::exception_ptr error) {
        if (!error) return false;
        try {
            std::rethrow_exception(error);
        } catch (const acm::Cancelled&) {
            return true;
        } catch (...) {
            return false;
        }
    }

    acm::Duration timeout_;
    acm::TaskRef task_;
    acm::TimerHandle deadline_;
    bool expired_ = false;
};
