/* Thread management with the integrated C-Threads package (user/lib/cthreads.c over the kernel extension
 * extensions/Examples/CThreads.cs): the same fork-join and ping-pong work as pthreads.c, same report format.
 * After the timed repetitions it checks the package (a mutex-protected counter across threads, the ping-pong
 * count, join results and error codes, a faulting thread) and exits 1 with the failure if a check fails.
 * usage: cthreads EXTENSION [FORKJOINS] [REPETITIONS] [SUFFIX]
 *        cthreads EXTENSION exit-alive   (returns from main with package threads running and blocked)
 *        cthreads EXTENSION exit-raw     (the same, but the main thread ends with a raw exit, not exit_group) */
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>
#include "benchtime.h"
#include "cthreads.h"
#include "spindle.h"

static struct mutex lock = MUTEX_INITIALIZER;
static struct condition cond = CONDITION_INITIALIZER;
static int turn;      /* 1: the partner's turn; 0: the main thread's */
static long rounds, partner_rounds, expected_rounds;

static void *nothing(void *arg) { return arg; }

/* The ping-pong partner: waits for its turn ROUNDS times and hands it back. */
static void *partner(void *arg)
{
    mutex_lock(&lock);
    for (long i = 0; i < rounds; i++) {
        while (turn != 1) condition_wait(&cond, &lock);
        turn = 0;
        partner_rounds++;
        condition_signal(&cond);
    }
    mutex_unlock(&lock);
    return arg;
}

/* Runs ROUNDS round trips with a fresh partner thread; returns the elapsed nanoseconds. */
static long long ping_pong(void)
{
    cthread_t t = cthread_fork(partner, NULL);
    if (!t) fail("cthread_fork", errno);
    long long t0 = now_ns();
    mutex_lock(&lock);
    for (long i = 0; i < rounds; i++) {
        turn = 1;
        condition_signal(&cond);
        while (turn == 1) condition_wait(&cond, &lock);
    }
    mutex_unlock(&lock);
    long long elapsed = now_ns() - t0;
    int e = cthread_join(t, NULL);
    if (e) fail("cthread_join", e);
    return elapsed;
}

/* ---- Checks ---- */

#define WORKERS 4
#define INCREMENTS 20000
static volatile long counter;
static struct condition published = CONDITION_INITIALIZER;
static cthread_t self_handle;

/* Adds INCREMENTS to counter under the mutex, with a read-modify-write window that preemption can split. */
static void *worker(void *arg)
{
    for (int i = 0; i < INCREMENTS; i++) {
        mutex_lock(&lock);
        long v = counter;
        for (volatile int spin = 0; spin < 3; spin++) { }
        counter = v + 1;
        mutex_unlock(&lock);
    }
    return (void *)((long)arg * 2 + 1);
}

/* Joins itself once main has published its handle: must answer EDEADLK. */
static void *join_self(void *arg)
{
    mutex_lock(&lock);
    while (!self_handle) condition_wait(&published, &lock);
    mutex_unlock(&lock);
    return (void *)(long)cthread_join(self_handle, NULL);
}

/* A Linux system call (getpid, 172) from a package thread: answers -ENOSYS. */
static void *linux_call(void *arg)
{
    register long a0 __asm__("a0") = 0;
    register long a7 __asm__("a7") = 172;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return (void *)a0;
}

static void *fault(void *arg) { return (void *)(long)*(volatile int *)arg; }

/* A package call made directly (a0 = -ENOSYS, as the library does): the errno it failed with, or 0. */
static long raw_errno(long number, long a1, long a2)
{
    return syscall(number, -(long)ENOSYS, a1, a2, 0L, 0L) < 0 ? errno : 0;
}

/* Fails with WHAT unless GOT == WANT. */
static void expect(const char *what, long got, long want)
{
    if (got == want) return;
    fprintf(stderr, "error %s: got %ld, want %ld\n", what, got, want);
    exit(1);
}

