#pragma once
// The cancellation handshake every leaf suspension point shares (sleep, lock, join, camera).
//
// A leaf parks the task and registers itself as what the task is waiting on. Either its event
// source wakes it (wake()), or TaskRef::cancel() interrupts it; in both cases the frame is posted
// to the ready queue, and await_resume() throws acm::Cancelled if a cancellation is pending — so
// a cancel that arrives after the wake-up but before the task runs is still delivered, as in asyncio.
//
// The awaiter shares ownership of its task's bookkeeping: a frame can outlive the loop that ran
// it (a Task object awaited by reference, destroyed after a guard stopped the loop), and its
// destructor must still be able to unhook safely.
#include <memory>
#include <string>

#include "acm/detail/coroutine.hpp"
#include "acm/detail/task_control.hpp"
#include "acm/errors.hpp"
#include "acm/event_loop.hpp"
#include "acm/trace.hpp"

namespace acm::detail {

class LeafAwaiter : public Suspension {
public:
    LeafAwaiter() = default;
    LeafAwaiter(const LeafAwaiter&) = delete;
    LeafAwaiter& operator=(const LeafAwaiter&) = delete;

    bool await_ready() const noexcept { return false; }

protected:
    ~LeafAwaiter() { unregister(); }

    // False when a cancellation is already pending: then do not suspend, so that await_resume
    // delivers it at once.
    bool park(coro::coroutine_handle<> frame) {
        loop_ = &current_loop();
        if (auto* control = loop_->current_control()) task_ = control->shared_from_this();
        frame_ = frame;
        if (task_ && task_->cancel_pending) return false;
        parked_ = true;
        if (task_) task_->waiting = this;
        return true;
    }

    // The awaited event happened.
    void wake() {
        if (!parked_) return;
        unregister();
        loop_->post(frame_, task_.get());
    }

    void interrupt() override {
        if (!parked_) return;
        parked_ = false;
        detach();
        loop_->post(frame_, task_.get());
    }

    // Unhook from the event source (cancel a timer, leave a wait list).
    virtual void detach() = 0;

    void throw_if_cancelled() {
        if (take_cancellation()) throw Cancelled{};
    }

    // The same delivery without the throw, for a caller that must not catch (see join.hpp):
    // true if a cancellation was pending, which is then consumed and traced.
    bool take_cancellation() {
        if (!task_ || !task_->cancel_pending) return false;
        task_->cancel_pending = false;
        if (trace::enabled()) trace::emit(trace::event("cancelled").add("task", task_->id).add("at", describe()));
        return true;
    }

    bool parked() const { return parked_; }
    EventLoop* loop() const { return loop_; }

private:
    void unregister() {
        if (parked_ && task_ && task_->waiting == this) task_->waiting = nullptr;
        parked_ = false;
    }

    EventLoop* loop_ = nullptr;
    std::shared_ptr<TaskControl> task_;
    coro::coroutine_handle<> frame_;
    bool parked_ = false;
};

}  // namespace acm::detail
