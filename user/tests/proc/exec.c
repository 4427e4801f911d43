#define _GNU_SOURCE
/* exec: execve of this same program (argv[0]) in a child, with new argv and envp; the new image sees
 * them, keeps ordinary fds and loses O_CLOEXEC ones; execve of a missing file fails with ENOENT. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

/* The exec'd image: argv = { self, "child", KEPT_FD, CLOEXEC_FD }. Exit status encodes what it saw. */
static int child_image(int argc, char **argv)
{
    int st = 0;
    if (argc != 4 || strcmp(argv[1], "child") != 0) st |= 1;
    const char *v = getenv("EXEC_TEST");
    if (!v || strcmp(v, "yes") != 0) st |= 2;
    if (getenv("PATH")) st |= 4;  /* the environment was replaced */
    if (write(atoi(argv[2]), "kept", 4) != 4) st |= 8;
    if (fcntl(atoi(argv[3]), F_GETFD) != -1 || errno != EBADF) st |= 16;
    return st;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) return child_image(argc, argv);
    int p[2], q[2];
    pipe(p);
    pipe2(q, O_CLOEXEC);
    char kept[16], gone[16];
    snprintf(kept, sizeof kept, "%d", p[1]);
    snprintf(gone, sizeof gone, "%d", q[1]);
    pid_t c = checked_fork();
    if (c == 0) {
        char *args[] = { argv[0], "child", kept, gone, NULL };
        char *env[] = { "EXEC_TEST=yes", NULL };
        execve(argv[0], args, env);
        _exit(100);
    }
    close(p[1]);
    close(q[1]);
    int st;
    waitpid(c, &st, 0);
    check_u64("exec'd image status (0: argv, envp, fds as expected)", WEXITSTATUS(st), 0);
    char buf[8] = { 0 };
    check_u64("bytes through the inherited fd", read(p[0], buf, sizeof buf), 4);
    check_true("they spell kept", strcmp(buf, "kept") == 0);
    c = checked_fork();
    if (c == 0) {
        char *args[] = { "nope", NULL };
        execve("/no/such/program", args, args + 1);
        _exit(errno == ENOENT ? 42 : 43);
    }
    waitpid(c, &st, 0);
    check_u64("execve of a missing file: ENOENT", WEXITSTATUS(st), 42);
    return check_done("exec");
}
