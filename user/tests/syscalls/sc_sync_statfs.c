/* fsync, fdatasync, sync, syncfs, statfs, fstatfs. */
#include "sc.h"
#include <sys/statfs.h>

int main(void)
{
    put("f", "x");
    int fd = T(open("f", O_RDWR));
    T(fsync(fd));
    T(fdatasync(fd));
    sync();
    T(syncfs(fd));
    int dir = T(open(".", O_RDONLY | O_DIRECTORY));
    T(fsync(dir));
    int p[2];
    T(pipe(p));
    T(fsync(p[0]));
    T(fdatasync(p[1]));
    T(fsync(99));
    T(syncfs(99));

    struct statfs a, b;
    T(statfs(".", &a));
    T(fstatfs(fd, &b));
    printf("same type: %d, block size set: %d, name max: %ld, blocks >= free: %d\n", a.f_type == b.f_type,
           a.f_bsize > 0, (long)a.f_namelen, a.f_blocks >= a.f_bfree);
    T(statfs("missing", &a));
    T(statfs("f/x", &a));
    T(fstatfs(99, &a));
    return 0;
}
