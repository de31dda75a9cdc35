// A destructor cannot wait: it is never a coroutine, so `co_await` is not allowed in it.
#include <acm/acm.hpp>

struct Connection {
    acm::Task<void> close();  // says goodbye to the peer, which takes time

    ~Connection() {
        co_await close();  // rejected: a destructor cannot be a coroutine
    }
};
