#pragma once
// sim::Process: a simulated child process that is both awaitable and an async context manager,
// in the manner of asyncio.create_subprocess_exec.
//
//     acm::sim::ProcessResult r = co_await acm::sim::run_process("echo", "hi");   // run to the end
//
//     co_await acm::async_with(acm::sim::run_process("yes"), [](acm::sim::Process& p) -> acm::Task<void> {
//         std::optional<std::string> line = co_await p.read_line();   // nullopt at the end
//     });                       // aexit: terminate the child if it still runs, and await its exit
//
// run_process takes the words of the command line as separate arguments rather than a braced
// list: g++ 11.2-12 reject a braced initializer list inside a co_await expression ("array used as
// initializer", a compiler bug), and `co_await run_process({...})` is exactly that.
//
// The simulated system knows a few commands: echo ARGS..., ls (the files on sim::disk()),
// sleep SECONDS, yes [WORD] (never ends), true, false. Anything else exits with 127. Output is a
// deterministic function of virtual time: line i appears `line_period` after line i-1.
// Every step is traced as a "process" event.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <list>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "acm/detail/leaf_awaiter.hpp"
#include "acm/event_loop.hpp"
#include "acm/sim/file.hpp"
#include "acm/sleep.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm::sim {

struct ProcessResult {
    int exit_code = 0;
    std::string out;  // everything written to standard output
    std::string err;  // everything written to standard error
};

namespace detail {
inline int& processes_running_count() {
    static int count = 0;
    return count;
}
}  // namespace detail

// Children started and not yet exited, across the program: the simulated process table.
// Tests use it to check that no child outlives its block.
inline int processes_running() { return detail::processes_running_count(); }

class Process {
public:
    static constexpr Duration startup = std::chrono::milliseconds(5);
    static constexpr Duration line_period = std::chrono::milliseconds(10);
    static constexpr Duration shutdown = std::chrono::milliseconds(3);  // from terminate() to the exit
    static constexpr int sigterm_exit_code = 143;                       // 128 + SIGTERM, as shells report it
    static constexpr int sigkill_exit_code = 137;                       // 128 + SIGKILL

    explicit Process(std::vector<std::string> argv) : argv_(std::move(argv)) {
        if (argv_.empty()) throw std::invalid_argument("acm::sim::Process: the command line is empty; name a program to run");
    }
    // Only an unstarted process can move: once started, the loop's timers point at this object.
    Process(Process&& other) : argv_(take_unstarted(other)) {}
    Process& operator=(Process&&) = delete;
    ~Process() {
        exit_timer_.cancel();
        // No asynchronous destructor: the last resort is a synchronous SIGKILL, with nobody to
        // wait for the child. aexit() is the place that terminates politely and waits.
        if (state_ == State::starting || state_ == State::running) {
            waiters_.clear();  // their frames are being destroyed too; nothing is left to wake
            exited(sigkill_exit_code, "killed by ~Process");
        }
    }

    // ---- the async context manager face
    Task<Process&> aenter() {
        co_await start();
        co_return *this;
    }
    // A child must not outlive its block: terminate it if it still runs, and wait until it has
    // gone. The waiting is why this cannot be a destructor.
    Task<bool> aexit(std::exception_ptr) {
        if (running()) {
            terminate();
            co_await wait();
        }
        co_return false;  // the block's exception, if any, carries on
    }

    // ---- the awaitable face: `co_await run_process(...)` runs it to the end.
    class RunAwaiter;
    RunAwaiter operator co_await() &&;  // a temporary: moved into the awaiting coroutine
    RunAwaiter operator co_await() &;   // a named process: run it in place, inspect it afterwards

    // ---- interaction
    Task<void> start() {
        if (state_ != State::created) throw std::logic_error("acm::sim::Process::start(): " + command() + " was already started");
        state_ = State::starting;
        pid_ = next_pid()++;
        ++detail::processes_running_count();
        plan();
        traced("start");
        std::exception_ptr failure;
        try {
            co_await sleep_for(startup);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            // Cancelled while the child was starting: aexit() will not run, so the half-started
            // child is ours to remove (the same lesson as the Spotlight kata).
            exited(sigkill_exit_code, "killed: start() was interrupted");
            std::rethrow_exception(failure);
        }
        state_ = State::running;
        started_at_ = current_loop().now();
        if (!endless_) {
            TimePoint natural = started_at_ + std::max(run_for_, line_period * static_cast<long>(lines_.size() + 1));
            exit_timer_ = current_loop().call_at(natural, [this] { exited(code_); }, "process " + std::to_string(pid_) + " exits");
        }
    }

