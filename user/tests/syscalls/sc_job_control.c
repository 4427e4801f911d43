/* Job control: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU stop a child (its /proc state is T, it does nothing until
 * continued), SIGCONT continues it, kill of a stopped child with SIGKILL ends it; wait4 with WUNTRACED and
 * WCONTINUED and waitid with WSTOPPED, WCONTINUED and WNOWAIT report each change once; the parent's SIGCHLD
 * carries CLD_STOPPED and CLD_CONTINUED unless SA_NOCLDSTOP; a caught SIGTSTP does not stop.
 * The oracle is the host's kernel: qemu-user installs its own host SIGCHLD handler without the guest's
 * SA_NOCLDSTOP, so under qemu-riscv64 the quiet stop below still raises SIGCHLD (everything else matches). */
//! oracle: native
#include "sc.h"
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static volatile int codes[32], ncodes;

static void on_chld(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)context;
    if (ncodes < 32) codes[ncodes++] = info->si_code;
}

static void on_tstp(int sig) { (void)sig; }

/* The state letter of pid in /proc/PID/stat. */
static char state_of(pid_t pid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return '?';
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return '?';
    text[n] = 0;
    char *paren = strrchr(text, ')');
    return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* waitpid(pid, options) and what it reported. */
static void show_wait(const char *what, pid_t pid, int options)
{
    int status = 0;
    int r = waitpid(pid, &status, options);
    if (r < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); return; }
    printf("%s: %s stopped=%d sig=%d continued=%d exited=%d signaled=%d\n", what, r == 0 ? "0" : "child",
           r > 0 && WIFSTOPPED(status), r > 0 && WIFSTOPPED(status) ? WSTOPSIG(status) : 0,
           r > 0 && WIFCONTINUED(status), r > 0 && WIFEXITED(status), r > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    fflush(stdout);
}

/* A child that answers each byte on in with one on out, until in ends (it closes the writing end, other). */
static pid_t echo_child(int in, int out, int other)
{
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        setpgid(0, 0);
        close(other);
        while (read(in, &c, 1) == 1) if (write(out, &c, 1) != 1) _exit(3);
        _exit(7);
    }
    setpgid(pid, pid);   /* its own group, whose parent is in another: not orphaned, so TSTP/TTIN/TTOU stop it */
    return pid;
}

int main(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    int to[2], from[2];
    if (pipe(to) < 0 || pipe(from) < 0) return 2;
    pid_t child = echo_child(to[0], from[1], to[1]);
    char c = 'x';
    struct pollfd p = { .fd = from[0], .events = POLLIN };

    T(kill(child, SIGSTOP));
    show_wait("wait4 WUNTRACED", child, WUNTRACED);
    printf("state stopped: %c\n", state_of(child));
    show_wait("again WUNTRACED|WNOHANG", child, WUNTRACED | WNOHANG);
    T(write(to[1], &c, 1));
    struct timespec pause_ = { 0, 300 * 1000 * 1000 };
    T(nanosleep(&pause_, NULL));
    T(poll(&p, 1, 0));                        /* stopped: no answer */
    T(kill(child, SIGCONT));
    show_wait("wait4 WCONTINUED", child, WCONTINUED);
    T(read(from[0], &c, 1));                  /* continued: the answer comes */
    show_wait("again WCONTINUED|WNOHANG", child, WCONTINUED | WNOHANG);

    int stops[] = { SIGTSTP, SIGTTIN, SIGTTOU };
    for (int i = 0; i < 3; i++) {
        T(kill(child, stops[i]));
        show_wait("stop signal", child, WUNTRACED);
        T(kill(child, SIGCONT));
        show_wait("continue", child, WCONTINUED);
        T(write(to[1], &c, 1));
        T(read(from[0], &c, 1));              /* the child ran: its CLD_CONTINUED is sent (one SIGCHLD at a time) */
    }

    siginfo_t info;
    T(kill(child, SIGSTOP));
    memset(&info, 0, sizeof info);
    T(waitid(P_PID, child, &info, WSTOPPED | WNOWAIT));
    printf("waitid NOWAIT: code %d status %d\n", info.si_code, info.si_status);
    memset(&info, 0, sizeof info);
    T(waitid(P_PID, child, &info, WSTOPPED));
    printf("waitid: code %d status %d\n", info.si_code, info.si_status);
    memset(&info, 0, sizeof info);
    T(waitid(P_PID, child, &info, WSTOPPED | WNOHANG));
    printf("waitid again: code %d pid %d\n", info.si_code, info.si_pid != 0);
    T(kill(child, SIGCONT));
    memset(&info, 0, sizeof info);
    T(waitid(P_PID, child, &info, WCONTINUED));
    printf("waitid continued: code %d status %d\n", info.si_code, info.si_status);
    T(write(to[1], &c, 1));
    T(read(from[0], &c, 1));                  /* the child ran: Linux has sent its CLD_CONTINUED by now */

    sa.sa_flags |= SA_NOCLDSTOP;              /* no SIGCHLD for stops and continues from here */
    sigaction(SIGCHLD, &sa, NULL);
    T(kill(child, SIGSTOP));
    show_wait("quiet stop", child, WUNTRACED);
    T(kill(child, SIGKILL));
    show_wait("killed while stopped", child, 0);

    pid_t catcher = fork();
    if (catcher == 0) {
        close(to[1]);
        signal(SIGTSTP, on_tstp);
        char d;
        while (read(to[0], &d, 1) == 1) if (write(from[1], &d, 1) != 1) _exit(3);
        _exit(5);
    }
    T(write(to[1], &c, 1));
    T(read(from[0], &c, 1));                  /* the catcher has its handler */
    T(kill(catcher, SIGTSTP));
    show_wait("caught SIGTSTP", catcher, WUNTRACED | WNOHANG);
    T(write(to[1], &c, 1));
    T(read(from[0], &c, 1));
    close(to[1]);
    show_wait("catcher exit", catcher, WUNTRACED);

    printf("SIGCHLD codes:");
    for (int i = 0; i < ncodes; i++) printf(" %d", codes[i]);
    printf("\n");
    return 0;
}
