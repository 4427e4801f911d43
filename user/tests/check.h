/* check.h: tiny self-checking helpers shared by the differential corpus.
 * Every check prints its value (so that qemu and Spindle are compared on it) and, when the value
 * differs from the one RISC-V / C defines, a FAIL line. check_done() returns the exit status. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>

static int check_failures;

/* Prints what = got, and records a failure unless got == want. */
static inline void check_u64(const char *what, unsigned long long got, unsigned long long want)
{
    printf("%s = %#llx\n", what, got);
    if (got != want) {
        printf("FAIL %s: want %#llx\n", what, want);
        check_failures++;
    }
}

/* Records a failure unless cond holds; prints the verdict either way. */
static inline void check_true(const char *what, int cond)
{
    printf("%s: %s\n", what, cond ? "ok" : "FAIL");
    if (!cond) check_failures++;
}

/* Prints the summary line; returns the process exit status (0 iff every check passed). */
static inline int check_done(const char *name)
{
    printf("%s: %d failure%s\n", name, check_failures, check_failures == 1 ? "" : "s");
    return check_failures ? 1 : 0;
}

/* A deterministic 64-bit generator (splitmix64), identical on every platform. */
static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;
static inline unsigned long long rng_next(void)
{
    unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
#endif
