// Lets Emscripten standalone-WASI test programs open files (doctest's --out=FILE, ACM_TRACE=FILE).
//
// Why this exists: Emscripten 3.1.6's standalone mode supports only the standard streams; its
// __syscall_open is a weak stub that refuses every other path. This strong definition forwards
// to WASI's path_open on the first preopened directory (fd 3), which is what node:wasi and the
// page's WASI shim both provide. Linked only into Emscripten builds.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) uint16_t
acm_wasi_path_open(int32_t dirfd, int32_t dirflags, const char* path, int32_t path_len, int32_t oflags,
                   int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t* opened);

enum { WASI_OFLAGS_CREAT = 1, WASI_OFLAGS_TRUNC = 8, WASI_FDFLAGS_APPEND = 1, FIRST_PREOPEN = 3 };
// Ask only for plain file rights (read, write, seek, tell, sync, stat): runtimes refuse a
// path_open whose rights exceed what the preopened directory may hand out (node: ENOTCAPABLE).
static const int64_t FILE_RIGHTS = 0x1FF | 0x200000;

long __syscall_open(const char* path, long flags, ...) {
    if (!strcmp(path, "/dev/stdin")) return STDIN_FILENO;
    if (!strcmp(path, "/dev/stdout")) return STDOUT_FILENO;
    if (!strcmp(path, "/dev/stderr")) return STDERR_FILENO;
    // The preopened directory is the root of what the program sees: "/out/x" and "out/x" alike.
    while (*path == '/') ++path;
    int32_t oflags = 0, fdflags = 0, fd = -1;
    if (flags & O_CREAT) oflags |= WASI_OFLAGS_CREAT;
    if (flags & O_TRUNC) oflags |= WASI_OFLAGS_TRUNC;
    if (flags & O_APPEND) fdflags |= WASI_FDFLAGS_APPEND;
    uint16_t err = acm_wasi_path_open(FIRST_PREOPEN, 1, path, (int32_t)strlen(path), oflags, FILE_RIGHTS, 0, fdflags, &fd);
    return err ? -(long)err : fd;
}
