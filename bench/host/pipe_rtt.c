/* cross-address-space-call, the Unix way: a round trip of one byte between two processes over a
 * pair of pipes (parent writes, child echoes). Runs natively on the host and on Spindle.
 * usage: pipe_rtt [ROUNDTRIPS] [REPETITIONS] */
#include <sys/wait.h>
#include <unistd.h>
#include "benchtime.h"

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 1, 20000), reps = arg_count(argc, argv, 2, 5);
    int down[2], up[2];
    char b = 0;
    if (pipe(down) || pipe(up)) fail("pipe", errno);
    pid_t child = fork();
    if (child < 0) fail("fork", errno);
    if (child == 0) {
        while (read(down[0], &b, 1) == 1 && b != 'q')
            if (write(up[1], &b, 1) != 1) _exit(1);
        _exit(0);
    }
    for (long r = 0; r <= reps; r++) {   /* repetition 0 is the warm-up */
        long long t0 = now_ns();
        for (long i = 0; i < n; i++)
            if (write(down[1], "x", 1) != 1 || read(up[0], &b, 1) != 1) fail("pipe round trip", errno);
        if (r > 0) report("cross-address-space-call", now_ns() - t0, n);
    }
    if (write(down[1], "q", 1) != 1) fail("write", errno);
    waitpid(child, NULL, 0);
    return 0;
}
