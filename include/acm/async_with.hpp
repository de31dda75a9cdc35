#pragma once
// async_with: the C++ spelling of `async with manager as value: body`.
//
//     co_await acm::async_with(Spotlight{led}, [&](Spotlight& s) -> acm::Task<void> { ... });
//
// Steps, as in Python: (1) evaluate the manager, (2) await aenter(), (3) hand its result to the
// body, (4) run the body, (5) await aexit(error) however the body ended — normally (nullptr), by an
// exception, or by cancellation — and rethrow unless aexit returned true. If aenter() itself fails
// or is cancelled, aexit() is not called: the block was never entered.
//
// Lifetimes. A temporary manager is moved into the async_with frame and lives until aexit()
// finishes; a named manager is taken by reference, so its state can be inspected afterwards. The
// body callable is also kept in the frame, so a coroutine lambda's captures outlive its body.
//
// A g++ 12 bug to know about (clang is fine): a temporary written inside a co_await expression is
// destroyed twice when it is an aggregate with a non-trivial destructor, or a lambda capturing
// such a value (`[name]` with a std::string name). Managers with a constructor and lambdas
// capturing by reference are not affected; otherwise create the manager or the body in a
// statement of its own and pass it in (tests/runtime/async_with_test.cpp shows both).
//
// Suppression and values. If aexit() suppresses an exception, the body produced no value. A body
// returning Task<void> just ends; a body returning Task<std::optional<R>> yields std::nullopt; any
// other body type makes async_with throw acm::SuppressedWithoutValue, which says what happened.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "acm/async_context_manager.hpp"
#include "acm/detail/awaitable.hpp"
#include "acm/detail/exception_info.hpp"
#include "acm/detail/type_name.hpp"
#include "acm/errors.hpp"
#include "acm/event_loop.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm {

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<Task<T>> : std::true_type {};

// References are stored as reference_wrapper so one optional<> holds either kind; void as an
// empty placeholder so the same code serves bodies and managers that produce nothing.
struct Nothing {};
template <class T>
struct StoredFor {
    using type = std::conditional_t<std::is_reference_v<T>, std::reference_wrapper<std::remove_reference_t<T>>, T>;
};
template <>
struct StoredFor<void> {
    using type = Nothing;
};
template <class T>
using Stored = typename StoredFor<T>::type;

template <class T>
decltype(auto) unwrap(Stored<T>& s) {
    if constexpr (std::is_reference_v<T>)
        return s.get();
    else
        return (s);
}

template <class M>
using entered_t = await_result_t<decltype(std::declval<M&>().aenter())>;

template <class Body, class M>
constexpr bool body_takes_entered() {
    if constexpr (std::is_void_v<entered_t<M>>)
        return false;
    else
        return std::is_invocable_v<Body&, std::remove_reference_t<entered_t<M>>&>;
}

template <class Body, class M>
concept body_is_callable = body_takes_entered<Body, M>() || std::is_invocable_v<Body&>;

template <class Body, class M>
constexpr auto body_result() {
    if constexpr (body_takes_entered<Body, M>())
        return std::type_identity<std::invoke_result_t<Body&, std::remove_reference_t<entered_t<M>>&>>{};
    else
        return std::type_identity<std::invoke_result_t<Body&>>{};
}

template <class Body, class M>
using body_task_t = typename decltype(body_result<Body, M>())::type;

// Keeps TaskControl::with_depth right even when the frame is destroyed mid-block. Shares the
// task's bookkeeping because the frame may outlive the loop (see leaf_awaiter.hpp).
struct DepthGuard {
    std::shared_ptr<TaskControl> task;
    explicit DepthGuard(TaskControl* t) : task(t ? t->shared_from_this() : nullptr) {
        if (task) ++task->with_depth;
    }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    ~DepthGuard() {
        if (task) --task->with_depth;
    }
    int depth() const { return task ? task->with_depth - 1 : 0; }
};

struct PhaseTracer {
    std::uint64_t cm;
    std::string name;
    int depth;
    std::uint64_t task;

    void phase(const char* ev) const {
        if (trace::enabled()) trace::emit(base(ev));
    }
    void phase_end(const char* ev, std::exception_ptr e) const {
        if (!trace::enabled()) return;
        auto line = base(ev).add("outcome", e ? "exception" : "ok");
        if (e) line.add("what", describe(e).what);
        trace::emit(line);
    }
    // aexit_end always says whether the block's exception was suppressed: false when aexit threw.
    void aexit_end(bool suppressed, std::exception_ptr from_exit = nullptr) const {
        if (!trace::enabled()) return;
        auto line = base("aexit_end").add("outcome", from_exit ? "exception" : "ok");
        if (from_exit) line.add("what", describe(from_exit).what);
        trace::emit(line.add("suppressed", suppressed));
    }
    void exception(std::exception_ptr e, const char* action) const {
        if (!trace::enabled()) return;
        auto info = describe(e);
        trace::emit(trace::event("exception").add("cm", cm).add("name", name).add("type", info.type).add("what", info.what).add("action", action));
    }

private:
    acm::detail::JsonLine base(const char* ev) const {
        return trace::event(ev).add("cm", cm).add("name", name).add("depth", depth).add("task", task);
    }
};

