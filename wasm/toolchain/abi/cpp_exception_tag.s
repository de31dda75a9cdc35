# The wasm exception tag every C++ throw/catch refers to. Emscripten emits it from its JS glue;
# a plain WASI link has no glue, so the runtime library has to define it.
	.globl	__cpp_exception
	.tagtype	__cpp_exception i32
__cpp_exception:
