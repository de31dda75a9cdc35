// Runtime throughput, the same program natively and as WebAssembly (bench/runtime.mjs runs both
// and prints the ratios). Prints one JSON object per figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include <acm/acm.hpp>

using namespace std::chrono_literals;

namespace {

// The best of a few runs: the machine is shared, and the slowest runs measure the neighbours.
template <class F>
double seconds(F&& f) {
    double best = 1e300;
    for (int run = 0; run < 3; ++run) {
        auto start = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

void report(const char* name, const char* unit, double value) {
    std::printf("{\"figure\":\"%s\",\"unit\":\"%s\",\"value\":%.1f}\n", name, unit, value);
}

acm::Task<int> one() { co_return 1; }

acm::Task<long> await_many(long n) {
    long sum = 0;
    for (long i = 0; i < n; ++i) sum += co_await one();
    co_return sum;
}

struct Trivial {
    acm::Task<Trivial&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> with_many(long n) {
    for (long i = 0; i < n; ++i) co_await acm::async_with(Trivial{}, [](Trivial&) -> acm::Task<void> { co_return; });
}

acm::Task<void> ticker(acm::Duration period, acm::Duration total) {
    for (auto t = acm::Duration{}; t < total; t += period) co_await acm::sleep_for(period);
}

acm::Task<void> many_tickers(int tasks, acm::Duration total) {
    std::vector<acm::Task<void>> all;
    for (int i = 0; i < tasks; ++i) all.push_back(ticker(1ms, total));
    co_await acm::gather(std::move(all));
}

}  // namespace

int main() {
    const long awaits = 1'000'000;
    double t = seconds([&] { acm::run(await_many(awaits)); });
    report("awaits", "awaits/s", awaits / t);

    const long blocks = 200'000;
    t = seconds([&] { acm::run(with_many(blocks)); });
    report("async_with", "round trips/s", blocks / t);

    const auto simulated = 10s;
    t = seconds([&] { acm::run(many_tickers(100, simulated)); });
    report("virtual_time", "virtual s per wall s (100 tasks ticking every 1 ms)", 10.0 / t);
}
