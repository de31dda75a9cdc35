// A braced list inside a co_await expression: valid C++, but g++ 11.2 to 12 reject it.
#include <acm/acm.hpp>

#include <string>
#include <vector>

acm::Task<int> run(std::vector<std::string> argv);

acm::Task<void> caller() {
    int code = co_await run({"echo", "hello"});  // rejected: g++ 12's coroutine bug
    (void)code;
}
