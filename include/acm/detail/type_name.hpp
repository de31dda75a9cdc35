#pragma once
// Readable type names for the trace ("Spotlight", "Closer<Door>"), so the timeline can label a
// manager without the learner naming it.
#include <string>
#include <string_view>
#include <typeinfo>

#include "acm/detail/exception_info.hpp"

namespace acm::detail {

template <class T>
std::string type_name() {
    std::string name = demangle(typeid(T).name());
    // The runtime's own namespace and anonymous namespaces add noise on a timeline label.
    for (std::string_view noise : {"(anonymous namespace)::", "acm::"})
        for (std::string::size_type at; (at = name.find(noise)) != std::string::npos;) name.erase(at, noise.size());
    return name;
}

}  // namespace acm::detail
