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
// Lifetimes. A temporary manager is moved into the block (see Block below) and lives until
// aexit() finishes; a named manager is taken by reference, so its state can be inspected
// afterwards. The body callable is kept there too, so a coroutine lambda's captures outlive its
// body.
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

// ---------------------------------------------------------------------------------------------
// How a block is compiled. What a block does — the order of its steps, the trace, what happens
// to an exception, suppression — depends on neither the manager's type nor the body's; only
// starting each step and keeping what it gives does. So the coroutine that runs a block,
// run_block<R>, depends on the body's result type alone and reaches the typed parts through the
// virtual functions of BlockOf<R>; each async_with adds just a small class (Block), not another
// copy of a coroutine with three suspension points and four handlers. Why it matters: a kata test
// has a dozen blocks, and those copies were most of the code the page's compiler generated for it
// (run_block<void> itself is compiled once, into the page's precompiled kit).

// What a step's co_await gave, kept by the block once the awaitable is gone.
template <class T>
struct Kept {
    std::optional<Stored<T>> value;
    template <class Produce>
    void keep(Produce&& produce) {
        value.emplace(produce());
    }
    void reset() { value.reset(); }
};
template <>
struct Kept<void> {
    template <class Produce>
    void keep(Produce&& produce) {
        produce();
    }
    void reset() {}
};

// One step's awaitable as run_block sees it: the three calls of a co_await, whatever the type.
class StepAwaiter {
public:
    virtual ~StepAwaiter() = default;
    virtual bool ready() = 0;
    virtual bool suspend(coro::coroutine_handle<> waiter) = 0;  // false: carry on at once
    virtual void resume() = 0;                                    // hands the result to the block
};

// What run_block co_awaits. It stands for the temporary in `co_await manager.aenter()`: the
// awaitable it owns (kept in the block's storage) is destroyed when that temporary would be —
// after await_resume, while an exception unwinds, or with the suspended frame.
class Step {
public:
    explicit Step(StepAwaiter* awaiter) noexcept : awaiter_(awaiter) {}
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    ~Step() { awaiter_->~StepAwaiter(); }

    bool await_ready() { return awaiter_->ready(); }
    bool await_suspend(coro::coroutine_handle<> waiter) { return awaiter_->suspend(waiter); }
    void await_resume() { awaiter_->resume(); }

private:
    StepAwaiter* awaiter_;
};

// The awaitable a step produced, with the awaiter `operator co_await` made of it (if any). Built
// either from a call (`make()`), which constructs it in place as a temporary would be, so even
// an awaitable that cannot be moved works, or by moving one in (the body's Task).
struct FromCall {};
template <class A, bool = std::is_reference_v<decltype(get_awaiter(std::declval<A>()))>>
struct AwaitableAndAwaiter {  // A is its own awaiter
    A awaitable;
    template <class Make>
    AwaitableAndAwaiter(FromCall, Make& make) : awaitable(make()) {}
    explicit AwaitableAndAwaiter(A&& moved) : awaitable(std::move(moved)) {}
    A& awaiter() { return awaitable; }
};
template <class A>
struct AwaitableAndAwaiter<A, false> {
    A awaitable;
    decltype(get_awaiter(std::declval<A>())) made;
    template <class Make>
    AwaitableAndAwaiter(FromCall, Make& make) : awaitable(make()), made(get_awaiter(std::move(awaitable))) {}
    explicit AwaitableAndAwaiter(A&& moved) : awaitable(std::move(moved)), made(get_awaiter(std::move(awaitable))) {}
    auto& awaiter() { return made; }
};

// A step in flight: awaitable type A, awaited by a coroutine whose promise is P.
template <class A, class P>
class PendingStep final : public StepAwaiter {
public:
    using Result = await_result_t<A>;

    template <class Make>
    PendingStep(FromCall, Make& make, Kept<Result>& kept) : step_(FromCall{}, make), kept_(kept) {}
    PendingStep(A&& moved, Kept<Result>& kept) : step_(std::move(moved)), kept_(kept) {}

