//! cflags: -pthread
/* threads: four threads increment a counter under a mutex; two threads ping-pong through a condition
 * variable; __thread variables are per thread; pthread_join returns each thread's value. */
#include <pthread.h>
#include <stdint.h>
#include "../check.h"

#define THREADS 4
#define INCREMENTS 20000
#define ROUNDS 500

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls = 1000;

static void *adder(void *arg)
{
    long id = (long)(intptr_t)arg;
    tls = id;
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return (void *)(intptr_t)(tls * 10 + (tls == id));
}

static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, hits[2];

/* Player arg waits for its turn ROUNDS times, then hands the turn to the other. */
static void *player(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        pthread_mutex_lock(&lock);
        while (turn != me) pthread_cond_wait(&turn_changed, &lock);
        hits[me]++;
        turn = 1 - me;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, adder, (void *)(intptr_t)(i + 1));
    long ok = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        if ((long)(intptr_t)r == (i + 1) * 10 + 1) ok++;
    }
    check_u64("counter", counter, THREADS * INCREMENTS);
    check_u64("threads that saw their own TLS", ok, THREADS);
    check_u64("main's TLS untouched", tls, 1000);

    pthread_t p[2];
    for (long i = 0; i < 2; i++) pthread_create(&p[i], NULL, player, (void *)(intptr_t)i);
    for (int i = 0; i < 2; i++) pthread_join(p[i], NULL);
    check_u64("ping", hits[0], ROUNDS);
    check_u64("pong", hits[1], ROUNDS);
    check_u64("last turn", turn, 0);
    return check_done("threads");
}
