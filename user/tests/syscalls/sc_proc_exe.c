/* /proc/self/exe: stat, lstat, access, readlink and execve of it. qemu-user answers for its own binary here,
 * so the oracle is this program built for the host and run there. */
//! oracle: native
#include "sc.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        printf("ran again through /proc/self/exe as %s\n", argv[0]);
        return 3;
    }
    struct stat self, prog;
    T(stat("/proc/self/exe", &self));
    T(stat(argv[0], &prog));
    printf("same file: %d\n", self.st_ino == prog.st_ino && self.st_dev == prog.st_dev);
    T(lstat("/proc/self/exe", &self));
    printf("a link: %d\n", S_ISLNK(self.st_mode));
    T(access("/proc/self/exe", X_OK));
    char target[4096];
    long n = T(readlink("/proc/self/exe", target, sizeof target - 1) > 0);
    (void)n;
    int fd = open("/proc/self/exe", O_RDONLY);
    char magic[4] = { 0 };
    T(read(fd, magic, 4));
    printf("elf: %d\n", memcmp(magic, "\177ELF", 4) == 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *args[] = { "again-name", "again", NULL };
        execv("/proc/self/exe", args);
        printf("execv: %s\n", strerrorname_np(errno));
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    return 0;
}
