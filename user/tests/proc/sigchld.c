/* sigchld: a SA_SIGINFO SIGCHLD handler sees each child's pid and exit status; the parent waits for it
 * with sigsuspend (SIGCHLD blocked otherwise, so no wake-up is lost). */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

static volatile int chld;
static volatile pid_t chld_pid;
static volatile int chld_status, chld_code;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    chld++;
    chld_pid = si->si_pid;
    chld_status = si->si_status;
    chld_code = si->si_code;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t c = checked_fork();
    if (c == 0) _exit(9);
    for (int i = 0; chld == 0 && i < 100; i++) sigsuspend(&empty);  /* bounded: a broken sigsuspend fails, not hangs */
    check_u64("SIGCHLD count", chld, 1);
    check_true("si_pid is the child", chld_pid == c);
    check_u64("si_code CLD_EXITED", chld_code, CLD_EXITED);
    check_u64("si_status", chld_status, 9);
    int st;
    check_true("the zombie is still waitable", waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 9);
    c = checked_fork();
    if (c == 0) { pause(); _exit(1); }
    kill(c, SIGTERM);
    for (int i = 0; chld == 1 && i < 100; i++) sigsuspend(&empty);
    check_u64("si_code CLD_KILLED", chld_code, CLD_KILLED);
    check_u64("si_status is the signal", chld_status, SIGTERM);
    waitpid(c, &st, 0);
    check_true("WTERMSIG SIGTERM", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    return check_done("sigchld");
}
