#pragma once
// Task<T>: the return type of every coroutine in the course.
//
// Lazy (nothing runs until it is awaited or handed to a loop), move-only, and co_await-able once.
// Works for T, T& and void. An exception leaving the coroutine is rethrown to the awaiter.
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "acm/detail/coroutine.hpp"
#include "acm/detail/ready_queue.hpp"

namespace acm {

template <class T = void>
class Task;

namespace detail {

struct TaskPromiseBase {
    coro::coroutine_handle<> continuation;
    TaskControl* task = nullptr;
    std::exception_ptr error;
    ChildStart start;
    bool result_taken = false;

    coro::suspend_always initial_suspend() noexcept { return {}; }

    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <class Promise>
        [[gnu::always_inline]] bool await_suspend(coro::coroutine_handle<Promise> self) noexcept {  // see ChildStart
            auto& p = self.promise();
            if (p.start.starting)
                p.start.finished_starting = true;  // the awaiter posts the parent
            else if (p.continuation)
                ReadyQueue::running()->post(p.continuation, p.task);
            return true;
        }
        void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <class T>
struct TaskPromise : TaskPromiseBase {
    // Constructed only when the coroutine returns normally; T need not be default-constructible.
    union {
        T value;
    };
    bool has_value = false;
    TaskPromise() noexcept {}
    ~TaskPromise() {
        if (has_value) value.~T();
    }
    Task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U&& v) {
        ::new (static_cast<void*>(&value)) T(std::forward<U>(v));
        has_value = true;
    }
    T take() {
        if (error) std::rethrow_exception(error);
        return std::move(value);
    }
};

template <class T>
struct TaskPromise<T&> : TaskPromiseBase {
    T* value = nullptr;
    Task<T&> get_return_object() noexcept;
    void return_value(T& v) noexcept { value = &v; }
    T& take() {
        if (error) std::rethrow_exception(error);
        return *value;
    }
};

template <>
struct TaskPromise<void> : TaskPromiseBase {
    Task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void take() {
        if (error) std::rethrow_exception(error);
    }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
public:
    using promise_type = detail::TaskPromise<T>;
    using value_type = T;
    using Handle = detail::coro::coroutine_handle<promise_type>;

    Task() noexcept = default;
    explicit Task(Handle h) noexcept : frame_(h) {}
    Task(Task&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            if (frame_) frame_.destroy();
            frame_ = std::exchange(other.frame_, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() {
        // Destroying a suspended frame runs the destructors of its locals, including the
        // awaiters it is parked on, which unhook themselves from timers and wait lists.
        if (frame_) frame_.destroy();
    }

    bool valid() const noexcept { return static_cast<bool>(frame_); }

    struct Awaiter {
        Handle child;
        bool await_ready() const noexcept { return !child || child.done(); }
        void await_suspend(detail::coro::coroutine_handle<> parent) {
            auto* queue = detail::ReadyQueue::running();
            if (!queue)
                throw std::logic_error("acm::Task: co_await on a Task outside EventLoop::run (start it with acm::run)");
            auto& p = child.promise();
            if (p.continuation)
                throw std::logic_error("acm::Task: this Task is already being awaited elsewhere; a Task is awaited once");
            p.continuation = parent;
            p.task = queue->current_task();
            p.start.run(child, *queue, parent, p.task);
        }
        decltype(auto) await_resume() {
            if (!child) throw std::logic_error("acm::Task: co_await on an empty or moved-from Task");
            auto& p = child.promise();
            if (std::exchange(p.result_taken, true))
                throw std::logic_error("acm::Task: this Task was already awaited; a Task gives its result once");
            return p.take();
        }
    };

    Awaiter operator co_await() && noexcept { return Awaiter{frame_}; }
    Awaiter operator co_await() & noexcept { return Awaiter{frame_}; }

    // For the loop: hand over the frame.
    Handle release() noexcept { return std::exchange(frame_, {}); }

private:
    Handle frame_;
};

namespace detail {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
    return Task<T>{coro::coroutine_handle<TaskPromise<T>>::from_promise(*this)};
}
template <class T>
Task<T&> TaskPromise<T&>::get_return_object() noexcept {
    return Task<T&>{coro::coroutine_handle<TaskPromise<T&>>::from_promise(*this)};
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
    return Task<void>{coro::coroutine_handle<TaskPromise<void>>::from_promise(*this)};
}
}  // namespace detail

}  // namespace acm