    // The next line of standard output (without the newline), or nullopt once the process has
    // exited and every line it wrote was read.
    Task<std::optional<std::string>> read_line() {
        require_started("read_line");
        if (read_ < line_count()) {
            TimePoint due = line_time(read_);
            if (due > current_loop().now() && state_ == State::running) co_await sleep_for(due - current_loop().now());
            // A child terminated while we waited wrote nothing after its exit.
            if (!exit_time_ || *exit_time_ >= due) {
                std::string text = line_text(read_++);
                traced("line", text);
                co_return text;
            }
        }
        co_await wait();
        co_return std::nullopt;
    }

    // Waits for the exit and returns the exit code.
    Task<int> wait() {
        require_started("wait");
        if (state_ != State::exited) co_await ExitAwaiter{*this};
        co_return *exit_code_;
    }

    // Asks the process to stop (SIGTERM); it exits `shutdown` later with code 143.
    void terminate() {
        require_started("terminate");
        if (state_ != State::running || terminating_) return;
        terminating_ = true;
        traced("terminate");
        exit_timer_.cancel();
        exit_timer_ = current_loop().call_later(shutdown, [this] { exited(sigterm_exit_code); },
                                                "process " + std::to_string(pid_) + " exits (terminated)");
    }

    bool running() const { return state_ == State::starting || state_ == State::running; }
    int pid() const { return pid_; }
    const std::vector<std::string>& argv() const { return argv_; }
    std::string command() const {
        std::string s;
        for (const auto& a : argv_) s += (s.empty() ? "" : " ") + a;
        return s;
    }
    // The exit code once the process has exited.
    std::optional<int> exit_code() const { return exit_code_; }
    // What the process wrote to standard error (known from the start in this simulation).
    const std::string& err() const { return err_; }

private:
    enum class State { created, starting, running, exited };

    // The leaf suspension point of wait(): woken by the exit, cut short by a cancellation. A
    // process that never exits leaves its waiter parked, and the loop's deadlock guard names it.
    class ExitAwaiter : public acm::detail::LeafAwaiter {
    public:
        explicit ExitAwaiter(Process& p) : process_(p) {}
        ~ExitAwaiter() { detach(); }
        bool await_suspend(acm::detail::coro::coroutine_handle<> frame) {
            if (!park(frame)) return false;
            process_.waiters_.push_back(this);
            return true;
        }
        void await_resume() { throw_if_cancelled(); }
        std::string describe() const override {
            return "Process::wait() for pid " + std::to_string(process_.pid_) + " (" + process_.command() + ")";
        }

    private:
        friend class Process;
        void detach() override { process_.waiters_.remove(this); }
        Process& process_;
    };

    static std::vector<std::string> take_unstarted(Process& other) {
        if (other.state_ != State::created)
            throw std::logic_error("acm::sim::Process: a started process cannot be moved (" + other.command() + ")");
        return std::move(other.argv_);
    }

    static int& next_pid() {
        static int pid = 100;
        return pid;
    }

    // Decides what the command will print and how long it runs.
    void plan() {
        const std::string& cmd = argv_[0];
        if (cmd == "echo") {
            std::string text;
            for (std::size_t i = 1; i < argv_.size(); ++i) text += (i > 1 ? " " : "") + argv_[i];
            lines_ = {text};
        } else if (cmd == "ls") {
            for (const auto& entry : disk()) lines_.push_back(entry.first);
        } else if (cmd == "sleep") {
            const char* arg = argv_.size() > 1 ? argv_[1].c_str() : "";
            char* end = nullptr;
            double seconds = std::strtod(arg, &end);
            if (*arg == '\0' || *end != '\0' || seconds < 0) {
                code_ = 1;
                err_ = "sleep: invalid time interval '" + std::string(arg) + "'\n";
            } else {
                run_for_ = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
            }
        } else if (cmd == "yes") {
            endless_ = true;
            word_ = argv_.size() > 1 ? argv_[1] : "y";
        } else if (cmd == "true") {
        } else if (cmd == "false") {
            code_ = 1;
        } else {
            code_ = 127;
            err_ = "sh: " + cmd + ": command not found\n";
        }
    }

