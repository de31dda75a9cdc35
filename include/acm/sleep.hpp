#pragma once
// sleep_for: the asyncio.sleep of the course. Virtual time, so a 2 s sleep costs no wall time.
#include <string>
#include <utility>

#include "acm/detail/format.hpp"
#include "acm/detail/leaf_awaiter.hpp"
#include "acm/event_loop.hpp"
#include "acm/time.hpp"

namespace acm {

class SleepAwaiter : public detail::LeafAwaiter {
public:
    explicit SleepAwaiter(Duration d, std::string what = {}) : delay_(d), what_(std::move(what)) {}
    ~SleepAwaiter() { timer_.cancel(); }  // the frame was destroyed while asleep

    bool await_suspend(detail::coro::coroutine_handle<> frame) {
        if (!park(frame)) return false;
        // Even a zero sleep goes through a timer, so "sleep_for(0ms)" lets every ready task
        // run first, and the trace shows where the task yielded.
        timer_ = loop()->call_later(delay_, [this] { wake(); }, describe());
        return true;
    }
    void await_resume() { throw_if_cancelled(); }

    std::string describe() const override {
        return what_.empty() ? "sleep_for(" + detail::format_duration(delay_) + ")" : what_;
    }

private:
    void detach() override { timer_.cancel(); }

    Duration delay_;
    std::string what_;
    TimerHandle timer_;
};

// Suspends the calling task for `d` of virtual time. A cancellation while asleep throws
// acm::Cancelled here.
inline SleepAwaiter sleep_for(Duration d) { return SleepAwaiter{d}; }

// The same wait, named after what it stands for ("exposure (camera csi)"): the name labels its
// timer in the trace and says where a cancellation found the task.
inline SleepAwaiter sleep_for(Duration d, std::string what) { return SleepAwaiter{d, std::move(what)}; }

}  // namespace acm
