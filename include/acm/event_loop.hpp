#pragma once
// EventLoop: a single-threaded, deterministic asyncio-style loop over virtual time.
//
// Ready frames run in FIFO order; when none is ready, virtual time jumps to the next timer.
// Guards turn the three ways a program can fail to finish into exceptions that name what was
// stuck: Deadlock, TimeLimitExceeded, StepLimitExceeded.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "acm/detail/format.hpp"
#include "acm/detail/ready_queue.hpp"
#include "acm/detail/task_control.hpp"
#include "acm/errors.hpp"
#include "acm/task.hpp"
#include "acm/time.hpp"
#include "acm/trace.hpp"

namespace acm {

class EventLoop;

namespace detail {
struct TimerState {
    std::uint64_t id = 0;
    TimePoint due{};
    std::function<void()> callback;
    std::string label;
    bool fired = false;
    bool cancelled = false;
    EventLoop* loop = nullptr;
};
}  // namespace detail

// Returned by call_at/call_later: lets the caller cancel a timer that has not fired yet.
class TimerHandle {
public:
    TimerHandle() = default;
    explicit TimerHandle(std::shared_ptr<detail::TimerState> s) : state_(std::move(s)) {}

    // Returns true if the timer was still pending (and now never fires).
    bool cancel();
    bool cancelled() const { return state_ && state_->cancelled; }
    bool fired() const { return state_ && state_->fired; }
    bool pending() const { return state_ && !state_->fired && !state_->cancelled; }
    TimePoint when() const { return state_ ? state_->due : TimePoint{}; }
    explicit operator bool() const { return static_cast<bool>(state_); }

private:
    std::shared_ptr<detail::TimerState> state_;
};

// A reference to a top-level task (the main task or one from spawn()).
class TaskRef {
public:
    TaskRef() = default;
    explicit TaskRef(std::shared_ptr<detail::TaskControl> c) : control_(std::move(c)) {}

    // Asks the task to stop: its current (or next) suspension point throws acm::Cancelled; a task
    // that has not started yet never runs. Returns false if the task has already finished.
    // `reason` is only for the trace (the timeline shows why a task was cancelled).
    bool cancel(std::string_view reason = "cancel()");
    // Withdraws a cancellation that has not been delivered yet; true if one was pending.
    // (A timeout whose deadline fired just as its block finished uses this.)
    bool uncancel() {
        if (!control_ || !control_->cancel_pending) return false;
        control_->cancel_pending = false;
        return true;
    }
    bool cancel_pending() const { return control_ && control_->cancel_pending; }
    bool done() const { return control_ && control_->done; }
    std::uint64_t id() const { return control_ ? control_->id : 0; }
    const std::string& name() const {
        static const std::string none;
        return control_ ? control_->name : none;
    }
    std::exception_ptr error() const { return control_ ? control_->error : nullptr; }
    detail::TaskControl* control() const { return control_.get(); }
    explicit operator bool() const { return static_cast<bool>(control_); }
    friend bool operator==(const TaskRef& a, const TaskRef& b) { return a.control_ == b.control_; }

private:
    std::shared_ptr<detail::TaskControl> control_;
};

class EventLoop : private detail::ReadyQueue {
public:
    EventLoop() : id_(next_loop_id()) {}
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;
    ~EventLoop() { cleanup(); }

    // Runs `main` to completion and returns its result (or rethrows its exception), like
    // asyncio.run. Tasks still running when main finishes are cancelled and allowed to unwind,
    // so their managers' aexit() still runs.
    template <class T>
    T run(Task<T> main);

    // Starts a concurrent task. It begins at the loop's next step.
    TaskRef spawn(Task<void> task, std::string name = {});

    TimePoint now() const { return now_; }

    // Tells this loop's runs apart in a trace (the "loop" field of run_begin/run_end).
    std::uint64_t id() const { return id_; }

    TimerHandle call_at(TimePoint when, std::function<void()> callback, std::string label = "call_at");
    TimerHandle call_later(Duration delay, std::function<void()> callback, std::string label = "call_later") {
        return call_at(now_ + delay, std::move(callback), std::move(label));
    }

    // Timers that are scheduled and neither fired nor cancelled.
    std::size_t pending_timers() const { return live_timers_; }

    TaskRef current_task() const;

    // Guards. Defaults fit the course: an hour of virtual time, five million resumptions.
    void set_time_limit(Duration limit) { time_limit_ = limit; }
    void set_step_limit(std::uint64_t steps) { step_limit_ = steps; }
    std::uint64_t steps() const { return steps_; }