template <class M, class Holder, class Body, class R>
Task<R> with_block(Holder holder, Body body) {
    M& manager = [&]() -> M& {
        if constexpr (std::is_pointer_v<Holder>)
            return *holder;
        else
            return holder;
    }();
    using Entered = entered_t<M>;

    auto* loop = EventLoop::running();
    DepthGuard depth(loop ? loop->current_control() : nullptr);
    const PhaseTracer tracer{loop ? loop->next_manager_id() : 0, type_name<M>(), depth.depth(),
                             depth.task ? depth.task->id : 0};

    // (2) aenter. If it throws (or is cancelled), the block never started: no aexit.
    tracer.phase("aenter_begin");
    std::optional<Stored<Entered>> entered;
    try {
        if constexpr (std::is_void_v<Entered>)
            co_await manager.aenter();
        else
            entered.emplace(co_await manager.aenter());
    } catch (...) {
        tracer.phase_end("aenter_end", std::current_exception());
        throw;
    }
    tracer.phase_end("aenter_end", nullptr);

    // (3)+(4) the body. C++ forbids co_await in a catch handler, so the error is caught into an
    // exception_ptr and aexit is awaited after the handler has closed.
    std::exception_ptr error;
    std::optional<Stored<R>> result;
    tracer.phase("body_begin");
    try {
        auto run_body = [&]() -> Task<R> {
            if constexpr (body_takes_entered<Body, M>())
                return body(unwrap<Entered>(*entered));
            else
                return body();
        };
        if constexpr (std::is_void_v<R>)
            co_await run_body();
        else
            result.emplace(co_await run_body());
    } catch (...) {
        error = std::current_exception();
    }
    if (error) tracer.exception(error, "raised");
    tracer.phase_end("body_end", error);

    // (5) aexit, on every path.
    using ExitResult = await_result_t<decltype(manager.aexit(error))>;
    bool suppressed = false;
    tracer.phase("aexit_begin");
    try {
        if constexpr (std::is_void_v<ExitResult>)
            co_await manager.aexit(error);
        else
            suppressed = static_cast<bool>(co_await manager.aexit(error));
    } catch (...) {
        // An exception from aexit replaces the block's, as in Python.
        auto from_exit = std::current_exception();
        tracer.aexit_end(false, from_exit);
        tracer.exception(from_exit, "propagated");
        throw;
    }
    suppressed = suppressed && error;
    tracer.aexit_end(suppressed);

    if (error && !suppressed) {
        tracer.exception(error, "propagated");
        std::rethrow_exception(error);
    }
    if (error) {
        tracer.exception(error, "suppressed");
        if constexpr (std::is_void_v<R>) {
            co_return;
        } else if constexpr (is_optional<R>::value) {
            co_return R{};
        } else {
            auto info = describe(error);
            throw SuppressedWithoutValue(
                "acm::async_with: " + tracer.name + "::aexit() suppressed " + info.type + " (\"" + info.what +
                "\"), so the block has no value to return. Return std::optional<...> from the body to allow "
                "suppression, or return false from aexit() to let the exception propagate.");
        }
    }
    if constexpr (std::is_void_v<R>)
        co_return;
    else
        co_return unwrap<R>(*result);
}

}  // namespace detail

// Each check is a separate `if constexpr` so that a mistake produces exactly one error — the
// message written for it — and not a cascade from instantiating the rest with a bad type.
template <class Manager, class Body>
auto async_with(Manager&& manager, Body body) {
    using M = std::remove_cvref_t<Manager>;
    if constexpr (!AsyncContextManager<M>) {
        static_assert(detail::check_manager<M>());
        return Task<void>{};
    } else if constexpr (!detail::body_is_callable<Body, M>) {
        static_assert(detail::always_false<Body>,
                      "acm::async_with: the body must be callable with what aenter() gives (for example "
                      "`[&](Staller& s) -> acm::Task<void> {...}`) or with nothing (`[&]() -> acm::Task<void> {...}`).");
        return Task<void>{};
    } else if constexpr (!detail::is_task<detail::body_task_t<Body, M>>::value) {
        static_assert(detail::always_false<Body>,
                      "acm::async_with: the body must be a coroutine returning acm::Task<R>, for example "
                      "`[&](auto& value) -> acm::Task<void> { co_await ...; }`.");
        return Task<void>{};
    } else {
        using R = typename detail::body_task_t<Body, M>::value_type;
        if constexpr (std::is_lvalue_reference_v<Manager>)
            return detail::with_block<M, M*, Body, R>(&manager, std::move(body));
        else
            return detail::with_block<M, M, Body, R>(std::move(manager), std::move(body));
    }
}

}  // namespace acm
