/* Timing helpers shared by the Spindle bench programs and their native host peers.
 * Every program prints one line per repetition and row: "<row> <nanoseconds per operation>".
 * The caller (spindle bench) takes the median over repetitions. Errors go to stderr as
 * "error <what>: <why>" with exit status 1, so that the bench can report the reason. */
#ifndef SPINDLE_BENCHTIME_H
#define SPINDLE_BENCHTIME_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Monotonic clock in nanoseconds (on Spindle: the clock_gettime system call). */
static inline long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Prints one repetition's result for ROW: ELAPSED nanoseconds over OPS operations. */
static inline void report(const char *row, long long elapsed, long ops)
{
    printf("%s %.3f\n", row, (double)elapsed / (double)ops);
    fflush(stdout);
}

/* Reports a failed call and exits 1. */
static inline void fail(const char *what, int err)
{
    fprintf(stderr, "error %s: %s\n", what, strerror(err));
    exit(1);
}

/* argv[i] as a positive count, or DEFAULT when absent. */
static inline long arg_count(int argc, char **argv, int i, long dflt)
{
    long v = i < argc ? atol(argv[i]) : dflt;
    return v > 0 ? v : dflt;
}
#endif
