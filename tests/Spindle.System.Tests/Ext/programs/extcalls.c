/* Exercises Spindle's extension system calls and the example NullSyscall extension.
 *   extcalls null            call 1002 twice, then ordinary calls
 *   extcalls load PATH       load PATH for this program (1000), call 1002, unload (1001), call 1002 again
 *   extcalls keep PATH       load PATH and exit without unloading (the kernel unloads it) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void call1002(const char *tag)
{
    errno = 0;
    long r = syscall(1002);
    printf("%s 1002: %ld %s\n", tag, r, r < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "null") == 0) {
        call1002("first");
        call1002("second");
    } else if (argc >= 3 && (strcmp(argv[1], "load") == 0 || strcmp(argv[1], "keep") == 0)) {
        long ref = syscall(1000, argv[2]);
        printf("load: %s\n", ref > 0 ? "ref" : strerror(errno));
        call1002("loaded");
        if (strcmp(argv[1], "load") == 0) {
            printf("unload: %ld\n", syscall(1001, ref));
            call1002("unloaded");
            errno = 0;
            long again = syscall(1001, ref);
            printf("unload again: %ld %s\n", again, strerror(errno));
        }
    } else {
        fprintf(stderr, "usage: extcalls null | load PATH | keep PATH\n");
        return 2;
    }
    printf("getppid ok: %d, write ok\n", getppid() >= 0);
    return 0;
}
