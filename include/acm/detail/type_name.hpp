#pragma once
// Readable type names for the trace ("Spotlight", "Closer<Door>"), so the timeline can label a
// manager without the learner naming it.
#include <string>
#include <typeinfo>

#include "acm/detail/exception_info.hpp"

namespace acm::detail {

template <class T>
std::string type_name() {
    std::string name = demangle(typeid(T).name());
    // The runtime's own namespace adds noise on a timeline label.
    for (std::string::size_type at; (at = name.find("acm::")) != std::string::npos;) name.erase(at, 5);
    return name;
}

}  // namespace acm::detail
