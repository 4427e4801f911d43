/* sigpipe: writing to a pipe with no reader kills with SIGPIPE by default; with SIGPIPE ignored the write
 * fails with EPIPE instead; a handler sees the signal and the write still fails with EPIPE. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

static volatile int pipes;
static void on_pipe(int sig) { (void)sig; pipes++; }

int main(void)
{
    signal(SIGPIPE, SIG_DFL);  /* a test runner may have started us with SIGPIPE ignored */
    int p[2];
    pipe(p);
    close(p[0]);
    pid_t c = checked_fork();
    if (c == 0) { write(p[1], "x", 1); _exit(0); }
    int st;
    waitpid(c, &st, 0);
    check_true("default action: killed by SIGPIPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    check_true("ignored: write fails with EPIPE", write(p[1], "x", 1) == -1 && errno == EPIPE);

    signal(SIGPIPE, on_pipe);
    errno = 0;
    check_true("handled: write fails with EPIPE", write(p[1], "x", 1) == -1 && errno == EPIPE);
    check_u64("handler calls", pipes, 1);
    return check_done("sigpipe");
}
