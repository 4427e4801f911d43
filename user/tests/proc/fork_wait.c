/* fork_wait: fork, exit statuses through wait4/waitpid/waitid, WNOHANG, getpid/getppid, a child killed by
 * a signal, ECHILD. Children only report through exit statuses and pipes; the parent prints. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

int main(void)
{
    pid_t me = getpid();
    pid_t c = checked_fork();
    if (c == 0) _exit(getppid() == me ? 7 : 99);
    check_true("fork returned a child pid", c > 0 && c != me);
    int st;
    check_true("waitpid returns the child", waitpid(c, &st, 0) == c);
    check_true("child exited normally", WIFEXITED(st));
    check_u64("child exit status (7: it saw its parent)", WEXITSTATUS(st), 7);

    /* WNOHANG while the child is blocked reading a pipe, then release it. */
    int p[2];
    pipe(p);
    c = checked_fork();
    if (c == 0) { char b; close(p[1]); _exit(read(p[0], &b, 1) == 1 ? b : 98); }
    close(p[0]);
    check_u64("WNOHANG on a running child", waitpid(c, &st, WNOHANG), 0);
    write(p[1], "\x05", 1);
    close(p[1]);
    struct rusage ru;
    check_true("wait4 returns the child", wait4(c, &st, 0, &ru) == c);
    check_u64("status from the byte it read", WEXITSTATUS(st), 5);

    /* A child killed by a signal. */
    c = checked_fork();
    if (c == 0) { kill(getpid(), SIGKILL); _exit(97); }
    waitpid(c, &st, 0);
    check_true("child was signalled", WIFSIGNALED(st));
    check_u64("terminating signal", WTERMSIG(st), SIGKILL);

    /* waitid with siginfo. */
    c = checked_fork();
    if (c == 0) _exit(3);
    siginfo_t si = { 0 };
    check_u64("waitid", waitid(P_PID, c, &si, WEXITED), 0);
    check_true("si_pid is the child", si.si_pid == c);
    check_u64("si_code CLD_EXITED", si.si_code, CLD_EXITED);
    check_u64("si_status", si.si_status, 3);

    errno = 0;
    check_true("wait with no children fails with ECHILD", wait(&st) == -1 && errno == ECHILD);
    return check_done("fork_wait");
}
