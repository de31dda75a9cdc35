// RAII: the constructor is the way in, the destructor is the way out.
// No coroutines yet; this is the synchronous idea that async_with extends.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

// Marks item["running"] for exactly the lifetime of the object.
class Runner {
public:
    explicit Runner(std::map<std::string, bool>& item) : item_(item) {
        item_["running"] = true;
    }
    ~Runner() { item_["running"] = false; }

    // Copying would run the "exit" twice; a manager owns its scope.
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

private:
    std::map<std::string, bool>& item_;
};

// A reusable scope guard: C++'s stand-in for "finally".
template <class F>
class ScopeExit {
public:
    explicit ScopeExit(F f) : f_(std::move(f)) {}
    ~ScopeExit() { f_(); }
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;

private:
    F f_;
};

int main() {
    std::map<std::string, bool> item;
    std::cout << std::boolalpha;

    {
        Runner runner{item};
        std::cout << "inside the block: running = " << item["running"] << '\n';
    }
    std::cout << "after the block:  running = " << item["running"] << '\n';

    try {
        Runner runner{item};
        std::cout << "about to throw:   running = " << item["running"] << '\n';
        throw std::runtime_error("sensor unplugged");
    } catch (const std::exception& e) {
        // Unwinding destroyed `runner` before this handler started.
        std::cout << "caught '" << e.what() << "': running = " << item["running"] << '\n';
    }

    {
        ScopeExit goodbye{[] { std::cout << "scope guard: leaving the last block\n"; }};
        std::cout << "last block body\n";
    }
}
