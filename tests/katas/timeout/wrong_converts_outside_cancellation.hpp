// must fail: a cancellation from another task comes out unchanged, not as a timeout
// must fail: nested timeouts: when the outer deadline comes first, its cancellation passes through the inner block
// Wrong answer: converts every acm::Cancelled into acm::TimeoutError without checking that its
// own deadline caused it.
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
        deadline_.cancel();
        if (is_cancellation(error)) throw acm::TimeoutError{};
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
