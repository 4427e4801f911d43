/* prctl (names, dumpable, no_new_privs), getpriority/setpriority, getgroups/setgroups, getrusage, sysinfo. */
#include "sc.h"
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

int main(void)
{
    char name[32] = { 0 };
    T(prctl(PR_SET_NAME, "worker-thread-name-too-long"));
    T(prctl(PR_GET_NAME, name));
    printf("name: %s\n", name);
    T(prctl(PR_GET_DUMPABLE));
    T(prctl(PR_SET_DUMPABLE, 0));
    T(prctl(PR_GET_DUMPABLE));
    T(prctl(PR_SET_DUMPABLE, 2));
    T(prctl(PR_SET_DUMPABLE, 1));
    T(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    T(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    T(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    T(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    T(prctl(9999));
    T(prctl(PR_GET_NAME, (char *)16));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char inherited[32] = { 0 };
        prctl(PR_GET_NAME, inherited);
        printf("child name: %s\n", inherited);
        T(getpriority(PRIO_PROCESS, 0));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    errno = 0;
    T(getpriority(PRIO_PROCESS, 0));
    T(setpriority(PRIO_PROCESS, 0, 5));
    T(getpriority(PRIO_PROCESS, 0));
    T(setpriority(PRIO_PROCESS, 0, 100));
    T(getpriority(PRIO_PROCESS, 0));
    T(setpriority(PRIO_PROCESS, 0, 0));    /* root may raise it again */
    T(getpriority(PRIO_PGRP, 0));
    T(setpriority(7, 0, 0));
    T(getpriority(PRIO_PROCESS, 999999));

    gid_t groups[4] = { 30, 10, 20 }, out[8];
    T(setgroups(3, groups));
    T(getgroups(0, NULL));
    T(getgroups(2, out));
    int n = T(getgroups(8, out));
    for (int i = 0; i < n; i++) printf(" %u", out[i]);
    printf("\n");
    T(setgroups(0, NULL));
    T(getgroups(8, out));
    T(setgroups(70000, groups));

    struct rusage ru;
    T(getrusage(RUSAGE_SELF, &ru));
    T(getrusage(RUSAGE_CHILDREN, &ru));
    T(getrusage(RUSAGE_THREAD, &ru));
    T(getrusage(5, &ru));
    T(getrusage(RUSAGE_SELF, (struct rusage *)16));

    struct sysinfo si;
    T(sysinfo(&si));
    printf("procs >= 1: %d, mem_unit: %u\n", si.procs >= 1, si.mem_unit >= 1);
    T(sysinfo((struct sysinfo *)16));
    return 0;
}
