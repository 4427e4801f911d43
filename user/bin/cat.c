/* cat [FILE...]: copies each FILE ("-" or none: stdin) to stdout. Exits 1 if any could not be read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies fd to stdout. Returns 0, or -1 with errno set on a read or write error. */
static int copy(int fd)
{
    static char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return (int)n;
        for (ssize_t off = 0; off < n; ) {
            ssize_t w = write(1, buf + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return -1;
            off += w;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) return copy(0) < 0 ? (perror("cat"), 1) : 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0 || copy(fd) < 0) { fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno)); rc = 1; }
        if (fd > 0) close(fd);
    }
    return rc;
}
