// must fail: a fast body keeps its result, expired() stays false, and no timer is left behind
// Wrong answer: never cancels the deadline timer, so it fires after the block has ended and
// cancels whatever the task is doing by then.
#pragma once
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Timeout {
public:
    explicit Timeout(acm::Duration timeout) : timeout_(timeout) {}
    acm::Task<Timeout&> aenter() {
        auto& loop = acm::current_loop();
        task_ = acm::current_task();
        entered_ = loop.now();
        deadline_ = loop.call_at(loop.now() + timeout_, [this] {
            expired_ = true;
            task_.cancel();
        });
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        if (expired_ && is_cancellation(error)) throw acm::TimeoutError{};
        co_return false;
    }
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
    acm::TimePoint entered_{};
    bool expired_ = false;
};
