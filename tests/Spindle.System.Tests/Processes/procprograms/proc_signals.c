/* Signals: handlers with siginfo, masks and pending sets, SA_RESETHAND, SA_NODEFER, sigaltstack, a SIGSEGV
   handler that fixes the page and resumes, EINTR vs SA_RESTART, SIGCHLD, FP state across a handler. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int hits, last_sig, last_code, depth, max_depth, calls;
static volatile pid_t last_pid;
static void *volatile last_addr;
static char *page;
static char altstack[65536];
static volatile int on_alt;

static void on_info(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    hits++; last_sig = sig; last_code = si->si_code; last_pid = si->si_pid;
}
static void on_plain(int sig) { hits++; last_sig = sig; }
static void on_nested(int sig) {
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (++calls < 3) raise(sig);
    depth--;
}
static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    last_sig = sig; last_addr = si->si_addr; last_code = si->si_code;
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}
static void on_alt_handler(int sig) {
    char here;
    (void)sig;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}
static void on_fp(int sig) { (void)sig; volatile double x = 1.0; for (int i = 0; i < 10; i++) x = x * 3.5 + 1.0; hits++; }
static volatile int chld_status, chld_code;
static void on_chld(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; chld_status = si->si_status; chld_code = si->si_code; last_pid = si->si_pid; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    kill(getpid(), SIGUSR1);
    printf("kill: hits=%d sig=%d code=%d pid-ok=%d\n", hits, last_sig, last_code, last_pid == getpid());

    sigset_t set, pend, old, cur_mask;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("blocked: hits=%d pending=%d\n", hits, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: hits=%d code=%d\n", hits, last_code);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    printf("resethand: hits=%d reset=%d\n", hits, now.sa_handler == SIG_DFL);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_nested;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("defer: max depth=%d\n", max_depth);
    max_depth = 0;
    calls = 0;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("nodefer: max depth=%d\n", max_depth);

    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    *(volatile char *)(page + 100) = 42;
    printf("segv: sig=%d addr-ok=%d code=%d value=%d\n", last_sig, last_addr == page + 100, last_code, page[100]);

    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alt_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("altstack: on=%d flags=%d\n", on_alt, cur.ss_flags);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fp;
    sigaction(SIGUSR2, &sa, NULL);
    volatile double acc = 0.5;
    for (int i = 0; i < 5; i++) { acc = acc * 1.5 + 0.25; raise(SIGUSR2); }
    printf("fp: %.6f\n", acc);

    /* EINTR: a handler without SA_RESTART interrupts waitpid; with SA_RESTART it resumes. */
    for (int restart = 0; restart < 2; restart++) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_plain;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, NULL);
        pid_t parent = getpid();
        pid_t c = fork();
        if (c == 0) { usleep(50000); kill(parent, SIGUSR1); usleep(50000); _exit(5); }
        int st = 0;
        errno = 0;
        pid_t r = waitpid(c, &st, 0);
        int e = errno;
        if (r < 0) r = waitpid(c, &st, 0);
        printf("restart=%d: first %s, status=%d\n", restart, r == c && e != EINTR ? "restarted" : "EINTR", WEXITSTATUS(st));
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t pc = fork();
    if (pc == 0) { int r = pause(); _exit(r == -1 && errno == EINTR ? 3 : 4); }
    usleep(50000);
    kill(pc, SIGUSR1);
    int pst;
    waitpid(pc, &pst, 0);
    printf("pause: status=%d\n", WEXITSTATUS(pst));
    sigset_t none, was;
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &set, &was);
    raise(SIGUSR1);
    hits = 0;
    sigsuspend(&none);
    sigprocmask(SIG_BLOCK, NULL, &cur_mask);
    printf("sigsuspend: hits=%d mask restored=%d\n", hits, sigismember(&cur_mask, SIGUSR1));
    sigprocmask(SIG_SETMASK, &was, NULL);

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid_t c = fork();
    if (c == 0) _exit(9);
    int st;
    waitpid(c, &st, 0);
    printf("sigchld: status=%d code=%d pid-ok=%d\n", chld_status, chld_code, last_pid == c);

    c = fork();
    if (c == 0) { signal(SIGTERM, SIG_DFL); raise(SIGTERM); _exit(1); }
    waitpid(c, &st, 0);
    printf("default term: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
    c = fork();
    if (c == 0) { signal(SIGTERM, SIG_IGN); raise(SIGTERM); _exit(4); }
    waitpid(c, &st, 0);
    printf("ignored term: exited=%d status=%d\n", WIFEXITED(st), WEXITSTATUS(st));
    c = fork();
    if (c == 0) { sigaddset(&set, SIGSEGV); sigprocmask(SIG_BLOCK, &set, NULL); *(volatile int *)8 = 0; _exit(1); }
    waitpid(c, &st, 0);
    printf("blocked fault in child: sig=%d\n", WTERMSIG(st));
    return 0;
}
