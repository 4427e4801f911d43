/* Thread management with POSIX threads: fork-join (pthread_create + pthread_join of a thread
 * that does nothing) and ping-pong (two threads alternate through a mutex and a condition
 * variable; one operation is a round trip). Rows are printed with the suffix given as argv[3].
 * usage: pthreads [FORKJOINS] [REPETITIONS] [SUFFIX] */
#include <pthread.h>
#include "benchtime.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;      /* 1: the partner's turn; 0: the main thread's */
static long rounds;

static void *nothing(void *arg) { return arg; }

/* The ping-pong partner: waits for its turn ROUNDS times and hands it back. */
static void *partner(void *arg)
{
    pthread_mutex_lock(&lock);
    for (long i = 0; i < rounds; i++) {
        while (turn != 1) pthread_cond_wait(&cond, &lock);
        turn = 0;
        pthread_cond_signal(&cond);
    }
    pthread_mutex_unlock(&lock);
    return arg;
}

/* Runs ROUNDS round trips with a fresh partner thread; returns the elapsed nanoseconds. */
static long long ping_pong(void)
{
    pthread_t t;
    int e = pthread_create(&t, NULL, partner, NULL);
    if (e) fail("pthread_create", e);
    long long t0 = now_ns();
    pthread_mutex_lock(&lock);
    for (long i = 0; i < rounds; i++) {
        turn = 1;
        pthread_cond_signal(&cond);
        while (turn == 1) pthread_cond_wait(&cond, &lock);
    }
    pthread_mutex_unlock(&lock);
    long long elapsed = now_ns() - t0;
    pthread_join(t, NULL);
    return elapsed;
}

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 1, 2000), reps = arg_count(argc, argv, 2, 5);
    const char *suffix = argc > 3 ? argv[3] : "";
    char fj[64], pp[64];
    snprintf(fj, sizeof fj, "fork-join%s", suffix);
    snprintf(pp, sizeof pp, "ping-pong%s", suffix);
    rounds = n;
    for (long r = 0; r <= reps; r++) {   /* repetition 0 is the warm-up */
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            pthread_t t;
            int e = pthread_create(&t, NULL, nothing, NULL);
            if (e) fail("pthread_create", e);
            if ((e = pthread_join(t, NULL))) fail("pthread_join", e);
        }
        long long forkjoin = now_ns() - t0;
        long long pingpong = ping_pong();
        if (r > 0) { report(fj, forkjoin, n); report(pp, pingpong, n); }
    }
    return 0;
}
