#ifndef CSLUICE_H
#define CSLUICE_H

/// Atomic rename flags, spelled out because glibc hides them behind _GNU_SOURCE.
#define CSLUICE_RENAME_NOREPLACE (1 << 0)
#define CSLUICE_RENAME_EXCHANGE (1 << 1)

/// renameat2(2) through the raw system call; returns -1 with errno ENOSYS where unsupported.
int csluice_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// syncfs(2): flushes the filesystem holding fd; falls back to sync(2) where unavailable.
int csluice_syncfs(int fd);

/// openat2(2) resolve flags, spelled out for C libraries that lack <linux/openat2.h>.
#define CSLUICE_RESOLVE_NO_SYMLINKS 0x04
#define CSLUICE_RESOLVE_BENEATH 0x08

/// openat2(2) through the raw system call (SYS_openat2 = 437 on x86_64 and aarch64); returns -1
/// with errno ENOSYS where unsupported.
int csluice_openat2(int dirfd, const char *path, unsigned long long flags, unsigned long long mode, unsigned long long resolve);

/// The column count of the terminal on fd (ioctl TIOCGWINSZ); 0 when fd is no terminal or the size is unknown.
int csluice_terminal_columns(int fd);

/// Returns the heap's free pages to the system (glibc malloc_trim(0)); 1 when memory was
/// released, 0 when not or where unsupported.
int csluice_release_free_memory(void);

/// Makes the heap grow by at least `bytes` beyond each request (glibc mallopt(M_TOP_PAD)), so
/// that a process that allocates steadily asks the kernel for memory less often; 1 when set,
/// 0 when not or where unsupported.
int csluice_grow_heap_by(unsigned long bytes);

/// statfs(2)'s f_type of the filesystem holding path (its magic number), in *type; returns -1
/// with errno on failure. <sys/vfs.h> is not in Swift's Glibc module.
int csluice_filesystem_type(const char *path, unsigned long long *type);

/// fsetxattr(2) and fgetxattr(2); <sys/xattr.h> is not in Swift's Glibc module. Return as the
/// system calls do (-1 with errno ENOTSUP where the filesystem has no user attributes).
int csluice_fsetxattr(int fd, const char *name, const void *value, unsigned long size);
long csluice_fgetxattr(int fd, const char *name, void *value, unsigned long size);

#endif
