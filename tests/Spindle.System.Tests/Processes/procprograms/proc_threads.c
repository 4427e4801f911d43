/* Threads: pthread_create/join, a mutex-protected counter, a condition variable hand-off, thread-local
   storage, distinct tids, pthread_exit values, and exit_group from a thread while others block. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static __thread int tls_value;
static pid_t tids[THREADS];

static void *worker(void *arg) {
    long id = (long)arg;
    tls_value = (int)id * 100;
    tids[id] = (pid_t)syscall(SYS_gettid);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 256 == 0) sched_yield();
    }
    pthread_mutex_lock(&lock);
    while (turn != id) pthread_cond_wait(&cond, &lock);
    printf("worker %ld: tls=%d\n", id, tls_value);
    turn++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return (void *)(id * 10 + 1);
}

static void *blocker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) pthread_cond_wait(&cond, &lock);
    return NULL;
}

static void *exiter(void *arg) {
    (void)arg;
    usleep(20000);
    exit(6);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_t t[THREADS];
    tls_value = -1;
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    int distinct = 1;
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < i; j++) distinct &= tids[i] != tids[j] && tids[i] != getpid();
    printf("counter=%ld expected=%d sum=%ld main tls=%d distinct tids=%d\n", counter, THREADS * ROUNDS, sum, tls_value, distinct);
    pthread_t b, e;
    pthread_create(&b, NULL, blocker, NULL);
    pthread_create(&e, NULL, exiter, NULL);
    pthread_join(b, NULL);
    printf("not reached\n");
    return 0;
}
