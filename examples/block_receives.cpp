// What the block receives is whatever aenter() co_returns.
#include <acm/acm.hpp>

#include <iostream>
#include <string>

using namespace std::chrono_literals;

// Hands the block the manager itself, so the block can use its members.
class Counter {
public:
    acm::Task<Counter&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) {
        std::cout << "Counter saw " << count_ << " clicks\n";
        co_return false;
    }
    void click() { ++count_; }

private:
    int count_ = 0;
};

// Hands the block a different object: a session it created on the way in.
struct Session {
    std::string id;
};

class Login {
public:
    explicit Login(std::string user) : user_(std::move(user)) {}
    acm::Task<Session&> aenter() {
        co_await acm::sleep_for(15ms);  // the "server" takes a moment
        session_.id = user_ + "-42";
        co_return session_;  // a reference: it lives inside the manager
    }
    acm::Task<void> aexit(std::exception_ptr) {  // void: never suppresses
        std::cout << "logged out " << session_.id << '\n';
        co_return;
    }

private:
    std::string user_;
    Session session_;
};

acm::Task<void> demo() {
    co_await acm::async_with(Counter{}, [](Counter& counter) -> acm::Task<void> {
        counter.click();
        counter.click();
        co_return;
    });

    co_await acm::async_with(Login{"ada"}, [](Session& session) -> acm::Task<void> {
        std::cout << acm::to_ms(acm::now()) << " ms: working as " << session.id << '\n';
        co_return;
    });

    // A body that does not need the value takes no parameter.
    co_await acm::async_with(Login{"bob"}, []() -> acm::Task<void> {
        std::cout << "bob's block ignores the session\n";
        co_return;
    });
}

int main() { acm::run(demo()); }
