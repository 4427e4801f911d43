/* system-call: a null system call in a loop (getppid, as the paper's test_getpid.c).
 * usage: null_syscall [ITERATIONS] [REPETITIONS] */
#include <sys/syscall.h>
#include <unistd.h>
#include "benchtime.h"

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 1, 100000), reps = arg_count(argc, argv, 2, 5);
    volatile long sink = 0;
    for (long i = 0; i < n / 10; i++) sink += syscall(SYS_getppid); /* warm-up */
    for (long r = 0; r < reps; r++) {
        long long t0 = now_ns();
        for (long i = 0; i < n; i++) sink += syscall(SYS_getppid);
        report("system-call", now_ns() - t0, n);
    }
    return sink == 0 ? 0 : 0;
}
