/* truncate, ftruncate and fallocate: lengths grow (zeros) and shrink; errors. */
#include "sc.h"
#include <linux/falloc.h>

int main(void)
{
    umask(022);
    put("f", "0123456789");
    T(truncate("f", 4));
    mode_of("f");
    T(truncate("f", 8));
    mode_of("f");
    char b[16] = { 0 };
    int fd = T(open("f", O_RDWR));
    T(read(fd, b, sizeof b));
    printf("bytes: %02x %02x %02x %02x %02x\n", b[3], b[4], b[5], b[6], b[7]);
    T(ftruncate(fd, 2));
    mode_of("f");
    T(ftruncate(fd, -1));
    T(truncate("f", -1));
    T(truncate("missing", 1));
    T(mkdir("d", 0755));
    T(truncate("d", 1));
    int ro = T(open("f", O_RDONLY));
    T(ftruncate(ro, 1));
    T(ftruncate(99, 1));
    int p[2];
    T(pipe(p));
    T(ftruncate(p[1], 1));

    T(fallocate(fd, 0, 0, 100));
    mode_of("f");
    T(fallocate(fd, 0, 10, 10));       /* inside: the size stays */
    mode_of("f");
    T(fallocate(fd, 0, 0, 0));
    T(fallocate(fd, 0, -1, 10));
    T(fallocate(ro, 0, 0, 200));
    T(fallocate(p[1], 0, 0, 10));
    T(fallocate(99, 0, 0, 10));
    T(posix_fallocate(fd, 0, 300));
    mode_of("f");
    return 0;
}
