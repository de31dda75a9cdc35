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

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_prestat_get"))) uint16_t
acm_wasi_fd_prestat_get(int32_t fd, uint32_t* prestat);  // {u8 tag; u32 name_len}

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_prestat_dir_name"))) uint16_t
acm_wasi_fd_prestat_dir_name(int32_t fd, char* name, int32_t name_len);

enum { WASI_OFLAGS_CREAT = 1, WASI_OFLAGS_TRUNC = 8, WASI_FDFLAGS_APPEND = 1, FIRST_PREOPEN = 3 };
// Ask only for plain file rights (read, write, seek, tell, sync, stat): runtimes refuse a
// path_open whose rights exceed what the preopened directory may hand out (node: ENOTCAPABLE).
static const int64_t FILE_RIGHTS = 0x1FF | 0x200000;

static const char* skip_root(const char* p) {
    for (;;) {
        if (*p == '/') ++p;
        else if (p[0] == '.' && p[1] == '/') p += 2;
        else if (p[0] == '.' && p[1] == 0) ++p;
        else return p;
    }
}

// Resolves `path` the way wasi-libc does: against the preopened directory with the longest name
// that is a prefix of it. Node's runner preopens "/" and the page preopens "/out", so
// "/out/trace.jsonl" must become "trace.jsonl" under "/out" there and "out/trace.jsonl" under "/".
static int32_t find_preopen(const char* path, const char** rest) {
    path = skip_root(path);
    int32_t best = -1;
    size_t best_len = 0;
    for (int32_t fd = FIRST_PREOPEN;; ++fd) {
        uint32_t prestat[2];
        if (acm_wasi_fd_prestat_get(fd, prestat)) break;
        char name[256];
        uint32_t len = prestat[1];
        if (len >= sizeof name || acm_wasi_fd_prestat_dir_name(fd, name, (int32_t)len)) continue;
        name[len] = 0;
        while (len && name[len - 1] == '/') name[--len] = 0;
        const char* n = skip_root(name);
        size_t n_len = strlen(n);
        if (strncmp(path, n, n_len) || (path[n_len] && path[n_len] != '/' && n_len)) continue;
        if (best < 0 || n_len > best_len) {
            best = fd;
            best_len = n_len;
        }
    }
    if (best >= 0) *rest = skip_root(path + best_len);
    return best;
}

long __syscall_open(const char* path, long flags, ...) {
    if (!strcmp(path, "/dev/stdin")) return STDIN_FILENO;
    if (!strcmp(path, "/dev/stdout")) return STDOUT_FILENO;
    if (!strcmp(path, "/dev/stderr")) return STDERR_FILENO;
    const char* rest = path;
    int32_t dir = find_preopen(path, &rest);
    if (dir < 0) return -ENOENT;
    int32_t oflags = 0, fdflags = 0, fd = -1;
    if (flags & O_CREAT) oflags |= WASI_OFLAGS_CREAT;
    if (flags & O_TRUNC) oflags |= WASI_OFLAGS_TRUNC;
    if (flags & O_APPEND) fdflags |= WASI_FDFLAGS_APPEND;
    uint16_t err = acm_wasi_path_open(dir, 1, rest, (int32_t)strlen(rest), oflags, FILE_RIGHTS, 0, fdflags, &fd);
    return err ? -(long)err : fd;
}
