/* nanosleep: sleeps at least as long as asked on CLOCK_MONOTONIC; a signal from a child interrupts a
 * long sleep with EINTR and a remaining time; clock_nanosleep with an absolute deadline. Only lower bounds
 * are checked, never how long a sleep overran. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile int woke;
static void on_usr1(int sig) { (void)sig; woke = 1; }

int main(void)
{
    long long t0 = now_ns();
    struct timespec d = { 0, 50 * 1000000 };
    check_u64("nanosleep 50ms", nanosleep(&d, NULL), 0);
    check_true("at least 50ms passed", now_ns() - t0 >= 50000000);

    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    long long target = abs.tv_sec * 1000000000LL + abs.tv_nsec + 30000000;
    abs.tv_sec = target / 1000000000LL;
    abs.tv_nsec = target % 1000000000LL;
    check_u64("clock_nanosleep TIMER_ABSTIME", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
    check_true("the deadline passed", now_ns() >= target);

    struct sigaction sa = { 0 };
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    pid_t c = checked_fork();
    if (c == 0) {
        struct timespec s = { 0, 100 * 1000000 };
        nanosleep(&s, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    struct timespec longer = { 30, 0 }, rem = { 0, 0 };
    errno = 0;
    int r = nanosleep(&longer, &rem);
    check_true("interrupted: -1 EINTR", r == -1 && errno == EINTR);
    check_u64("handler ran", woke, 1);
    check_true("remaining time reported (0 < rem < 30s)", (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec < 30);
    waitpid(c, NULL, 0);
    return check_done("nanosleep");
}
