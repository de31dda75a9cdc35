#pragma once
// join and gather: waiting for tasks started with EventLoop::spawn.
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "acm/detail/leaf_awaiter.hpp"
#include "acm/event_loop.hpp"
#include "acm/task.hpp"

namespace acm {

class JoinAwaiter : public detail::LeafAwaiter {
public:
    explicit JoinAwaiter(TaskRef target, bool rethrow) : target_(std::move(target)), rethrow_(rethrow) {}
    ~JoinAwaiter() { detach(); }

    bool await_ready() const noexcept { return target_.done(); }
    bool await_suspend(detail::coro::coroutine_handle<> frame) {
        if (!park(frame)) return false;
        target_.control()->joiners.emplace_back(this, [this] { wake(); });
        return true;
    }
    void await_resume() {
        throw_if_cancelled();
        if (rethrow_ && target_.error()) std::rethrow_exception(target_.error());
    }
    std::string describe() const override { return "join('" + target_.name() + "')"; }

private:
    void detach() override {
        auto& list = target_.control()->joiners;
        for (auto it = list.begin(); it != list.end(); ++it)
            if (it->first == this) {
                list.erase(it);
                break;
            }
    }

    TaskRef target_;
    bool rethrow_;
};

// Waits until `task` finishes and rethrows its exception (acm::Cancelled if it was cancelled).
inline JoinAwaiter join(TaskRef task) { return JoinAwaiter{std::move(task), true}; }

namespace detail {
inline JoinAwaiter wait_finished(TaskRef task) { return JoinAwaiter{std::move(task), false}; }
}  // namespace detail

// Runs the tasks concurrently and waits for all of them. Afterwards the first exception, in
// argument order, is rethrown. If the caller is cancelled, every task is cancelled and allowed to
// unwind before acm::Cancelled leaves gather.
inline Task<void> gather(std::vector<Task<void>> tasks) {
    auto& loop = current_loop();
    std::vector<TaskRef> running;
    for (auto& t : tasks) running.push_back(loop.spawn(std::move(t), "gathered"));
    std::exception_ptr cancelled;
    for (auto& t : running) {
        try {
            co_await detail::wait_finished(t);
        } catch (const Cancelled&) {
            cancelled = std::current_exception();
            break;
        }
    }
    if (cancelled) {
        for (auto& t : running) t.cancel();
        for (auto& t : running) {
            // A second cancellation while the children unwind must not leave them orphaned.
            while (!t.done()) {
                try {
                    co_await detail::wait_finished(t);
                } catch (const Cancelled&) {
                }
            }
        }
        std::rethrow_exception(cancelled);
    }
    for (auto& t : running)
        if (t.error()) std::rethrow_exception(t.error());
}

template <class... Tasks>
Task<void> gather(Task<void> first, Tasks... rest) {
    std::vector<Task<void>> all;
    all.push_back(std::move(first));
    (all.push_back(std::move(rest)), ...);
    return gather(std::move(all));
}

}  // namespace acm