    // Internal, used by awaiters: queue a suspended frame to resume on behalf of `task`.
    using detail::ReadyQueue::post;
    detail::TaskControl* current_control() const { return current_; }
    static EventLoop* running() { return static_cast<EventLoop*>(detail::ReadyQueue::running()); }
    // Internal, used by async_with: manager ids are per loop, so a program's trace is the same
    // whatever ran before it in the process.
    std::uint64_t next_manager_id() { return next_manager_id_++; }

private:
    friend class TimerHandle;

    struct TimerOrder {
        bool operator()(const std::shared_ptr<detail::TimerState>& a,
                        const std::shared_ptr<detail::TimerState>& b) const {
            // Earliest due first; equal due times fire in the order they were scheduled.
            return a->due != b->due ? a->due > b->due : a->id > b->id;
        }
    };

    template <class T>
    struct ResultSlot;

    static std::uint64_t next_loop_id() {
        static std::uint64_t id = 0;
        return ++id;
    }

    void drive(const std::function<bool()>& finished);
    void step_timer();
    [[noreturn]] void guard(const char* kind, const std::string& message);
    std::string describe_blocked() const;
    void forget_finished_tasks();
    void destroy_unfinished_tasks();
    void cleanup();
    void finish_task(detail::TaskControl& task);

    std::priority_queue<std::shared_ptr<detail::TimerState>, std::vector<std::shared_ptr<detail::TimerState>>,
                        TimerOrder>
        timers_;
    std::size_t live_timers_ = 0;
    std::uint64_t next_timer_id_ = 1;
    // Spawn order; finished tasks are dropped from time to time (TaskRefs keep their state).
    std::vector<std::shared_ptr<detail::TaskControl>> tasks_;
    std::size_t finished_tasks_ = 0;
    std::uint64_t next_task_id_ = 1;
    std::uint64_t next_manager_id_ = 1;
    std::uint64_t id_;
    TimePoint now_{};
    bool running_ = false;
    Duration time_limit_ = std::chrono::hours(1);
    std::uint64_t step_limit_ = 5'000'000;
    std::uint64_t steps_ = 0;

public:
    // Internal: the root coroutine of a task tells the loop it finished.
    void on_task_finished(detail::TaskControl& task) { finish_task(task); }
};

// The loop running on this thread; throws std::logic_error outside EventLoop::run.
inline EventLoop& current_loop() {
    EventLoop* loop = EventLoop::running();
    if (!loop) throw std::logic_error("acm::current_loop(): no EventLoop is running (call this inside EventLoop::run)");
    return *loop;
}

inline TimePoint now() { return current_loop().now(); }

inline TimePoint VirtualClock::now() { return current_loop().now(); }

// The task whose code is running now (asyncio.current_task()).
inline TaskRef current_task() { return current_loop().current_task(); }

// ---------------------------------------------------------------------------------------------

inline bool TimerHandle::cancel() {
    if (!state_ || state_->fired || state_->cancelled) return false;
    state_->cancelled = true;
    // Dropping the callback now releases whatever it captured, even though the heap entry
    // stays until its due time.
    state_->callback = nullptr;
    if (state_->loop) {
        --state_->loop->live_timers_;
        if (trace::enabled())
            trace::emit(trace::event("timer_cancelled").add("timer", state_->id).add("label", state_->label));
    }
    return true;
}

inline bool TaskRef::cancel(std::string_view reason) {
    if (!control_ || control_->done) return false;
    if (trace::enabled()) {
        auto line = trace::event("cancel_requested").add("task", control_->id).add("reason", reason);
        // Who asked, for the timeline's "why": a task, or no task at all (a timer's callback).
        EventLoop* loop = EventLoop::running();
        if (loop && loop->current_control()) line.add("by_task", loop->current_control()->id);
        trace::emit(line);
    }
    control_->cancel_pending = true;
    if (auto* waiting = std::exchange(control_->waiting, nullptr)) waiting->interrupt();
    return true;
}

namespace detail {

// The outermost frame of a task: owns the task's coroutine, records how it ended and wakes
// whoever joined it. It frees itself when it finishes (suspend_never at the end).
struct RootFrame {
    struct promise_type {
        RootFrame get_return_object() noexcept {
            return RootFrame{coro::coroutine_handle<promise_type>::from_promise(*this)};
        }
        coro::suspend_always initial_suspend() noexcept { return {}; }
        coro::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }  // the body catches everything
    };
    coro::coroutine_handle<promise_type> frame;
};

inline RootFrame root_frame(Task<void> task, TaskControl* control) {
    if (control->cancel_pending) {
        // Cancelled before its first step: as in asyncio, none of its code runs.
        control->cancel_pending = false;
        control->error = std::make_exception_ptr(Cancelled{});
        if (trace::enabled()) trace::emit(trace::event("cancelled").add("task", control->id).add("at", "its start"));
    } else {
        try {
            co_await std::move(task);
        } catch (...) {
            control->error = std::current_exception();
        }
    }
    EventLoop::running()->on_task_finished(*control);
}

inline const char* outcome_of(std::exception_ptr error) {
    if (!error) return "ok";
    try {
        std::rethrow_exception(error);
    } catch (const Cancelled&) {
        return "cancelled";
    } catch (...) {
        return "exception";
    }
}

inline std::string what_of(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception not derived from std::exception";
    }
}

}  // namespace detail

