/* mmap_anon: anonymous private mappings are zero-filled and writable; munmap makes them fault; MAP_FIXED
 * replaces part of a mapping; mprotect takes write access away (checked through mincore-free means: a
 * child that writes dies of SIGSEGV); madvise(MADV_DONTNEED) zeroes private anonymous pages. */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

#define SIZE (1 << 20)

/* Returns 1 iff n bytes at p are all v. */
static int all(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++) if (p[i] != v) return 0;
    return 1;
}

/* Forks a child that stores to p; returns the signal that killed it (0 if it survived). */
static int store_in_child(volatile char *p)
{
    pid_t c = checked_fork();
    if (c == 0) { *p = 1; _exit(0); }
    int st;
    waitpid(c, &st, 0);
    return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

int main(void)
{
    unsigned char *m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_true("mmap", m != MAP_FAILED);
    check_true("page aligned", ((unsigned long)m & 4095) == 0);
    check_true("zero filled", all(m, SIZE, 0));
    unsigned long long sum = 0;
    for (size_t i = 0; i < SIZE; i++) m[i] = (unsigned char)(i * 7);
    for (size_t i = 0; i < SIZE; i++) sum += m[i];
    check_u64("pattern sum", sum, 133693440);

    unsigned char *f = mmap(m + 8192, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check_true("MAP_FIXED lands where asked", f == m + 8192);
    check_true("and is fresh", all(f, 4096, 0));
    check_u64("neighbour untouched", m[8191], (unsigned char)(8191 * 7));

    check_u64("madvise DONTNEED", madvise(m, 4096, MADV_DONTNEED), 0);
    check_true("zeroed", all(m, 4096, 0));

    check_u64("mprotect read-only", mprotect(m + 4096, 4096, PROT_READ), 0);
    check_u64("a store to it kills with SIGSEGV", store_in_child((char *)m + 4096), SIGSEGV);
    check_u64("the page before stays writable", store_in_child((char *)m + 4095), 0);

    check_u64("munmap", munmap(m + SIZE / 2, SIZE / 2), 0);
    check_u64("unmapped half faults", store_in_child((char *)m + SIZE / 2), SIGSEGV);
    check_u64("first half remains", m[SIZE / 2 - 1], (unsigned char)((SIZE / 2 - 1) * 7));
    check_u64("munmap rest", munmap(m, SIZE / 2), 0);
    return check_done("mmap_anon");
}
