/* The system-call suite's helpers: each program runs in a fresh directory that is the root under Spindle
 * (--root) and the working directory under qemu-riscv64; stdin is the file stdin.txt and stdout the file
 * stdout.txt there. A program prints each call's result (or its errno's name), never anything that differs
 * between two runs of Linux itself (inode numbers, pids, clocks, host paths). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* Prints "what: result" or "what: -1 ENAME" and returns the result. */
static long show(const char *what, long r)
{
    if (r == -1) printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else printf("%s: %ld\n", what, r);
    fflush(stdout);
    return r;
}
#define T(e) show(#e, (long)(e))

/* The mode bits of path as octal (type and permissions), or the errno. */
__attribute__((unused)) static void mode_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) printf("mode %s: -1 %s\n", path, strerrorname_np(errno));
    else printf("mode %s: %o links %lu size %lld\n", path, st.st_mode, (unsigned long)st.st_nlink, (long long)st.st_size);
    fflush(stdout);
}

/* Makes a file holding text. */
__attribute__((unused)) static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0) { perror(path); exit(2); }
}
