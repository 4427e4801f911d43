/* A read into a bad buffer fails with EFAULT and loses nothing: the data is still there for
 * the next read (pipe), and the file offset has not moved (regular file). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *volatile bad = (void *)16; /* unmapped under every kernel; volatile keeps gcc from reasoning about it */

int main(void)
{
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    write(p[1], "abcd", 4);
    ssize_t r = read(p[0], bad, 4);
    printf("pipe: bad read %zd errno %s\n", r, r < 0 && errno == EFAULT ? "EFAULT" : strerror(errno));
    char buf[8] = {0};
    r = read(p[0], buf, sizeof buf);
    printf("pipe: next read %zd \"%.*s\"\n", r, (int)(r > 0 ? r : 0), buf);

    char path[] = "/tmp/read_efault_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); return 1; }
    unlink(path);
    write(fd, "0123456789", 10);
    lseek(fd, 0, SEEK_SET);
    r = read(fd, bad, 4);
    printf("file: bad read %zd errno %s, offset %ld\n", r, r < 0 && errno == EFAULT ? "EFAULT" : strerror(errno),
           (long)lseek(fd, 0, SEEK_CUR));
    return 0;
}
