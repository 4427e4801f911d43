/* kill_procs: signals between processes. A child with a SIGUSR1 handler answers through a pipe; SIGTERM's
 * default action kills; kill(pid, 0) probes; a process group (setpgid) is signalled with kill(-pgid). */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

static int answer = -1;
static void on_usr1(int sig) { (void)sig; write(answer, "u", 1); }

int main(void)
{
    int ready[2], reply[2];
    pipe(ready);
    pipe(reply);
    pid_t c = checked_fork();
    if (c == 0) {
        answer = reply[1];
        signal(SIGUSR1, on_usr1);
        write(ready[1], "r", 1);
        for (;;) pause();   /* until SIGTERM */
    }
    char b;
    read(ready[0], &b, 1);
    check_u64("kill(child, 0)", kill(c, 0), 0);
    check_u64("kill SIGUSR1", kill(c, SIGUSR1), 0);
    check_u64("the child's handler answered", read(reply[0], &b, 1) == 1 && b == 'u', 1);
    kill(c, SIGUSR1);
    check_u64("and again", read(reply[0], &b, 1) == 1 && b == 'u', 1);
    kill(c, SIGTERM);
    int st;
    waitpid(c, &st, 0);
    check_true("SIGTERM killed it", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    errno = 0;
    check_true("kill of a reaped pid: ESRCH", kill(c, 0) == -1 && errno == ESRCH);

    /* Three children in a new process group led by the first. */
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = checked_fork();
        if (kids[i] == 0) {
            setpgid(0, i == 0 ? 0 : kids[0]);
            write(ready[1], "r", 1);
            for (;;) pause();
        }
        setpgid(kids[i], kids[0]);   /* both sides set it, so there is no race */
    }
    for (int i = 0; i < 3; i++) read(ready[0], &b, 1);
    check_true("getpgid of the last child", getpgid(kids[2]) == kids[0]);
    check_true("our group differs", getpgrp() != kids[0]);
    check_u64("kill(-pgid, SIGUSR2)", kill(-kids[0], SIGUSR2), 0);
    int killed = 0;
    for (int i = 0; i < 3; i++)
        if (waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2) killed++;
    check_u64("group members killed by SIGUSR2", killed, 3);
    return check_done("kill_procs");
}
