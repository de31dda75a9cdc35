// Suppression: aexit returns true for one exception type and false for the rest.
#include <acm/acm.hpp>

#include <iostream>
#include <optional>
#include <stdexcept>

// Suppresses exceptions of type E (and derived types); lets everything else propagate.
template <class E>
class Ignore {
public:
    acm::Task<Ignore&> aenter() { co_return *this; }

    acm::Task<bool> aexit(std::exception_ptr e) {
        if (!e) co_return false;
        bool ours = false;
        try {
            std::rethrow_exception(e);
        } catch (const E&) {
            ours = true;  // only record; never await in a handler
        } catch (...) {
        }
        if (ours) ++ignored;
        co_return ours;
    }

    int ignored = 0;
};

acm::Task<void> part_one() {
    Ignore<std::out_of_range> ignore;
    co_await acm::async_with(ignore, []() -> acm::Task<void> {
        throw std::out_of_range("index 7 of 3");
    });
    std::cout << "out_of_range was suppressed; ignored = " << ignore.ignored << '\n';

    try {
        co_await acm::async_with(ignore, []() -> acm::Task<void> {
            throw std::invalid_argument("not a number");
        });
    } catch (const std::invalid_argument& e) {
        std::cout << "invalid_argument propagated: " << e.what() << '\n';
    }
}

acm::Task<void> part_two() {
    // A void body: suppression just ends the block.
    co_await acm::async_with(Ignore<std::out_of_range>{}, []() -> acm::Task<void> {
        throw std::out_of_range("void body");
    });
    std::cout << "void body: suppressed, nothing to return\n";

    // std::optional opts in: a suppressed exception yields std::nullopt.
    std::optional<int> maybe = co_await acm::async_with(
        Ignore<std::out_of_range>{}, []() -> acm::Task<std::optional<int>> {
            throw std::out_of_range("optional body");
            co_return 42;
        });
    std::cout << "optional body: has value = " << std::boolalpha << maybe.has_value()
              << '\n';

    // A plain int body cannot be suppressed without a value: that is reported.
    try {
        int value = co_await acm::async_with(
            Ignore<std::out_of_range>{}, []() -> acm::Task<int> {
                throw std::out_of_range("int body");
                co_return 42;
            });
        std::cout << "never printed " << value << '\n';
    } catch (const acm::SuppressedWithoutValue& e) {
        std::cout << "int body: acm::SuppressedWithoutValue\n  " << e.what() << '\n';
    }
}

int main() {
    acm::run(part_one());
    acm::run(part_two());
}
