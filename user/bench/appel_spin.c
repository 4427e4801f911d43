/* Appel and Li's virtual-memory benchmarks done SPIN's way: the program loads an extension
 * (extensions/Examples/PageProtect.cs, system call 1000) that changes its page rights, resolves its
 * protection faults and reads its dirty bits in the kernel through the Translation service; no signal
 * is delivered. Rows (nanoseconds per operation, as appel_signal.c):
 *   vm-dirty     ask whether a page is dirty (call 1012)
 *   vm-fault     touch a read-protected page; the extension's fault handler unprotects it (per fault)
 *   vm-trap      the same fault taken to the extension's handler and back: a resolved fault runs the
 *                instruction again, so the cheapest resolution is unprotecting (the page is re-protected
 *                between passes, untimed); the program cannot longjmp past it as appel_signal does
 *   vm-prot1     read-protect one page (call 1010)
 *   vm-prot100   read-protect 100 pages in one call
 *   vm-unprot100 unprotect 100 pages in one call
 *   vm-appel1    touch a protected page; the handler unprotects it and protects the one before
 *   vm-appel2    protect 100 pages, touch each, the handler unprotects it (per page)
 * Runs on Spindle only; checks at the end that the calls refuse bad input, that the handler resolved every
 * fault, that the dirty bit follows writes, and that with the handler off a protected page faults.
 * usage: appel_spin EXTENSION [OPERATIONS] [REPETITIONS] */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "benchtime.h"
#include "spindle.h"

#define PAGES 100
#define SYS_page_protect 1010
#define SYS_fault_mode 1011
#define SYS_page_dirty 1012
enum { MODE_OFF, MODE_UNPROTECT, MODE_APPEL1 };

static char *region;
static long page;
static volatile int faulted;

/* The extension's calls: a0 is -ENOSYS, so a call no extension answers fails with ENOSYS. */
static long ext_call(long number, long a1, long a2, long a3) { return syscall(number, -(long)ENOSYS, a1, a2, a3); }

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
    if (ext_call(SYS_page_protect, (long)p, count * page, prot)) fail("page_protect (call 1010)", errno);
}

/* Sets the extension's fault handling for the region; returns the faults it resolved since the last call. */
static long fault_mode(int mode)
{
    long resolved = ext_call(SYS_fault_mode, (long)region, PAGES * page, mode);
    if (resolved < 0) fail("fault_mode (call 1011)", errno);
    return resolved;
}

static long dirty(long i, int clear) { return ext_call(SYS_page_dirty, (long)(region + i * page), clear, 0); }

static void touch(long i) { ((volatile char *)region)[(i % PAGES) * page] += 1; }

/* Exits with MESSAGE unless the handler resolved exactly EXPECTED faults since the last fault_mode call. */
static void expect_resolved(long expected, int next_mode, const char *message)
{
    if (fault_mode(next_mode) != expected) fail(message, EFAULT);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "error usage: appel_spin EXTENSION [OPERATIONS] [REPETITIONS]\n"); return 1; }
    long n = arg_count(argc, argv, 2, 2000), reps = arg_count(argc, argv, 3, 5);
    if (spindle_ext_load(argv[1]) < 0) fail(argv[1], errno);
    page = sysconf(_SC_PAGESIZE);
    region = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) fail("mmap", errno);
    memset(region, 1, PAGES * page);
    long rounds = (n + PAGES - 1) / PAGES;   /* whole passes over the 100 pages */

    for (long r = 0; r <= reps; r++) {       /* repetition 0 is the warm-up */
        long long dirt = 0, fault = 0, trap = 0, prot1 = 0, prot100 = 0, unprot100 = 0, appel1 = 0, appel2 = 0, t;
        for (long k = 0; k < rounds; k++) {
            t = now_ns(); for (long i = 0; i < PAGES; i++) (void)dirty(i, 0); dirt += now_ns() - t;

            t = now_ns(); protect(region, PAGES, PROT_READ); prot100 += now_ns() - t;
            fault_mode(MODE_UNPROTECT);
            t = now_ns(); for (long i = 0; i < PAGES; i++) touch(i); fault += now_ns() - t;
            expect_resolved(PAGES, MODE_OFF, "vm-fault: the handler did not resolve every fault");

            t = now_ns(); for (long i = 0; i < PAGES; i++) protect(region + i * page, 1, PROT_READ); prot1 += now_ns() - t;
            t = now_ns(); protect(region, PAGES, PROT_READ | PROT_WRITE); unprot100 += now_ns() - t;

            protect(region, PAGES, PROT_READ);
            fault_mode(MODE_UNPROTECT);
            t = now_ns(); for (long i = 0; i < PAGES; i++) touch(i); trap += now_ns() - t;
            expect_resolved(PAGES, MODE_APPEL1, "vm-trap: the handler did not resolve every fault");

            protect(region, PAGES, PROT_READ);
            t = now_ns(); for (long i = 0; i < PAGES; i++) touch(i); appel1 += now_ns() - t;
            expect_resolved(PAGES, MODE_UNPROTECT, "vm-appel1: the handler did not resolve every fault");
            protect(region, PAGES, PROT_READ | PROT_WRITE);

            t = now_ns();
            protect(region, PAGES, PROT_READ);
            for (long i = 0; i < PAGES; i++) touch(i);
            appel2 += now_ns() - t;
            expect_resolved(PAGES, MODE_OFF, "vm-appel2: the handler did not resolve every fault");
        }
        if (r == 0) continue;
        long ops = rounds * PAGES;
        report("vm-dirty", dirt, ops);
        report("vm-fault", fault, ops);
        report("vm-trap", trap, ops);
        report("vm-prot1", prot1, ops);
        report("vm-prot100", prot100, rounds);
        report("vm-unprot100", unprot100, rounds);
        report("vm-appel1", appel1, ops);
        report("vm-appel2", appel2, ops);
    }
    /* Self-check: bad input is refused, the dirty bit follows writes, and with the handler off a page
     * read-protected through the extension faults on a write (delivered as SIGSEGV). */
    if (ext_call(SYS_page_protect, (long)(region + 1), page, PROT_READ) != -1 || errno != EINVAL)
        fail("page_protect accepted an unaligned address", EINVAL);
    if (ext_call(SYS_fault_mode, (long)region, page, 7) != -1 || errno != EINVAL)
        fail("fault_mode accepted a bad mode", EINVAL);
    if (dirty(0, 1) != 1 || dirty(0, 0) != 0) fail("page_dirty: a written page was not dirty, or clearing failed", EFAULT);
    touch(0);
    if (dirty(0, 0) != 1) fail("page_dirty: a write did not set the dirty bit", EFAULT);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSEGV, &sa, NULL)) fail("sigaction", errno);
    protect(region, 1, PROT_READ);
    *(volatile char *)region = 2;
    if (!faulted) fail("page_protect did not protect: a write to the page did not fault", EFAULT);
    return 0;
}
