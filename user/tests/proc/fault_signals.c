/* fault_signals: SIGSEGV from real faults. A store to a read-only page runs a SA_SIGINFO handler that
 * sees si_addr and SEGV_ACCERR, mprotects the page writable and returns, so the store is retried and
 * succeeds. A load from an unmapped page (SEGV_MAPERR) is escaped with siglongjmp. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include "../check.h"

static char *volatile page;
static void *volatile fault_addr;
static volatile int faults, fault_code;
static sigjmp_buf escape;

/* Makes the faulting page writable, or leaves through escape when the fault was not on page. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    faults++;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    if ((char *)si->si_addr >= page && (char *)si->si_addr < page + 4096)
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
    else
        siglongjmp(escape, 1);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *(volatile char *)(page + 100) = 42;  /* faults once, then retried by the hardware after the handler returns */
    check_u64("faults", faults, 1);
    check_true("si_addr is the store's address", fault_addr == page + 100);
    check_u64("si_code SEGV_ACCERR", fault_code, SEGV_ACCERR);
    check_u64("the store landed", page[100], 42);
    *(volatile char *)(page + 200) = 7;
    check_u64("no second fault once writable", faults, 1);

    char *hole = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole, 4096);
    volatile int got = 0;
    if (sigsetjmp(escape, 1) == 0) {
        got = *(volatile char *)(hole + 8);
        check_true("unreachable", 0);
    }
    check_u64("faults", faults, 2);
    check_true("si_addr is the load's address", fault_addr == hole + 8);
    check_u64("si_code SEGV_MAPERR", fault_code, SEGV_MAPERR);
    (void)got;

    /* The mask was restored by siglongjmp: a third fault is delivered too. */
    if (sigsetjmp(escape, 1) == 0) *(volatile char *)(hole + 16) = 1;
    check_u64("faults after the escape", faults, 3);
    return check_done("fault_signals");
}
