/* Sleeping: nanosleep and clock_nanosleep (relative and absolute) wait at least as long as asked; a
   sleeping child does not hold up its parent; sched_yield; invalid timespecs are refused. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long long t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec req = { 0, 30 * 1000000 };
    int r = nanosleep(&req, NULL);
    printf("nanosleep: %d waited-enough=%d\n", r, now_ns(CLOCK_MONOTONIC) - t0 >= 30000000);

    t0 = now_ns(CLOCK_MONOTONIC);
    long long target = t0 + 25000000;
    struct timespec abs = { target / 1000000000, target % 1000000000 };
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    printf("absolute: %d reached=%d\n", r, now_ns(CLOCK_MONOTONIC) >= target);

    long long rt = now_ns(CLOCK_REALTIME) + 20000000;
    struct timespec abs_rt = { rt / 1000000000, rt % 1000000000 };
    r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs_rt, NULL);
    printf("realtime absolute: %d reached=%d\n", r, now_ns(CLOCK_REALTIME) >= rt);

    struct timespec past = { 1, 0 };
    printf("past deadline: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    struct timespec bad = { 0, 1000000000 };
    errno = 0;
    printf("bad nsec: %d %d\n", nanosleep(&bad, NULL), errno == EINVAL);
    printf("bad clock: %d\n", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) != 0);
    printf("yield: %d\n", sched_yield());

    pid_t c = fork();
    if (c == 0) { struct timespec longer = { 1, 0 }; nanosleep(&longer, NULL); _exit(0); }
    t0 = now_ns(CLOCK_MONOTONIC);
    struct timespec shorter = { 0, 10 * 1000000 };
    nanosleep(&shorter, NULL);
    printf("parent woke before child: %d\n", now_ns(CLOCK_MONOTONIC) - t0 < 1000000000);
    int st;
    waitpid(c, &st, 0);
    printf("child slept: %d\n", now_ns(CLOCK_MONOTONIC) - t0 >= 950000000);
    return 0;
}
