/* cthreads.c: the C-Threads library over extensions/Examples/CThreads.cs (see cthreads.h).
 * Uncontended mutex and condition operations are atomics in user space; the kernel is called to block
 * (wait on a word's address while it holds an expected value) and to wake. Thread stacks are 64 KiB
 * regions kept in a pool: a joined thread's region is reused by the next fork. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "cthreads.h"
#include "spindle.h"

#define STACK_SIZE (64 * 1024)

/* A thread's region: this header at its base, the stack above it up to base + STACK_SIZE. */
struct cthread {
    long id;                 /* the kernel's id while forked; stale once joined */
    struct cthread *next;    /* pool link while free */
};

static struct mutex pool_lock = MUTEX_INITIALIZER;
static struct cthread *pool;

/* A raw ecall with a0 = -ENOSYS, so a call no extension answers fails with ENOSYS; never touches errno
 * (package threads share their creator's TLS). */
static inline long ct_call(long n, long a1, long a2, long a3, long a4)
{
    register long a0 __asm__("a0") = -ENOSYS;
    register long r1 __asm__("a1") = a1, r2 __asm__("a2") = a2, r3 __asm__("a3") = a3, r4 __asm__("a4") = a4;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(a7) : "memory");
    return a0;
}

/* A raw Linux call with up to six arguments (a0 = first argument); returns the kernel's value. */
static inline long linux_call6(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
    register long a0 __asm__("a0") = x0;
    register long r1 __asm__("a1") = x1, r2 __asm__("a2") = x2, r3 __asm__("a3") = x3, r4 __asm__("a4") = x4, r5 __asm__("a5") = x5;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(a7) : "memory");
    return a0;
}

int cthread_init(const char *extension_path)
{
    long r = linux_call6(SYS_spindle_ext_load, (long)extension_path, 0, 0, 0, 0, 0);
    if (r < 0) return (int)-r;
    r = ct_call(SYS_cthread_self, 0, 0, 0, 0);
    return r < 0 ? (int)-r : 0;
}

/* Where every package thread starts: runs func(arg) and ends with its result. */
static void __attribute__((noreturn, used)) cthread_start(cthread_fn_t func, void *arg)
{
    ct_call(SYS_cthread_exit, (long)func(arg), 0, 0, 0);
    __builtin_unreachable();
}

/* A free region from the pool, or a fresh one (mmap: only a Linux thread can make one); NULL with *err set. */
static struct cthread *region_get(int *err)
{
    mutex_lock(&pool_lock);
    struct cthread *t = pool;
    if (t) pool = t->next;
    mutex_unlock(&pool_lock);
    if (t) return t;
    long m = linux_call6(SYS_mmap, 0, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m < 0 && m > -4096) { *err = (int)-m; return NULL; }
    return (struct cthread *)m;
}

/* Returns a region to the pool. */
static void region_put(struct cthread *t)
{
    mutex_lock(&pool_lock);
    t->next = pool;
    pool = t;
    mutex_unlock(&pool_lock);
}

cthread_t cthread_fork(cthread_fn_t func, void *arg)
{
    int err = 0;
    struct cthread *t = region_get(&err);
    if (!t) { errno = err; return NULL; }
    uintptr_t sp = ((uintptr_t)t + STACK_SIZE) & ~(uintptr_t)15;
    long id = ct_call(SYS_cthread_fork, (long)cthread_start, (long)sp, (long)func, (long)arg);
    if (id < 0) { region_put(t); errno = (int)-id; return NULL; }
    t->id = id;
    return t;
}

int cthread_join(cthread_t t, void **result)
{
    void *r = NULL;
    long e = ct_call(SYS_cthread_join, t->id, (long)&r, 0, 0);
    if (e == 0 || e == -ECANCELED) region_put(t);   /* the thread is gone: its stack is free */
    if (e == 0 && result) *result = r;
    return (int)-e;
}

int cthread_exit(void *result) { return (int)-ct_call(SYS_cthread_exit, (long)result, 0, 0, 0); }

long cthread_self(void) { return ct_call(SYS_cthread_self, 0, 0, 0, 0); }

void mutex_init(mutex_t m) { __atomic_store_n(&m->state, 0, __ATOMIC_RELEASE); }

/* Contended lock: mark the mutex as having waiters (2) and sleep until it is handed free. */
static void __attribute__((noinline)) mutex_lock_slow(mutex_t m)
{
    while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
        ct_call(SYS_cthread_wait, (long)&m->state, 2, 0, 0);
}

void mutex_lock(mutex_t m)
{
    int expected = 0;
    if (!__atomic_compare_exchange_n(&m->state, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) mutex_lock_slow(m);
}

int mutex_try_lock(mutex_t m)
{
    int expected = 0;
    return __atomic_compare_exchange_n(&m->state, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_unlock(mutex_t m)
{
    if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {   /* someone waits: hand it over free */
        __atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
        ct_call(SYS_cthread_wake, (long)&m->state, 1, 0, 0);
    }
}

void condition_init(condition_t c)
{
    __atomic_store_n(&c->seq, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&c->waiters, 0, __ATOMIC_RELEASE);
}

void condition_wait(condition_t c, mutex_t m)
{
    int seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&c->waiters, 1, __ATOMIC_SEQ_CST);
    mutex_unlock(m);
    ct_call(SYS_cthread_wait, (long)&c->seq, seq, 0, 0);   /* returns at once if a signal came since seq was read */
    __atomic_fetch_sub(&c->waiters, 1, __ATOMIC_SEQ_CST);
    mutex_lock(m);
}

/* Bumps the sequence (so a waiter about to sleep does not) and wakes up to n sleepers if any wait. */
static inline void condition_wake(condition_t c, long n)
{
    __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST) > 0) ct_call(SYS_cthread_wake, (long)&c->seq, n, 0, 0);
}

void condition_signal(condition_t c) { condition_wake(c, 1); }

void condition_broadcast(condition_t c) { condition_wake(c, INT_MAX); }
