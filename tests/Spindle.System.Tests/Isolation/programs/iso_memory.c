/* iso_memory: address spaces are private and the kernel is out of reach.
 * - A page inherited across fork (copy-on-write) and a page each process maps afresh at the same virtual
 *   address: the child and the parent each write their own secret, then each reads back only its own.
 * - The child reading a page the parent mapped after fork gets SIGSEGV (its handler reports and exits 42).
 * - Loads and stores at kernel addresses (at and above the user limit 2^38, and the top half) fault with
 *   SIGSEGV at that address; the signal trampoline page (0x3f_ffff_f000) is readable but a store faults.
 * - System calls given kernel or trampoline pointers answer EFAULT instead of reading or writing there.
 * - process_vm_readv/writev and ptrace on the child are refused (ENOSYS or EPERM). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define FRESH ((char *)0x2000000000UL)      /* mapped separately by each process after fork */
#define PARENT_ONLY ((char *)0x2000100000UL) /* mapped by the parent only, after fork */
#define TRAMPOLINE ((char *)0x3ffffff000UL)

static sigjmp_buf probe_env;
static volatile uintptr_t fault_addr;
static volatile int fault_sig;

/* Probing handler: records the signal and address and jumps back into probe(). */
static void probe_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_sig = sig;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(probe_env, 1);
}

/* Loads (write=0) or stores (write=1) one byte at addr; prints whether it faulted and at what address. */
static void probe(const char *what, uintptr_t addr, int write)
{
    volatile char *p = (volatile char *)addr;
    fault_sig = 0;
    if (sigsetjmp(probe_env, 1) == 0) {
        if (write) *p = 0x5a;
        else (void)*p;
        printf("%s %s 0x%lx: no fault (FAIL)\n", what, write ? "store" : "load", (unsigned long)addr);
        return;
    }
    printf("%s %s: signal %s, addr %s\n", what, write ? "store" : "load",
           fault_sig == SIGSEGV ? "SIGSEGV" : "other", fault_addr == addr ? "exact" : "wrong");
}

/* Reports the outcome of a call that must be refused with one of the given errnos. */
static void refused(const char *what, long r, int e1, int e2)
{
    int e = errno;
    printf("%s: %s\n", what, r == -1 && (e == e1 || e == e2) ? "refused" : "ALLOWED (FAIL)");
}

/* The child's handler for its last step: reading the parent-only page must land here. */
static void child_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char msg[] = "child: SIGSEGV reading the parent-only page, addr ok\n";
    char bad[] = "child: SIGSEGV at the wrong address\n";
    if (sig == SIGSEGV && si->si_addr == PARENT_ONLY) write(1, msg, sizeof msg - 1);
    else write(1, bad, sizeof bad - 1);
    _exit(42);
}

static void wait_token(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(3); }
static void send_token(int fd) { if (write(fd, "x", 1) != 1) _exit(3); }