static void check(void)
{
    cthread_t w[WORKERS];
    for (long i = 0; i < WORKERS; i++)
        if (!(w[i] = cthread_fork(worker, (void *)i))) fail("cthread_fork worker", errno);
    for (long i = 0; i < WORKERS; i++) {
        void *r;
        expect("join worker", cthread_join(w[i], &r), 0);
        expect("worker result", (long)r, i * 2 + 1);
    }
    expect("mutex-protected counter", counter, (long)WORKERS * INCREMENTS);
    expect("ping-pong rounds seen by the partners", partner_rounds, expected_rounds);

    expect("join a joined thread", cthread_join(w[0], NULL), ESRCH);
    expect("join an id never forked", raw_errno(SYS_cthread_join, 1L << 40, 0), ESRCH);
    expect("wait on an unaligned word", raw_errno(SYS_cthread_wait, (long)&counter + 1, 0), EINVAL);
    expect("wait on an unmapped word", raw_errno(SYS_cthread_wait, 8, 0), EFAULT);
    expect("fork with an unaligned stack", raw_errno(SYS_cthread_fork, (long)nothing, 8), EINVAL);
    expect("wake with nobody waiting", syscall(SYS_cthread_wake, -(long)ENOSYS, (long)&counter, 1L, 0L, 0L), 0);
    expect("exit from a thread the package did not fork", cthread_exit(NULL), EPERM);
    expect("self of the main thread", cthread_self(), 0);

    cthread_t t = cthread_fork(join_self, NULL);
    mutex_lock(&lock);
    self_handle = t;
    condition_broadcast(&published);
    mutex_unlock(&lock);
    void *r;
    expect("join the self-joining thread", cthread_join(t, &r), 0);
    expect("join self", (long)r, EDEADLK);

    t = cthread_fork(nothing, (void *)42L);
    for (int i = 0; i < 20; i++) sched_yield();   /* it has surely ended: join a finished thread */
    expect("join a finished thread", cthread_join(t, &r), 0);
    expect("finished thread's result", (long)r, 42);

    t = cthread_fork(linux_call, NULL);
    expect("join linux_call", cthread_join(t, &r), 0);
    expect("Linux call from a package thread", (long)r, -ENOSYS);

    t = cthread_fork(fault, NULL);
    expect("join a thread killed by a fault", cthread_join(t, &r), ECANCELED);
    expect("join it again", cthread_join(t, &r), ESRCH);
    printf("checks ok\n");
}

/* ---- exit-alive: package threads blocked and running when main returns ---- */

static struct condition never = CONDITION_INITIALIZER;
static void *block_forever(void *arg)
{
    mutex_lock(&lock);
    for (;;) condition_wait(&never, &lock);
    return arg;
}
static void *spin_forever(void *arg) { for (;;) __asm__ volatile("" ::: "memory"); return arg; }
static void *join_forever(void *arg) { return (void *)(long)cthread_join((cthread_t)arg, NULL); }

static int exit_alive(int raw)
{
    cthread_t spinner = cthread_fork(spin_forever, NULL);
    if (!spinner || !cthread_fork(block_forever, NULL) || !cthread_fork(join_forever, spinner)) fail("cthread_fork", errno);
    for (int i = 0; i < 20; i++) sched_yield();
    printf("exit-alive ok\n");
    if (raw) { fflush(stdout); syscall(SYS_exit, 0); }   /* ends this thread only: the process ends with its last Linux thread */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: cthreads EXTENSION [FORKJOINS] [REPETITIONS] [SUFFIX]\n"); return 2; }
    int e = cthread_init(argv[1]);
    if (e) fail(argv[1], e);
    if (argc > 2 && strcmp(argv[2], "exit-alive") == 0) return exit_alive(0);
    if (argc > 2 && strcmp(argv[2], "exit-raw") == 0) return exit_alive(1);
    long n = arg_count(argc, argv, 2, 2000), reps = arg_count(argc, argv, 3, 5);
    const char *suffix = argc > 4 ? argv[4] : "";
    char fj[64], pp[64];
    snprintf(fj, sizeof fj, "fork-join%s", suffix);
    snprintf(pp, sizeof pp, "ping-pong%s", suffix);
    rounds = n;
    for (long r = 0; r <= reps; r++) {   /* repetition 0 is the warm-up */
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            cthread_t t = cthread_fork(nothing, NULL);
            if (!t) fail("cthread_fork", errno);
            if ((e = cthread_join(t, NULL))) fail("cthread_join", e);
        }
        long long forkjoin = now_ns() - t0;
        long long pingpong = ping_pong();
        if (r > 0) { report(fj, forkjoin, n); report(pp, pingpong, n); }
    }
    expected_rounds = n * (reps + 1);
    check();
    return 0;
}
