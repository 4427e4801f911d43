/* cthreads.h: Mach C-Threads on Spindle, integrated with the kernel through the extension
 * extensions/Examples/CThreads.cs (SPIN's integrated C-Threads). Threads are kernel strands sharing the
 * program's address space; mutexes and conditions are words in user memory taken with atomics, and the
 * kernel is entered only to block or wake on contention.
 *
 * Package threads are not Linux threads: their bodies may use the package and memory, but a Linux system call
 * (printf, malloc that grows the heap, ...) fails with ENOSYS there, and they share the forking thread's TLS.
 * They end when the process ends. RISC-V only (the calls are raw ecalls). */
#ifndef CTHREADS_H
#define CTHREADS_H
#include <stddef.h>

/* A thread: what cthread_fork returns and cthread_join takes. */
typedef struct cthread *cthread_t;
typedef void *(*cthread_fn_t)(void *arg);

/* A mutex: 0 unlocked, 1 locked, 2 locked with waiters. MUTEX_INITIALIZER or mutex_init. */
typedef struct mutex { volatile int state; } *mutex_t;
#define MUTEX_INITIALIZER { 0 }

/* A condition: a sequence bumped by each signal, and how many wait. CONDITION_INITIALIZER or condition_init. */
typedef struct condition { volatile int seq; volatile int waiters; } *condition_t;
#define CONDITION_INITIALIZER { 0, 0 }

/* Loads the package's extension (the path of CThreads.cs) for this program. 0, or an errno. Call once, first. */
int cthread_init(const char *extension_path);

/* Starts func(arg) in a new thread; NULL with errno set (EAGAIN, ENOMEM, ENOSYS without cthread_init). */
cthread_t cthread_fork(cthread_fn_t func, void *arg);

/* Waits for t to end and stores what its function returned (or passed to cthread_exit) in *result
 * (if result is not NULL); t is then gone. 0, or an errno: ESRCH (not a thread, or already joined),
 * EDEADLK (t is the caller), ECANCELED (t was killed by a fault; gone too). Unlike Mach, returns a status. */
int cthread_join(cthread_t t, void **result);

/* Ends the calling package thread with result; in a thread the package did not fork it returns EPERM. */
int cthread_exit(void *result);

/* The calling thread's package id: 0 in a thread the package did not fork. */
long cthread_self(void);

void mutex_init(mutex_t m);
void mutex_lock(mutex_t m);
/* 1 if it took the mutex, 0 if it is held. */
int mutex_try_lock(mutex_t m);
void mutex_unlock(mutex_t m);

void condition_init(condition_t c);
/* Atomically releases m and waits for a signal, then takes m again. May return spuriously: wait in a loop. */
void condition_wait(condition_t c, mutex_t m);
void condition_signal(condition_t c);
void condition_broadcast(condition_t c);
#endif
