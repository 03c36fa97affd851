// Crash-point shim for scripts/crashpoints (LD_PRELOAD; built by ./run with the toolchain's clang).
//
// strace counts `inject=…:when=K` per thread, and sluice's work moves between the threads of
// Swift's cooperative pool (two on this machine whatever the affinity), so per-thread counting
// cannot reach every call. This shim counts one syscall's calls across every thread of the
// sluice process with one atomic counter, and at the K-th call kills the process (SIGKILL, before
// the call is made) or fails it (returns -1 with the errno asked for, the call not made).
//
// Environment (read once, then removed so that git and hooks never see it):
//   CRASHPOINT_EXE     absolute path of the executable to act in (any other process: inert)
//   CRASHPOINT_CALL    the syscall counted: rename renameat renameat2 fsync fdatasync syncfs sync
//                      write pwrite64 writev unlink unlinkat rmdir mkdir mkdirat link linkat
//                      symlink symlinkat openat
//   CRASHPOINT_K       the call to act on (1-based; 0: count only)
//   CRASHPOINT_SITE    instead of K: act on the first call whose site matches this fnmatch(3)
//                      pattern (a site the K enumeration missed because the order of
//                      concurrent updates differs from run to run)
//   CRASHPOINT_ERRNO   0: SIGKILL; otherwise the errno to fail the call with (5 EIO, 24 EMFILE)
//   CRASHPOINT_LOG     a file: one line per counted call, "<n> <site>", and "INJECTED <n> <site>";
//                      a site is the call with its paths, a descriptor shown as <path>
//
// Every libc entry point that reaches a counted syscall is wrapped, and so is syscall(2) (Sluice
// calls renameat2, syncfs and openat2 through it). Calls libc makes to itself internally (stdio's
// writes, fopen's open) do not go through these symbols; ./run checks the count against an
// strace of the same run, so such a call shows as a difference instead of being missed silently.
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static char counted[16];
static long target;
static char *pattern;
static int failure;
static int logfd = -1;
static pid_t owner;
static atomic_long calls;
static atomic_int matched;

static long (*real_syscall)(long, ...);

static long raw(long n, long a, long b, long c, long d, long e, long f) {
    if (!real_syscall) real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    return real_syscall(n, a, b, c, d, e, f);
}

__attribute__((constructor)) static void crashpoint_init(void) {
    const char *exe = getenv("CRASHPOINT_EXE"), *call = getenv("CRASHPOINT_CALL");
    const char *k = getenv("CRASHPOINT_K"), *err = getenv("CRASHPOINT_ERRNO"), *log = getenv("CRASHPOINT_LOG");
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (!exe || !call || !log || n <= 0) return;
    self[n] = 0;
    if (strcmp(self, exe) != 0) return;          // taskset, strace: leave the environment for sluice
    snprintf(counted, sizeof counted, "%s", call);
    target = k ? atol(k) : 0;
    const char *site = getenv("CRASHPOINT_SITE");
    if (site && *site) pattern = strdup(site);
    failure = err ? atoi(err) : 0;
    logfd = (int)raw(SYS_openat, AT_FDCWD, (long)log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644, 0, 0);
    owner = getpid();
    unsetenv("LD_PRELOAD");
    unsetenv("CRASHPOINT_EXE");
    unsetenv("CRASHPOINT_CALL");
    unsetenv("CRASHPOINT_K");
    unsetenv("CRASHPOINT_ERRNO");
    unsetenv("CRASHPOINT_LOG");
    unsetenv("CRASHPOINT_SITE");
}

static void text(char *out, size_t size, size_t *used, const char *s) {
    while (*s && *used + 1 < size) out[(*used)++] = *s++;
    out[*used] = 0;
}

static void quoted(char *out, size_t size, size_t *used, const char *path) {
    text(out, size, used, "\"");
    text(out, size, used, path ? path : "(null)");
    text(out, size, used, "\"");
}

static void dirfd_(char *out, size_t size, size_t *used, int fd) {
    if (fd == AT_FDCWD) { text(out, size, used, "AT_FDCWD"); return; }
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    text(out, size, used, "<");
    text(out, size, used, path);
    text(out, size, used, ">");
}