    bool ready() override { return step_.awaiter().await_ready(); }
    bool suspend(coro::coroutine_handle<> waiter) override {
        // The awaiter gets the handle type it would have got in a direct co_await.
        auto typed = coro::coroutine_handle<P>::from_address(waiter.address());
        using Suspended = decltype(step_.awaiter().await_suspend(typed));
        if constexpr (std::is_void_v<Suspended>) {
            step_.awaiter().await_suspend(typed);
            return true;
        } else if constexpr (std::is_same_v<Suspended, bool>) {
            return step_.awaiter().await_suspend(typed);
        } else {
            // Symmetric transfer, done as a nested resume: the same order of events. (The
            // runtime's own awaiters never ask for it; see ready_queue.hpp for why.)
            step_.awaiter().await_suspend(typed).resume();
            return true;
        }
    }
    void resume() override {
        kept_.keep([this]() -> decltype(auto) { return step_.awaiter().await_resume(); });
    }

private:
    AwaitableAndAwaiter<A> step_;
    Kept<Result>& kept_;
};

// A block as run_block sees it. R is what the body's Task gives.
template <class R>
class BlockOf {
public:
    BlockOf() = default;
    BlockOf(const BlockOf&) = delete;
    BlockOf& operator=(const BlockOf&) = delete;
    virtual ~BlockOf() = default;

    virtual std::string manager_name() const = 0;
    virtual Step enter() = 0;                         // co_await manager.aenter(), keep what it gives
    virtual Step run_body() = 0;                      // co_await body(that), keep its result
    virtual Step exit(std::exception_ptr error) = 0;  // co_await manager.aexit(error)

    Kept<R> result;
    Kept<bool> exit_verdict;  // empty when aexit gives void
};

