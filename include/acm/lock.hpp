#pragma once
// Lock: asyncio.Lock. Usable directly (acquire/release) or as an async context manager:
//     co_await acm::async_with(lock, [&]() -> acm::Task<void> { ... });
#include <deque>
#include <exception>
#include <stdexcept>
#include <string>

#include "acm/detail/leaf_awaiter.hpp"
#include "acm/task.hpp"

namespace acm {

class Lock {
public:
    Lock() = default;
    explicit Lock(std::string name) : name_(std::move(name)) {}
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

    class Acquire : public detail::LeafAwaiter {
    public:
        explicit Acquire(Lock& lock) : lock_(lock) {}
        ~Acquire() { detach(); }

        bool await_ready() const noexcept { return false; }
        bool await_suspend(detail::coro::coroutine_handle<> frame) {
            // A free lock is taken without yielding, as in asyncio.
            if (!lock_.locked_ && lock_.waiters_.empty()) {
                lock_.locked_ = true;
                granted_ = true;
                return false;
            }
            if (!park(frame)) return false;
            lock_.waiters_.push_back(this);
            return true;
        }
        void await_resume() {
            try {
                throw_if_cancelled();
            } catch (...) {
                // Cancelled after release() had already handed us the lock: pass it on, or
                // nobody would ever own it again.
                if (granted_) lock_.release();
                throw;
            }
        }
        std::string describe() const override { return "Lock::acquire(" + lock_.name_ + ")"; }

    private:
        friend class Lock;
        void detach() override { std::erase(lock_.waiters_, this); }
        void grant() {
            granted_ = true;
            wake();
        }
        Lock& lock_;
        bool granted_ = false;
    };

    Acquire acquire() { return Acquire{*this}; }

    void release() {
        if (!locked_) throw std::logic_error("acm::Lock::release(): the lock is not locked");
        if (waiters_.empty()) {
            locked_ = false;
            return;
        }
        // Hand the lock straight to the first waiter, so a task arriving later cannot barge in.
        Acquire* next = waiters_.front();
        waiters_.pop_front();
        next->grant();
    }

    bool locked() const { return locked_; }

    // The async context manager protocol.
    Task<Lock&> aenter() {
        co_await acquire();
        co_return *this;
    }
    Task<void> aexit(std::exception_ptr) {
        release();
        co_return;
    }

private:
    std::string name_ = "lock";
    bool locked_ = false;
    // A deque, not a list: the event loop already brings in <deque>, and <list> would add 0.3 MB
    // to the page's precompiled header.
    std::deque<Acquire*> waiters_;
};

}  // namespace acm