/// Counts one call of `name` when it is the counted syscall; acts when it is the K-th.
/// Returns 1 when the call must fail with errno set (the call is not made).
static int crashpoint(const char *name, const char *site) {
    if (logfd < 0 || strcmp(name, counted) != 0 || getpid() != owner) return 0;
    long n = atomic_fetch_add(&calls, 1) + 1;
    char line[PATH_MAX * 2 + 96];
    int hit = pattern ? fnmatch(pattern, site, 0) == 0 && !atomic_exchange(&matched, 1) : target > 0 && n == target;
    int len = snprintf(line, sizeof line, "%s%ld %s\n", hit ? "INJECTED " : "", n, site);
    if (len > (int)sizeof line - 1) { len = (int)sizeof line - 1; line[len - 1] = '\n'; }
    raw(SYS_write, logfd, (long)line, len, 0, 0, 0);
    if (!hit) return 0;
    if (failure == 0) {
        raw(SYS_kill, owner, SIGKILL, 0, 0, 0, 0);
        for (;;) pause();
    }
    errno = failure;
    return 1;
}

#define SITE char site[PATH_MAX * 2 + 64]; size_t used = 0; site[0] = 0
#define REAL(type, name, ...) static type (*real)(__VA_ARGS__); if (!real) real = (type (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

static int paths2(const char *name, int d1, const char *a, int d2, const char *b, const char *flags) {
    if (logfd < 0 || strcmp(name, counted) != 0) return 0;
    SITE;
    text(site, sizeof site, &used, name);
    text(site, sizeof site, &used, "(");
    if (d1 != INT_MIN) { dirfd_(site, sizeof site, &used, d1); text(site, sizeof site, &used, ", "); }
    quoted(site, sizeof site, &used, a);
    if (b) {
        text(site, sizeof site, &used, ", ");
        if (d2 != INT_MIN) { dirfd_(site, sizeof site, &used, d2); text(site, sizeof site, &used, ", "); }
        quoted(site, sizeof site, &used, b);
    }
    if (flags) { text(site, sizeof site, &used, ", "); text(site, sizeof site, &used, flags); }
    text(site, sizeof site, &used, ")");
    return crashpoint(name, site);
}

static int descriptor(const char *name, int fd) {
    if (logfd < 0 || strcmp(name, counted) != 0) return 0;
    SITE;
    text(site, sizeof site, &used, name);
    text(site, sizeof site, &used, "(");
    dirfd_(site, sizeof site, &used, fd);
    text(site, sizeof site, &used, ")");
    return crashpoint(name, site);
}

static const char *rename_flags(unsigned int flags) {
    if (flags == 0) return "0";
    if (flags == 1) return "RENAME_NOREPLACE";
    if (flags == 2) return "RENAME_EXCHANGE";
    return "RENAME_OTHER";
}

int rename(const char *a, const char *b) {
    REAL(int, "rename", const char *, const char *);
    return paths2("rename", INT_MIN, a, INT_MIN, b, NULL) ? -1 : real(a, b);
}
int renameat(int d1, const char *a, int d2, const char *b) {
    REAL(int, "renameat", int, const char *, int, const char *);
    return paths2("renameat", d1, a, d2, b, NULL) ? -1 : real(d1, a, d2, b);
}
int renameat2(int d1, const char *a, int d2, const char *b, unsigned int flags) {
    REAL(int, "renameat2", int, const char *, int, const char *, unsigned int);
    return paths2("renameat2", d1, a, d2, b, rename_flags(flags)) ? -1 : real(d1, a, d2, b, flags);
}
int fsync(int fd) { REAL(int, "fsync", int); return descriptor("fsync", fd) ? -1 : real(fd); }
int fdatasync(int fd) { REAL(int, "fdatasync", int); return descriptor("fdatasync", fd) ? -1 : real(fd); }
int syncfs(int fd) { REAL(int, "syncfs", int); return descriptor("syncfs", fd) ? -1 : real(fd); }
void sync(void) {
    REAL(void, "sync", void);
    if (!paths2("sync", INT_MIN, "", INT_MIN, NULL, NULL)) real();
}
ssize_t write(int fd, const void *buf, size_t n) {
    REAL(ssize_t, "write", int, const void *, size_t);
    return descriptor("write", fd) ? -1 : real(fd, buf, n);
}
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at) {
    REAL(ssize_t, "pwrite64", int, const void *, size_t, off_t);
    return descriptor("pwrite64", fd) ? -1 : real(fd, buf, n, at);
}
ssize_t pwrite(int fd, const void *buf, size_t n, off_t at) {
    REAL(ssize_t, "pwrite", int, const void *, size_t, off_t);
    return descriptor("pwrite64", fd) ? -1 : real(fd, buf, n, at);
}
ssize_t writev(int fd, const struct iovec *iov, int count) {
    REAL(ssize_t, "writev", int, const struct iovec *, int);
    return descriptor("writev", fd) ? -1 : real(fd, iov, count);
}
int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) {
    REAL(int, "fsetxattr", int, const char *, const void *, size_t, int);
    return descriptor("fsetxattr", fd) ? -1 : real(fd, name, value, size, flags);
}
int unlink(const char *a) { REAL(int, "unlink", const char *); return paths2("unlink", INT_MIN, a, INT_MIN, NULL, NULL) ? -1 : real(a); }
int unlinkat(int d, const char *a, int flags) {
    REAL(int, "unlinkat", int, const char *, int);
    return paths2("unlinkat", d, a, INT_MIN, NULL, flags ? "AT_REMOVEDIR" : "0") ? -1 : real(d, a, flags);
}
int rmdir(const char *a) { REAL(int, "rmdir", const char *); return paths2("rmdir", INT_MIN, a, INT_MIN, NULL, NULL) ? -1 : real(a); }
int mkdir(const char *a, mode_t m) { REAL(int, "mkdir", const char *, mode_t); return paths2("mkdir", INT_MIN, a, INT_MIN, NULL, NULL) ? -1 : real(a, m); }
int mkdirat(int d, const char *a, mode_t m) {
    REAL(int, "mkdirat", int, const char *, mode_t);
    return paths2("mkdirat", d, a, INT_MIN, NULL, NULL) ? -1 : real(d, a, m);
}
int link(const char *a, const char *b) { REAL(int, "link", const char *, const char *); return paths2("link", INT_MIN, a, INT_MIN, b, NULL) ? -1 : real(a, b); }
int linkat(int d1, const char *a, int d2, const char *b, int flags) {
    REAL(int, "linkat", int, const char *, int, const char *, int);
    return paths2("linkat", d1, a, d2, b, NULL) ? -1 : real(d1, a, d2, b, flags);
}
int symlink(const char *a, const char *b) { REAL(int, "symlink", const char *, const char *); return paths2("symlink", INT_MIN, a, INT_MIN, b, NULL) ? -1 : real(a, b); }
int symlinkat(const char *a, int d, const char *b) {
    REAL(int, "symlinkat", const char *, int, const char *);
    return paths2("symlinkat", INT_MIN, a, d, b, NULL) ? -1 : real(a, d, b);
}

