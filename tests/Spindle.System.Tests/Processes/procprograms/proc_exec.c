/* execve: a forked child runs this program again with other arguments; vfork + execve; failures
   (missing file, a file that is not ELF) keep the old image running with the right errno. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        printf("exec'd: argc=%d arg=%s env=%s\n", argc, argv[1], getenv("PROC_TEST") ? getenv("PROC_TEST") : "(none)");
        return atoi(argv[2]);
    }
    char *env[] = { "PROC_TEST=yes", NULL };
    pid_t c = fork();
    if (c == 0) {
        char *args[] = { argv[0], "forked", "12", NULL };
        execve(argv[0], args, env);
        _exit(99);
    }
    int st;
    waitpid(c, &st, 0);
    printf("fork+exec status=%d\n", WEXITSTATUS(st));
    c = vfork();
    if (c == 0) {
        char *args[] = { argv[0], "vforked", "13", NULL };
        execve(argv[0], args, env);
        _exit(99);
    }
    waitpid(c, &st, 0);
    printf("vfork+exec status=%d\n", WEXITSTATUS(st));

    char *args[] = { "nothing", NULL };
    errno = 0;
    printf("missing: %d %s\n", execve("/nonexistent/program", args, env), strerror(errno));
    char path[] = "/tmp/spindle-proc-notelf-XXXXXX";
    int fd = mkstemp(path);
    write(fd, "#just text, not a program\n", 26);
    close(fd);
    chmod(path, 0755);
    errno = 0;
    int r = execve(path, args, env);
    printf("not elf: %d %s\n", r, strerror(errno));
    unlink(path);
    return 0;
}
