/* proc.h: helpers for the process tests (beside ../check.h). */
#ifndef PROC_H
#define PROC_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* fork() after flushing stdout (so that buffered output is not duplicated into the child). If fork fails
 * the test cannot go on: prints a FAIL line and exits 1 rather than waiting for a child that never runs. */
static inline pid_t checked_fork(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        printf("FAIL fork\n");
        exit(1);
    }
    return pid;
}
#endif