    std::size_t line_count() const { return endless_ ? static_cast<std::size_t>(-1) : lines_.size(); }
    std::string line_text(std::size_t i) const { return endless_ ? word_ : lines_[i]; }
    TimePoint line_time(std::size_t i) const { return started_at_ + line_period * static_cast<long>(i + 1); }

    void exited(int code, const char* how = nullptr) {
        if (state_ == State::exited) return;
        state_ = State::exited;
        exit_code_ = code;
        exit_time_ = EventLoop::running() ? EventLoop::running()->now() : TimePoint{};
        --detail::processes_running_count();
        traced("exit", how ? how : "", code);
        auto waiting = std::move(waiters_);
        waiters_.clear();
        for (ExitAwaiter* w : waiting) w->wake();
    }

    void require_started(const char* op) const {
        if (state_ == State::created || state_ == State::starting)
            throw std::logic_error(std::string("acm::sim::Process::") + op + "(): " + command() +
                                   " has not been started (co_await start(), or use it with async_with)");
    }

    void traced(const char* op, const std::string& text = {}, std::optional<int> code = std::nullopt) const {
        if (!trace::enabled()) return;
        auto line = trace::event("process").add("op", op).add("pid", pid_).add("argv", command());
        if (!text.empty()) line.add("text", text);
        if (code) line.add("code", *code);
        trace::emit(line);
    }

    static Task<ProcessResult> run_to_end(Process& p) {
        if (p.state_ == State::created) co_await p.start();
        ProcessResult result;
        while (std::optional<std::string> line = co_await p.read_line()) result.out += *line + "\n";
        result.exit_code = co_await p.wait();
        result.err = p.err_;
        co_return result;
    }
    // Owns the process, so a temporary awaited with `co_await run_process(...)` lives in the frame.
    static Task<ProcessResult> run_owned(Process p) { co_return co_await run_to_end(p); }

    std::vector<std::string> argv_;
    std::vector<std::string> lines_;
    std::string word_;
    std::string err_;
    bool endless_ = false;
    Duration run_for_{0};
    int code_ = 0;
    int pid_ = 0;
    State state_ = State::created;
    bool terminating_ = false;
    TimePoint started_at_{};
    std::optional<TimePoint> exit_time_;
    std::optional<int> exit_code_;
    std::size_t read_ = 0;
    TimerHandle exit_timer_;
    std::list<ExitAwaiter*> waiters_;
};

// Holds the task that runs the process to its end, and awaits it.
class Process::RunAwaiter {
public:
    explicit RunAwaiter(Task<ProcessResult> run) : run_(std::move(run)), inner_(run_.operator co_await()) {}
    bool await_ready() const noexcept { return inner_.await_ready(); }
    void await_suspend(acm::detail::coro::coroutine_handle<> h) { inner_.await_suspend(h); }
    ProcessResult await_resume() { return inner_.await_resume(); }

private:
    Task<ProcessResult> run_;
    Task<ProcessResult>::Awaiter inner_;
};

inline Process::RunAwaiter Process::operator co_await() && { return RunAwaiter{run_owned(std::move(*this))}; }
inline Process::RunAwaiter Process::operator co_await() & { return RunAwaiter{run_to_end(*this)}; }

// asyncio.create_subprocess_exec's counterpart: run_process("ls"), run_process("sleep", "2").
// Await it to run it to the end, or pass it to async_with to run it for the length of a block.
template <class... Words>
    requires(sizeof...(Words) > 0 && (std::is_convertible_v<Words, std::string> && ...))
Process run_process(Words&&... words) {
    return Process{std::vector<std::string>{std::string(std::forward<Words>(words))...}};
}
// For a command line built at run time.
inline Process run_process(std::vector<std::string> argv) { return Process{std::move(argv)}; }

}  // namespace acm::sim
