/* init: the first process of `spindle boot`. Makes sure fds 0/1/2 are open (on /dev/console when they
 * are not inherited), starts /bin/sh, reaps every child, and exits with the shell's status when the shell
 * exits (128+N if signal N killed it), which ends the boot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const shell_argv[] = { "-sh", NULL }; /* a login shell: busybox ash reads /etc/profile */
static char *const shell_envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=dumb", NULL };

/* Opens /dev/console on any of fds 0..2 that is closed (EBADF). Returns 0, or -1 if the console cannot be
 * opened. */
static int setup_console(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
        int c = open("/dev/console", O_RDWR);
        if (c < 0) return -1;
        if (c != fd) { dup2(c, fd); close(c); }
    }
    return 0;
}

int main(void)
{
    if (setup_console() < 0) {
        perror("init: /dev/console"); /* reaches the console only if fd 2 was inherited */
        return 1;
    }
    if (chdir("/") < 0) perror("init: chdir /");
    pid_t sh = fork();
    if (sh < 0) { perror("init: fork"); return 1; }
    if (sh == 0) {
        execve("/bin/sh", shell_argv, shell_envp);
        perror("init: exec /bin/sh");
        _exit(127);
    }
    for (;;) {
        int status;
        pid_t w = wait(&status);
        if (w < 0) {
            if (errno == EINTR) continue;
            perror("init: wait");
            return 1;
        }
        if (w == sh) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}