/* Maps one fresh read-write page exactly at addr (must be free); exits 2 on failure. */
static char *map_at(char *addr)
{
    char *p = mmap(addr, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != addr) { perror("mmap"); _exit(2); }
    return p;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(shared, "before fork");
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent)) { perror("pipe"); return 2; }

    pid_t child = fork();
    if (child == 0) {
        char *fresh = map_at(FRESH);
        strcpy(shared, "child secret A");
        strcpy(fresh, "child secret B");
        send_token(to_parent[1]);
        wait_token(to_child[0]);                /* the parent has written both pages */
        printf("child: inherited page %s\n", strcmp(shared, "child secret A") ? "CHANGED (FAIL)" : "own data");
        printf("child: fresh page %s\n", strcmp(fresh, "child secret B") ? "CHANGED (FAIL)" : "own data");
        send_token(to_parent[1]);
        wait_token(to_child[0]);                /* the parent has mapped PARENT_ONLY */
        struct sigaction sa = { .sa_sigaction = child_segv, .sa_flags = SA_SIGINFO };
        sigaction(SIGSEGV, &sa, NULL);
        volatile char c = *(volatile char *)PARENT_ONLY;
        printf("child: read the parent-only page: %d (FAIL)\n", c);
        _exit(1);
    }

    wait_token(to_parent[0]);                   /* the child has written both pages */
    char *fresh = map_at(FRESH);
    printf("parent: inherited page %s\n", strcmp(shared, "before fork") ? "CHANGED (FAIL)" : "unchanged by child");
    printf("parent: fresh page %s\n", fresh[0] ? "NOT ZERO (FAIL)" : "zero");
    strcpy(shared, "parent data A");
    strcpy(fresh, "parent data B");
    char *mine = map_at(PARENT_ONLY);
    strcpy(mine, "parent only");
    send_token(to_child[1]);
    wait_token(to_parent[0]);                   /* the child has read its pages back */
    printf("parent: inherited page %s\n", strcmp(shared, "parent data A") ? "CHANGED (FAIL)" : "own data");
    printf("parent: fresh page %s\n", strcmp(fresh, "parent data B") ? "CHANGED (FAIL)" : "own data");

    /* Another process's memory: refused before the child is gone. */
    char buf[32] = {0};
    struct iovec local = { buf, sizeof buf }, remote = { shared, sizeof buf };
    errno = 0;
    refused("process_vm_readv", syscall(SYS_process_vm_readv, child, &local, 1, &remote, 1, 0), ENOSYS, EPERM);
    errno = 0;
    refused("process_vm_writev", syscall(SYS_process_vm_writev, child, &local, 1, &remote, 1, 0), ENOSYS, EPERM);
    errno = 0;
    refused("ptrace attach", ptrace(PTRACE_ATTACH, child, 0, 0), ENOSYS, EPERM);
    errno = 0;
    long peek = syscall(SYS_ptrace, PTRACE_PEEKDATA, child, shared, buf);
    refused("ptrace peekdata", peek, ENOSYS, ESRCH);

    send_token(to_child[1]);
    int st;
    waitpid(child, &st, 0);
    printf("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));

    /* The kernel's side of the address space. */
    struct sigaction sa = { .sa_sigaction = probe_handler, .sa_flags = SA_SIGINFO };
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    probe("user limit", 0x4000000000UL, 0);
    probe("user limit", 0x4000000000UL, 1);
    probe("kernel", 0xffffffc000000000UL, 0);
    probe("kernel", 0xffffffc000000000UL, 1);
    probe("top", 0xfffffffffffff000UL, 0);
    probe("non-canonical", 0x0000800000000000UL, 0);
    fault_sig = 0;
    if (sigsetjmp(probe_env, 1) == 0) {
        volatile char c = *(volatile char *)TRAMPOLINE;
        (void)c;
        printf("trampoline load: readable\n");
    } else printf("trampoline load: FAULTED (FAIL)\n");
    probe("trampoline", (uintptr_t)TRAMPOLINE, 1);

    /* System calls must not read or write there for us. (Reads come from /dev/zero: a pipe read into a bad
     * buffer would also test whether the bytes stay in the pipe, which Spindle does not yet keep.) */
    int p[2], zero = open("/dev/zero", O_RDONLY);
    pipe(p);
    errno = 0;
    printf("write from kernel address: %ld %s\n", (long)write(p[1], (void *)0xffffffc000000000UL, 16), strerror(errno));
    errno = 0;
    printf("write from trampoline: %ld\n", (long)write(p[1], TRAMPOLINE, 4));
    printf("pipe holds: %ld\n", (long)read(p[0], buf, sizeof buf));
    errno = 0;
    printf("read into kernel address: %ld %s\n", (long)read(zero, (void *)0xffffffc000000000UL, 4), strerror(errno));
    errno = 0;
    printf("read into trampoline: %ld %s\n", (long)read(zero, TRAMPOLINE, 4), strerror(errno));
    printf("iso_memory done\n");
    return 0;
}
