// must fail: a slow body is cancelled exactly at the deadline, and acm::TimeoutError comes out
// Wrong answer: asks for the current task inside the timer callback, where no task is running.
#pragma once
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Timeout {
public:
    explicit Timeout(acm::Duration timeout) : timeout_(timeout) {}
    acm::Task<Timeout&> aenter() {
        auto& loop = acm::current_loop();
        deadline_ = loop.call_at(loop.now() + timeout_, [this] {
            expired_ = true;
            task_ = acm::current_task();
            task_.cancel();
        });
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        if (!expired_) {
            deadline_.cancel();
            co_return false;
        }
        if (is_cancellation(error)) throw acm::TimeoutError{};
        task_.uncancel();
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