constexpr std::size_t largest_of(std::size_t a, std::size_t b, std::size_t c) {
    return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

// What a block does with its manager: enter it and exit it. It depends on the manager's type
// alone, so all the blocks of one kind of manager share it, whatever their bodies.
template <class M, class Holder, class R>
class ManagedBlock : public BlockOf<R> {
    using Promise = TaskPromise<R>;
    using EnterStep = PendingStep<decltype(std::declval<M&>().aenter()), Promise>;
    using BodyStep = PendingStep<Task<R>, Promise>;
    using ExitStep = PendingStep<decltype(std::declval<M&>().aexit(std::exception_ptr{})), Promise>;

public:
    explicit ManagedBlock(Holder&& holder) : holder_(std::move(holder)) {}

    std::string manager_name() const override { return type_name<M>(); }

    Step enter() override {
        auto make = [this]() -> decltype(auto) { return manager().aenter(); };
        return Step{::new (static_cast<void*>(pending_)) EnterStep(FromCall{}, make, entered_)};
    }
    Step exit(std::exception_ptr error) override {
        auto make = [this, &error]() -> decltype(auto) { return manager().aexit(error); };
        if constexpr (std::is_void_v<typename ExitStep::Result>)
            return Step{::new (static_cast<void*>(pending_)) ExitStep(FromCall{}, make, no_verdict_)};
        else
            return Step{::new (static_cast<void*>(pending_)) ExitStep(FromCall{}, make, this->exit_verdict)};
    }

protected:
    Step start_body(Task<R>&& body) {
        return Step{::new (static_cast<void*>(pending_)) BodyStep(std::move(body), this->result)};
    }

    M& manager() {
        if constexpr (std::is_pointer_v<Holder>)
            return *holder_;
        else
            return holder_;
    }

    Holder holder_;  // the manager itself, or a pointer to the caller's
    Kept<entered_t<M>> entered_;

private:
    [[no_unique_address]] Kept<void> no_verdict_;
    // The step in flight (one at a time), owned by the Step that run_block is awaiting.
    alignas(EnterStep) alignas(BodyStep) alignas(ExitStep)
        unsigned char pending_[largest_of(sizeof(EnterStep), sizeof(BodyStep), sizeof(ExitStep))];
};

// A block: its manager's steps and the body.
template <class M, class Holder, class Body, class R>
class Block final : public ManagedBlock<M, Holder, R> {
public:
    Block(Holder&& holder, Body&& body) : ManagedBlock<M, Holder, R>(std::move(holder)), body_(std::move(body)) {}
    // The order a coroutine frame would destroy them in (its locals, then its parameters): what
    // aenter() gave, then the body, then the manager.
    ~Block() override { this->entered_.reset(); }

    Step run_body() override {
        if constexpr (body_takes_entered<Body, M>())
            return this->start_body(body_(unwrap<entered_t<M>>(*this->entered_.value)));
        else
            return this->start_body(body_());
    }

private:
    Body body_;  // kept here, so a coroutine lambda's captures outlive its body
};

// After aexit returned: trace its end and what became of the block's exception. Returns true if
// the exception was suppressed; rethrows it if not.
inline bool settle(const PhaseTracer& tracer, const std::exception_ptr& error, bool exit_says_suppress) {
    const bool suppressed = exit_says_suppress && error;
    tracer.aexit_end(suppressed);
    if (error && !suppressed) {
        tracer.exception(error, "propagated");
        std::rethrow_exception(error);
    }
    if (error) tracer.exception(error, "suppressed");
    return suppressed;
}

[[noreturn]] inline void throw_suppressed_without_value(const PhaseTracer& tracer, const std::exception_ptr& error) {
    auto info = describe(error);
    throw SuppressedWithoutValue(
        "acm::async_with: " + tracer.name + "::aexit() suppressed " + info.type + " (\"" + info.what +
        "\"), so the block has no value to return. Return std::optional<...> from the body to allow "
        "suppression, or return false from aexit() to let the exception propagate.");
}

template <class R>
Task<R> run_block(std::unique_ptr<BlockOf<R>> owned) {
    BlockOf<R>& block = *owned;
    auto* loop = EventLoop::running();
    DepthGuard depth(loop ? loop->current_control() : nullptr);
    const PhaseTracer tracer{loop ? loop->next_manager_id() : 0, block.manager_name(), depth.depth(),
                             depth.task ? depth.task->id : 0};

    // (2) aenter. If it throws (or is cancelled), the block never started: no aexit.
    tracer.phase("aenter_begin");
    try {
        co_await block.enter();
    } catch (...) {
        tracer.phase_end("aenter_end", std::current_exception());
        throw;
    }
    tracer.phase_end("aenter_end", nullptr);

    // (3)+(4) the body. C++ forbids co_await in a catch handler, so the error is caught into an
    // exception_ptr and aexit is awaited after the handler has closed.
    std::exception_ptr error;
    tracer.phase("body_begin");
    try {
        co_await block.run_body();
    } catch (...) {
        error = std::current_exception();
    }
    if (error) tracer.exception(error, "raised");
    tracer.phase_end("body_end", error);

    // (5) aexit, on every path.
    tracer.phase("aexit_begin");
    try {
        co_await block.exit(error);
    } catch (...) {
        // An exception from aexit replaces the block's, as in Python.
        auto from_exit = std::current_exception();
        tracer.aexit_end(false, from_exit);
        tracer.exception(from_exit, "propagated");
        throw;
    }
    if (settle(tracer, error, block.exit_verdict.value.value_or(false))) {
        if constexpr (std::is_void_v<R>)
            co_return;
        else if constexpr (is_optional<R>::value)
            co_return R{};
        else
            throw_suppressed_without_value(tracer, error);
    }
    if constexpr (!std::is_void_v<R>) co_return unwrap<R>(*block.result.value);
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
        // Owned as a BlockOf<R> from the start: one unique_ptr type for all blocks, not one each.
        using Owned = std::unique_ptr<detail::BlockOf<R>>;
        if constexpr (std::is_lvalue_reference_v<Manager>)
            return detail::run_block<R>(Owned{new detail::Block<M, M*, Body, R>(&manager, std::move(body))});
        else
            return detail::run_block<R>(Owned{new detail::Block<M, M, Body, R>(std::move(manager), std::move(body))});
    }
}

}  // namespace acm
