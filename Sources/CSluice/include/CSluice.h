#ifndef CSLUICE_H
#define CSLUICE_H

/// Atomic rename flags, spelled out because glibc hides them behind _GNU_SOURCE.
#define CSLUICE_RENAME_NOREPLACE (1 << 0)
#define CSLUICE_RENAME_EXCHANGE (1 << 1)

/// renameat2(2) through the raw system call; returns -1 with errno ENOSYS where unsupported.
int csluice_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// syncfs(2): flushes the filesystem holding fd; falls back to sync(2) where unavailable.
int csluice_syncfs(int fd);

/// The column count of the terminal on fd (ioctl TIOCGWINSZ); 0 when fd is no terminal or the size is unknown.
int csluice_terminal_columns(int fd);

#endif
