/* Appel and Li's virtual-memory benchmarks done the Unix way: mprotect and a SIGSEGV handler.
 * Rows (nanoseconds per operation, suffix argv[3]):
 *   vm-fault     touch a read-protected page; the handler unprotects it (per fault)
 *   vm-trap      touch a protected page; the handler returns to the program with longjmp,
 *                changing no protection (the bare fault-to-handler-and-back cost)
 *   vm-prot1     read-protect one page
 *   vm-prot100   read-protect 100 pages in one call
 *   vm-unprot100 unprotect 100 pages in one call
 *   vm-appel1    touch a protected page; the handler unprotects it and protects another
 *   vm-appel2    protect 100 pages, touch each, the handler unprotects it (per page)
 * (vm-dirty has no Unix interface; the paper reports none for OSF/1 and Mach.)
 * usage: appel_signal [OPERATIONS] [REPETITIONS] [SUFFIX] */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "benchtime.h"

#define PAGES 100

static char *region;
static long page;
static jmp_buf back;
static enum { UNPROTECT, LONGJMP, APPEL1 } mode;
static volatile char *last;   /* appel1: the page that was unprotected last */

/* Protects or unprotects COUNT pages from P, or exits with the error. */
static void protect(volatile char *p, long count, int prot)
{
    if (mprotect((void *)p, count * page, prot)) fail("mprotect", errno);
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)context;
    char *p = (char *)((uintptr_t)info->si_addr & ~(uintptr_t)(page - 1));
    if (p < region || p >= region + PAGES * page) { signal(SIGSEGV, SIG_DFL); return; }
    switch (mode) {
    case UNPROTECT: protect(p, 1, PROT_READ | PROT_WRITE); break;
    case LONGJMP: longjmp(back, 1);
    case APPEL1:
        protect(p, 1, PROT_READ | PROT_WRITE);
        if (last) protect(last, 1, PROT_READ);
        last = p;
        break;
    }
}

static void touch(long i) { ((volatile char *)region)[(i % PAGES) * page] += 1; }

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 1, 2000), reps = arg_count(argc, argv, 2, 5);
    const char *sfx = argc > 3 ? argv[3] : "";
    char row[64];
    page = sysconf(_SC_PAGESIZE);
    region = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) fail("mmap", errno);
    memset(region, 1, PAGES * page);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;   /* NODEFER: the trap test leaves the handler by longjmp */
    if (sigaction(SIGSEGV, &sa, NULL)) fail("sigaction", errno);
    long rounds = (n + PAGES - 1) / PAGES;     /* whole passes over the 100 pages */

    for (long r = 0; r <= reps; r++) {         /* repetition 0 is the warm-up */
        long long fault = 0, trap = 0, prot1 = 0, prot100 = 0, unprot100 = 0, appel1 = 0, appel2 = 0, t;
        for (long k = 0; k < rounds; k++) {
            t = now_ns(); protect(region, PAGES, PROT_READ); prot100 += now_ns() - t;
            mode = UNPROTECT;
            t = now_ns(); for (long i = 0; i < PAGES; i++) touch(i); fault += now_ns() - t;

            t = now_ns(); for (long i = 0; i < PAGES; i++) protect(region + i * page, 1, PROT_READ); prot1 += now_ns() - t;
            t = now_ns(); protect(region, PAGES, PROT_READ | PROT_WRITE); unprot100 += now_ns() - t;

            protect(region, PAGES, PROT_READ);
            mode = LONGJMP;
            t = now_ns();
            for (volatile long i = 0; i < PAGES; i++)
                if (!setjmp(back)) touch(i);
            trap += now_ns() - t;

            mode = APPEL1;
            last = NULL;
            t = now_ns(); for (long i = 0; i < PAGES; i++) touch(i); appel1 += now_ns() - t;
            protect(region, PAGES, PROT_READ | PROT_WRITE);

            mode = UNPROTECT;
            t = now_ns();
            protect(region, PAGES, PROT_READ);
            for (long i = 0; i < PAGES; i++) touch(i);
            appel2 += now_ns() - t;
        }
        if (r == 0) continue;
        long ops = rounds * PAGES;
#define ROW(name, v, count) snprintf(row, sizeof row, "%s%s", name, sfx), report(row, v, count)
        ROW("vm-fault", fault, ops);
        ROW("vm-trap", trap, ops);
        ROW("vm-prot1", prot1, ops);
        ROW("vm-prot100", prot100, rounds);
        ROW("vm-unprot100", unprot100, rounds);
        ROW("vm-appel1", appel1, ops);
        ROW("vm-appel2", appel2, ops);
    }
    return 0;
}
