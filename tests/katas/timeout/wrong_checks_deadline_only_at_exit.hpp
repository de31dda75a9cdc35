// must fail: a slow body is cancelled exactly at the deadline, and acm::TimeoutError comes out
// Wrong answer: arms no timer and only compares the clock when the block ends, so a slow body
// runs to its end and the timeout is reported late.
#pragma once
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Timeout {
public:
    explicit Timeout(acm::Duration timeout) : timeout_(timeout) {}
    acm::Task<Timeout&> aenter() {
        entered_ = acm::current_loop().now();
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        if (acm::current_loop().now() - entered_ > timeout_) {
            expired_ = true;
            throw acm::TimeoutError{};
        }
        (void)error;
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
