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
// The wait gather needs: like join, but the target's exception is left alone, and a cancellation
// of the waiting task comes back as `true` instead of as acm::Cancelled.
//
// Why not catch acm::Cancelled around a plain join: a loop whose body is
// `try { co_await ...; } catch (...) {}` and goes round again after the handler becomes, once
// the coroutine is split at its suspension points, a control flow graph that the WebAssembly
// back end of the page's compiler (@yowasp/clang, LLVM 22) cannot lay out: it stops with
// "Explicit branch to an EH pad!". The page's precompiled header holds this file, so the site's
// build compiles gather with that compiler, and tests/browser/bad-input.spec.mjs runs a
// learner's gather in the page.
class FinishedOrCancelled : public JoinAwaiter {
public:
    explicit FinishedOrCancelled(TaskRef target) : JoinAwaiter(std::move(target), false) {}
    [[nodiscard]] bool await_resume() { return take_cancellation(); }
};
}  // namespace detail

// Runs the tasks concurrently and waits for all of them. Afterwards the first exception, in
// argument order, is rethrown. If the caller is cancelled, every task is cancelled and allowed to
// unwind before acm::Cancelled leaves gather.
inline Task<void> gather(std::vector<Task<void>> tasks) {
    auto& loop = current_loop();
    std::vector<TaskRef> running;
    for (auto& t : tasks) running.push_back(loop.spawn(std::move(t), "gathered"));
    bool cancelled = false;
    for (auto& t : running)
        if ((cancelled = co_await detail::FinishedOrCancelled{t})) break;
    if (cancelled) {
        for (auto& t : running) t.cancel();
        // A second cancellation while the children unwind must not leave them orphaned.
        for (auto& t : running)
            while (!t.done()) (void)co_await detail::FinishedOrCancelled{t};
        throw Cancelled{};
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
