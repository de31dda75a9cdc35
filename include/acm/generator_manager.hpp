#pragma once
// GeneratorManager<T>: the C++ analogue of @contextlib.asynccontextmanager.
//
//     acm::GeneratorManager<Connection&> connected(Server& s) {
//         Connection c = co_await s.connect();           // setup  (the aenter half)
//         std::exception_ptr error;
//         try {
//             co_yield c;                                // the block runs here
//         } catch (...) {
//             error = std::current_exception();          // the block's exception arrives here
//         }
//         co_await c.close();                            // teardown (the aexit half)
//         if (error) std::rethrow_exception(error);      // don't rethrow = suppress
//     }
//
// Why the teardown is not in the catch handler: C++ forbids co_await inside a handler, and
// there is no `finally`. Catch into an exception_ptr, await the cleanup, then rethrow.
//
// Rules, as in Python: yield exactly once. Finishing normally after receiving an exception
// suppresses it; rethrowing it lets it propagate; throwing another one replaces it.
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "acm/detail/coroutine.hpp"
#include "acm/detail/ready_queue.hpp"

namespace acm {

template <class T>
class [[nodiscard]] GeneratorManager {
    using Stored = std::conditional_t<std::is_reference_v<T>, std::remove_reference_t<T>*, T>;

public:
    struct promise_type {
        std::optional<Stored> yielded;
        std::exception_ptr thrown_in;  // the block's exception, rethrown at the co_yield
        std::exception_ptr error;      // what escaped the generator
        bool yielded_once = false;
        bool yielded_twice = false;
        detail::coro::coroutine_handle<> waiter;
        detail::TaskControl* task = nullptr;
        detail::ChildStart start;  // see ready_queue.hpp

        GeneratorManager get_return_object() {
            return GeneratorManager{detail::coro::coroutine_handle<promise_type>::from_promise(*this)};
        }
        detail::coro::suspend_always initial_suspend() noexcept { return {}; }

        // Hands control back to whoever is driving (aenter or aexit), through the ready queue.
        struct HandBack {
            bool await_ready() noexcept { return false; }
            [[gnu::always_inline]] bool await_suspend(detail::coro::coroutine_handle<promise_type> self) noexcept {  // see ChildStart
                auto& p = self.promise();
                if (p.start.starting)
                    p.start.finished_starting = true;  // Step posts the waiter
                else
                    detail::ReadyQueue::running()->post(p.waiter, p.task);
                return true;
            }
            void await_resume() noexcept {}
        };
        struct YieldPoint : HandBack {
            promise_type* p;
            void await_resume() {
                if (auto e = std::exchange(p->thrown_in, nullptr)) std::rethrow_exception(e);
            }
        };

        template <class U>
        YieldPoint yield_value(U&& value) {
            if (yielded_once) {
                yielded_twice = true;
            } else {
                yielded_once = true;
                if constexpr (std::is_reference_v<T>)
                    yielded.emplace(&value);
                else
                    yielded.emplace(std::forward<U>(value));
            }
            return YieldPoint{{}, this};
        }
        HandBack final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    explicit GeneratorManager(detail::coro::coroutine_handle<promise_type> h) : frame_(h) {}
    GeneratorManager(GeneratorManager&& o) noexcept : frame_(std::exchange(o.frame_, {})) {}
    GeneratorManager(const GeneratorManager&) = delete;
    ~GeneratorManager() {
        if (frame_) frame_.destroy();
    }

    // Resumes the generator and waits until it yields or finishes.
    struct Step {
        detail::coro::coroutine_handle<promise_type> frame;
        bool await_ready() const noexcept { return frame.done(); }
        void await_suspend(detail::coro::coroutine_handle<> waiter) {
            auto* queue = detail::ReadyQueue::running();
            if (!queue) throw std::logic_error("acm::GeneratorManager: used outside EventLoop::run");
            auto& p = frame.promise();
            p.waiter = waiter;
            p.task = queue->current_task();
            p.start.run(frame, *queue, waiter, p.task);
        }
    };

    struct Enter : Step {
        decltype(auto) await_resume() {
            auto& p = this->frame.promise();
            if (p.error) std::rethrow_exception(p.error);
            if (!p.yielded_once)
                throw std::logic_error("acm::GeneratorManager: the generator finished without co_yield; it must yield exactly once");
            if constexpr (std::is_reference_v<T>)
                return static_cast<T>(**p.yielded);
            else
                return static_cast<T&>(*p.yielded);
        }
    };

    struct Exit : Step {
        std::exception_ptr block_error;
        bool await_ready() const noexcept { return false; }
        void await_suspend(detail::coro::coroutine_handle<> waiter) {
            this->frame.promise().thrown_in = block_error;
            Step::await_suspend(waiter);
        }
        bool await_resume() {
            auto& p = this->frame.promise();
            if (p.yielded_twice) throw std::logic_error("acm::GeneratorManager: the generator yielded more than once");
            if (p.error) {
                if (p.error == block_error) return false;  // rethrown as it was: propagate
                std::rethrow_exception(p.error);
            }
            return block_error != nullptr;  // finished normally: suppressed
        }
    };

    Enter aenter() { return Enter{{frame_}}; }
    Exit aexit(std::exception_ptr e) { return Exit{{frame_}, std::move(e)}; }

private:
    detail::coro::coroutine_handle<promise_type> frame_;
};

}  // namespace acm
