#pragma once
// The part of the event loop a finishing coroutine needs: a queue of frames ready to resume.
//
// Why continuations go through a queue instead of symmetric transfer: Emscripten 3.1.6 (LLVM 14)
// needs -mtail-call for symmetric transfer, and at -O2 that leaks shadow stack on every transfer
// and crashes after ~200k awaits. Resuming through the loop keeps the C++ stack flat on every
// toolchain, so a run is scheduled identically natively, under Emscripten and in the page.
#include <deque>

#include "acm/detail/coroutine.hpp"
#include "acm/detail/task_control.hpp"

namespace acm::detail {

// How a child (a Task, a generator manager) hands control back to the coroutine awaiting it,
// without symmetric transfer. The awaiter starts the child on its own stack; when the child is
// done (or, for a generator, has yielded), the parent is posted to the ready queue — by the
// awaiter itself if that happened before resume() returned, otherwise by the child when it gets
// there later. Either way the parent resumes from the loop, at the same point in the schedule.
//
// Why the awaiter posts rather than the child: LLVM 14's coroutine splitting turns a call that is
// followed only by a return into a `musttail` call when it looks like a resume (returns void,
// takes one pointer), and Emscripten 3.1.6 rejects those without -mtail-call ("'tail-call'
// feature not enabled"). Checking a flag after resume() keeps that call out of tail position; for
// the same reason the children's hand-back await_suspend are always inlined (out of line, the
// optimiser strips their unused `this` and constant result, and they look like a resume).
class ReadyQueue;

struct ChildStart {
    bool starting = false;           // the awaiter is still inside resume()
    bool finished_starting = false;  // and the child got to its hand-back point meanwhile

    // The awaiter's half: starts `child` on this stack and, if the child reached its hand-back
    // point before resume() returned, posts `waiter` (on behalf of `task`) itself.
    void run(coro::coroutine_handle<> child, ReadyQueue& queue, coro::coroutine_handle<> waiter, TaskControl* task);
};

class ReadyQueue {
public:
    struct Entry {
        coro::coroutine_handle<> frame;
        TaskControl* task;
    };

    void post(coro::coroutine_handle<> frame, TaskControl* task) { ready_.push_back({frame, task}); }
    TaskControl* current_task() const { return current_; }

    // The queue of the loop that is running on this thread, or nullptr.
    static ReadyQueue*& running() {
        static ReadyQueue* queue = nullptr;
        return queue;
    }

protected:
    std::deque<Entry> ready_;
    TaskControl* current_ = nullptr;
};

inline void ChildStart::run(coro::coroutine_handle<> child, ReadyQueue& queue, coro::coroutine_handle<> waiter,
                            TaskControl* task) {
    starting = true;
    finished_starting = false;
    child.resume();
    starting = false;
    if (finished_starting) queue.post(waiter, task);
}

}  // namespace acm::detail