inline TaskRef EventLoop::spawn(Task<void> task, std::string name) {
    auto control = std::make_shared<detail::TaskControl>();
    control->id = next_task_id_++;
    control->name = name.empty() ? "task " + std::to_string(control->id) : std::move(name);
    control->root = detail::root_frame(std::move(task), control.get()).frame;
    tasks_.push_back(control);
    post(control->root, control.get());
    if (trace::enabled())
        trace::emit(trace::event("task_spawn").add("task", control->id).add("name", control->name));
    return TaskRef{control};
}

inline void EventLoop::finish_task(detail::TaskControl& task) {
    task.done = true;
    task.root = {};  // the root frame frees itself right after this
    task.waiting = nullptr;
    ++finished_tasks_;
    if (trace::enabled())
        trace::emit(trace::event("task_done").add("task", task.id).add("name", task.name).add("outcome", detail::outcome_of(task.error)));
    auto joiners = std::move(task.joiners);
    task.joiners.clear();
    for (auto& joiner : joiners) joiner.second();
}

// A program that spawns a task per event would otherwise keep every finished task's bookkeeping
// (and scan it) until the run ends. Amortised: compact when half the list has finished.
inline void EventLoop::forget_finished_tasks() {
    if (finished_tasks_ < 32 || finished_tasks_ * 2 < tasks_.size()) return;
    std::erase_if(tasks_, [](const auto& t) { return t->done; });
    finished_tasks_ = 0;
}

inline TaskRef EventLoop::current_task() const {
    if (!current_) throw std::logic_error("acm::current_task(): called outside a task (in a timer callback?)");
    return TaskRef{current_->shared_from_this()};
}

inline TimerHandle EventLoop::call_at(TimePoint when, std::function<void()> callback, std::string label) {
    auto s = std::make_shared<detail::TimerState>();
    s->id = next_timer_id_++;
    s->due = when < now_ ? now_ : when;
    s->callback = std::move(callback);
    s->label = std::move(label);
    s->loop = this;
    timers_.push(s);
    ++live_timers_;
    if (trace::enabled())
        trace::emit(trace::event("timer_scheduled").add("timer", s->id).add("due_ms", to_ms(s->due)).add("label", s->label));
    return TimerHandle{s};
}

template <class T>
struct EventLoop::ResultSlot {
    std::optional<std::conditional_t<std::is_reference_v<T>, std::reference_wrapper<std::remove_reference_t<T>>, T>> value;
    static Task<void> fill(Task<T> task, ResultSlot* slot) { slot->value.emplace(co_await std::move(task)); }
    T take() {
        if constexpr (std::is_reference_v<T>)
            return value->get();
        else
            return std::move(*value);
    }
};

template <>
struct EventLoop::ResultSlot<void> {
    static Task<void> fill(Task<void> task, ResultSlot*) { co_await std::move(task); }
    void take() {}
};

template <class T>
T EventLoop::run(Task<T> main) {
    if (running_ || detail::ReadyQueue::running())
        throw std::logic_error("EventLoop::run: a loop is already running here; co_await the task instead");
    struct Activation {
        EventLoop* loop;
        explicit Activation(EventLoop* l) : loop(l) {
            loop->running_ = true;
            detail::ReadyQueue::running() = loop;
            trace::detail::clock() = &loop->now_;
        }
        ~Activation() {
            loop->cleanup();
            trace::detail::clock() = nullptr;
            detail::ReadyQueue::running() = nullptr;
            loop->running_ = false;
        }
    };
    Activation active(this);
    if (trace::enabled()) trace::emit(trace::event("run_begin").add("loop", id_));

    ResultSlot<T> slot;
    TaskRef main_task = spawn(ResultSlot<T>::fill(std::move(main), &slot), "main");
    std::exception_ptr stopped;  // a guard, or an exception from a timer callback
    try {
        drive([&] { return main_task.done(); });
        for (auto& t : tasks_)
            if (!t->done) TaskRef{t}.cancel("main finished");
        drive([&] {
            for (auto& t : tasks_)
                if (!t->done) return false;
            return true;
        });
    } catch (...) {
        stopped = std::current_exception();
        // Destroyed here rather than by ~Activation, so the timers their awaiters cancel are
        // traced before run_end.
        destroy_unfinished_tasks();
    }
    std::exception_ptr error = stopped ? stopped : main_task.error();
    if (trace::enabled()) {
        auto line = trace::event("run_end").add("loop", id_).add("outcome", error ? "exception" : "ok");
        if (error) line.add("what", detail::what_of(error));
        trace::emit(line);
    }
    if (error) std::rethrow_exception(error);
    return slot.take();
}

