/* Appel and Li's protection benchmarks done SPIN's way: the program loads an extension
 * (extensions/Examples/PageProtect.cs, system call 1000) whose call 1010 changes its page rights
 * in the kernel. Rows (nanoseconds per operation, as appel_signal.c):
 *   vm-prot1     read-protect one page
 *   vm-prot100   read-protect 100 pages in one call
 *   vm-unprot100 unprotect 100 pages in one call
 * Runs on Spindle only; checks at the end that the call refuses bad input and really protects.
 * usage: appel_spin EXTENSION [OPERATIONS] [REPETITIONS] */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "benchtime.h"
#include "spindle.h"

#define PAGES 100
#define SYS_page_protect 1010

static long page;
static volatile int faulted;

/* The self-check's SIGSEGV handler: notes the fault and lets the write through. */
static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)context;
    faulted = 1;
    mprotect((void *)((uintptr_t)info->si_addr & ~(uintptr_t)(page - 1)), page, PROT_READ | PROT_WRITE);
}

/* Sets the rights of COUNT pages from P through the extension, or exits with the error. */
static void protect(char *p, long count, int prot)
{
    if (syscall(SYS_page_protect, 0, p, count * page, prot)) fail("page_protect (call 1010)", errno);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "error usage: appel_spin EXTENSION [OPERATIONS] [REPETITIONS]\n"); return 1; }
    long n = arg_count(argc, argv, 2, 2000), reps = arg_count(argc, argv, 3, 5);
    if (spindle_ext_load(argv[1]) < 0) fail(argv[1], errno);
    page = sysconf(_SC_PAGESIZE);
    char *region = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) fail("mmap", errno);
    memset(region, 1, PAGES * page);
    long rounds = (n + PAGES - 1) / PAGES;   /* whole passes over the 100 pages */

    for (long r = 0; r <= reps; r++) {       /* repetition 0 is the warm-up */
        long long prot1 = 0, prot100 = 0, unprot100 = 0, t;
        for (long k = 0; k < rounds; k++) {
            t = now_ns(); protect(region, PAGES, PROT_READ); prot100 += now_ns() - t;
            t = now_ns(); protect(region, PAGES, PROT_READ | PROT_WRITE); unprot100 += now_ns() - t;
            t = now_ns(); for (long i = 0; i < PAGES; i++) protect(region + i * page, 1, PROT_READ); prot1 += now_ns() - t;
            protect(region, PAGES, PROT_READ | PROT_WRITE);
        }
        if (r == 0) continue;
        report("vm-prot1", prot1, rounds * PAGES);
        report("vm-prot100", prot100, rounds);
        report("vm-unprot100", unprot100, rounds);
    }
    /* Self-check: bad input is refused, and a page read-protected through the extension faults on a write. */
    if (syscall(SYS_page_protect, 0, region + 1, page, PROT_READ) != -1 || errno != EINVAL)
        fail("page_protect accepted an unaligned address", EINVAL);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSEGV, &sa, NULL)) fail("sigaction", errno);
    protect(region, 1, PROT_READ);
    *(volatile char *)region = 2;
    if (!faulted) fail("page_protect did not protect: a write to the page did not fault", EFAULT);
    return 0;
}