static mode_t mode_of(int flags, va_list args) {
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(args, int) : 0;
}
int open(const char *a, int flags, ...) {
    va_list args; va_start(args, flags); mode_t m = mode_of(flags, args); va_end(args);
    REAL(int, "open", const char *, int, ...);
    return paths2("openat", AT_FDCWD, a, INT_MIN, NULL, NULL) ? -1 : real(a, flags, m);
}
int open64(const char *a, int flags, ...) {
    va_list args; va_start(args, flags); mode_t m = mode_of(flags, args); va_end(args);
    REAL(int, "open64", const char *, int, ...);
    return paths2("openat", AT_FDCWD, a, INT_MIN, NULL, NULL) ? -1 : real(a, flags, m);
}
int openat(int d, const char *a, int flags, ...) {
    va_list args; va_start(args, flags); mode_t m = mode_of(flags, args); va_end(args);
    REAL(int, "openat", int, const char *, int, ...);
    return paths2("openat", d, a, INT_MIN, NULL, NULL) ? -1 : real(d, a, flags, m);
}
int openat64(int d, const char *a, int flags, ...) {
    va_list args; va_start(args, flags); mode_t m = mode_of(flags, args); va_end(args);
    REAL(int, "openat64", int, const char *, int, ...);
    return paths2("openat", d, a, INT_MIN, NULL, NULL) ? -1 : real(d, a, flags, m);
}

DIR *opendir(const char *a) {
    REAL(DIR *, "opendir", const char *);
    return paths2("openat", AT_FDCWD, a, INT_MIN, NULL, NULL) ? NULL : real(a);
}

long syscall(long number, ...) {
    va_list args;
    va_start(args, number);
    long a = va_arg(args, long), b = va_arg(args, long), c = va_arg(args, long);
    long d = va_arg(args, long), e = va_arg(args, long), f = va_arg(args, long);
    va_end(args);
    int fail = 0;
    if (number == SYS_renameat2) fail = paths2("renameat2", (int)a, (const char *)b, (int)c, (const char *)d, rename_flags((unsigned int)e));
    else if (number == SYS_syncfs) fail = descriptor("syncfs", (int)a);
    else if (number == SYS_fsync) fail = descriptor("fsync", (int)a);
    else if (number == SYS_fdatasync) fail = descriptor("fdatasync", (int)a);
#ifdef SYS_openat2
    else if (number == SYS_openat2) fail = paths2("openat", (int)a, (const char *)b, INT_MIN, NULL, NULL);
#endif
    if (fail) return -1;
    return raw(number, a, b, c, d, e, f);
}