inline void EventLoop::drive(const std::function<bool()>& finished) {
    while (!finished()) {
        if (!ready_.empty()) {
            Entry next = ready_.front();
            if (steps_ >= step_limit_) {
                guard("step_limit",
                      "step limit: the loop resumed coroutines " + std::to_string(step_limit_) + " times and task '" +
                          (next.task ? next.task->name : std::string("?")) + "' is still going at virtual time " +
                          detail::format_duration(now_.time_since_epoch()) +
                          " — does it loop forever without letting time pass?");
            }
            ready_.pop_front();
            ++steps_;
            current_ = next.task;
            next.frame.resume();
            current_ = nullptr;
            forget_finished_tasks();
            continue;
        }
        step_timer();
    }
}

inline void EventLoop::step_timer() {
    while (!timers_.empty() && timers_.top()->cancelled) timers_.pop();
    if (timers_.empty())
        guard("deadlock", "deadlock: " + describe_blocked() +
                              " — and nothing can wake it: no task is ready and no timer is pending");
    auto timer = timers_.top();
    if (timer->due.time_since_epoch() > time_limit_) {
        guard("time_limit", "time limit: virtual time would pass " + detail::format_duration(time_limit_) +
                                " (next timer: " + timer->label + " due at " +
                                detail::format_duration(timer->due.time_since_epoch()) + "); " + describe_blocked() +
                                " — does something sleep in a loop that never ends?");
    }
    timers_.pop();
    now_ = timer->due;
    timer->fired = true;
    --live_timers_;
    if (trace::enabled()) trace::emit(trace::event("timer_fired").add("timer", timer->id).add("label", timer->label));
    auto callback = std::move(timer->callback);
    if (callback) callback();
}

inline std::string EventLoop::describe_blocked() const {
    std::string out;
    for (const auto& t : tasks_) {
        if (t->done) continue;
        if (!out.empty()) out += "; ";
        out += "task '" + t->name + "' is waiting " +
               (t->waiting ? "at " + t->waiting->describe() : std::string("on something outside the loop"));
    }
    return out;
}

inline void EventLoop::guard(const char* kind, const std::string& message) {
    if (trace::enabled()) trace::emit(trace::event("guard").add("kind", kind).add("message", message));
    if (std::string_view(kind) == "deadlock") throw Deadlock(message);
    if (std::string_view(kind) == "time_limit") throw TimeLimitExceeded(message);
    throw StepLimitExceeded(message);
}

inline void EventLoop::destroy_unfinished_tasks() {
    // Newest first: a task usually borrows from the one that spawned it (a lock, a buffer in
    // its frame), so the borrower's awaiters must unhook before the lender's frame goes.
    // Destroying a frame runs its awaiters' destructors, which unhook from timers and wait lists
    // while those still exist.
    for (auto it = tasks_.rbegin(); it != tasks_.rend(); ++it) {
        auto& t = *it;
        if (!t->done && t->root) {
            auto root = std::exchange(t->root, {});
            t->done = true;
            t->waiting = nullptr;
            root.destroy();
        }
    }
    ready_.clear();
}

inline void EventLoop::cleanup() {
    destroy_unfinished_tasks();
    while (!timers_.empty()) {
        auto& timer = timers_.top();
        timer->loop = nullptr;
        if (!timer->fired && !timer->cancelled) {
            timer->cancelled = true;
            timer->callback = nullptr;
        }
        timers_.pop();
    }
    live_timers_ = 0;
    tasks_.clear();
    finished_tasks_ = 0;
}

// asyncio.run: a fresh loop for one main coroutine.
template <class T>
T run(Task<T> main) {
    EventLoop loop;
    return loop.run(std::move(main));
}

}  // namespace acm
