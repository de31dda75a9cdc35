#pragma once
// The bookkeeping behind one top-level task (the main task or a spawned one). Every coroutine a
// task awaits, however deeply nested, runs on behalf of the same TaskControl: cancellation and
// the async_with nesting depth are per task, not per coroutine frame.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "acm/detail/coroutine.hpp"

namespace acm::detail {

// A leaf suspension point (a sleep, a lock wait, a join) that a cancellation can cut short.
struct Suspension {
    // What the task is waiting for, for cancellation traces and deadlock messages.
    virtual std::string describe() const = 0;
    // Detach from whatever would have woken the task and wake it now; its await_resume then
    // finds the pending cancellation and throws acm::Cancelled.
    virtual void interrupt() = 0;

protected:
    ~Suspension() = default;
};

struct TaskControl : std::enable_shared_from_this<TaskControl> {
    std::uint64_t id = 0;
    std::string name;
    coro::coroutine_handle<> root;  // the task's outermost frame while it is alive
    bool started = false;
    bool done = false;
    bool cancel_pending = false;
    Suspension* waiting = nullptr;
    int with_depth = 0;
    std::exception_ptr error;
    // Wake-ups of the awaiters suspended in acm::join() until this task finishes, keyed by the
    // awaiter so a cancelled join can leave the list.
    std::vector<std::pair<const void*, std::function<void()>>> joiners;
};

}  // namespace acm::detail
