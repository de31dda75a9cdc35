// Compiled in place of libc++abi's cxa_exception.cpp. libc++ 22's std::make_exception_ptr calls
// __cxa_init_primary_exception, which libc++abi 13 predates. It needs the file-local helpers of
// cxa_exception.cpp, so we include that file whole and add the function after it.
#include "cxa_exception.cpp"

namespace __cxxabiv1 {
extern "C" _LIBCXXABI_FUNC_VIS __cxa_exception*
__cxa_init_primary_exception(void* object, std::type_info* tinfo, void* (*dest)(void*)) throw() {
  // Same header set-up as __cxa_throw, minus raising and the uncaught count: the exception is
  // only stored in an exception_ptr, never in flight, so it starts with no owners.
  __cxa_exception* header = cxa_exception_from_thrown_object(object);
  header->referenceCount = 0;
  header->unexpectedHandler = std::get_unexpected();
  header->terminateHandler = std::get_terminate();
  header->exceptionType = tinfo;
  header->exceptionDestructor = dest;
  setOurExceptionClass(&header->unwindHeader);
  header->unwindHeader.exception_cleanup = exception_cleanup_func;
  return header;
}
} // namespace __cxxabiv1
