/* iso_badexec: execve of files that are not runnable programs fails with ENOEXEC and the caller keeps running.
 * Each case is a file with mode 0755 in /tmp: a text file, and truncated copies of this very program (inside the
 * ELF header, inside the program headers, halfway through the file). Prints the errno of each execve, exits 0.
 * Linux differs on the last two: a short program-header read is EIO, and a file cut inside a segment is mapped
 * and faults only after the point of no return; Spindle checks the whole image first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case ENOEXEC: return "ENOEXEC";
    case EIO: return "EIO";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

/* Writes len bytes of data to /tmp/iso-badexec-NAME with mode 0755, execve's it, and prints what came back. */
static void try_exec(const char *name, const void *data, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/iso-badexec-%s", name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd)) { perror(path); exit(2); }
    chmod(path, 0755);
    char *args[] = { path, NULL }, *env[] = { NULL };
    errno = 0;
    int r = execve(path, args, env);
    printf("%s: execve returned %d, errno %s\n", name, r, errname(errno));
    unlink(path);
}

int main(int argc, char **argv)
{
    (void)argc;
    setvbuf(stdout, NULL, _IONBF, 0);
    const char text[] = "this is only text, not a program\n";
    try_exec("text", text, sizeof text - 1);

    int fd = open(argv[0], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { perror(argv[0]); return 2; }
    char *self = malloc(st.st_size);
    if (read(fd, self, st.st_size) != st.st_size) { perror("read"); return 2; }
    close(fd);
    try_exec("elf-header-cut", self, 40);
    try_exec("program-headers-cut", self, 64 + 56 + 20);
    try_exec("half", self, st.st_size / 2);
    printf("still running after bad execve: yes\n");
    return 0;
}
