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

}  // namespace acm::detail
