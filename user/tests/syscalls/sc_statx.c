/* statx: the basic fields agree with fstatat; flags and masks; errors. */
#include "sc.h"
#include <sys/sysmacros.h>

static void compare(const char *what, int dirfd, const char *path, int flags)
{
    struct statx x;
    struct stat st;
    if (statx(dirfd, path, flags, STATX_BASIC_STATS, &x) < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); return; }
    if (fstatat(dirfd, path, &st, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) < 0) { printf("%s: fstatat failed\n", what); return; }
    printf("%s: basic %x mode %o nlink %u size %lld, same as stat: %d %d %d %d %d %d\n", what, x.stx_mask & STATX_BASIC_STATS,
           x.stx_mode, x.stx_nlink, (long long)x.stx_size, x.stx_ino == st.st_ino, x.stx_uid == st.st_uid,
           x.stx_mtime.tv_sec == st.st_mtim.tv_sec && x.stx_mtime.tv_nsec == (unsigned)st.st_mtim.tv_nsec,
           makedev(x.stx_dev_major, x.stx_dev_minor) == st.st_dev, x.stx_blocks == (unsigned long long)st.st_blocks,
           x.stx_blksize == (unsigned)st.st_blksize);
    fflush(stdout);
}

int main(void)
{
    umask(022);
    put("f", "hello");
    T(symlink("f", "l"));
    T(mkdir("d", 0755));
    compare("file", AT_FDCWD, "f", 0);
    compare("link followed", AT_FDCWD, "l", 0);
    compare("link", AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW);
    compare("dir", AT_FDCWD, "d", 0);
    int fd = T(open("f", O_RDONLY));
    compare("by fd", fd, "", AT_EMPTY_PATH);
    compare("sync", AT_FDCWD, "f", AT_STATX_FORCE_SYNC);
    struct statx x;
    T(statx(AT_FDCWD, "f", 0x6000, STATX_BASIC_STATS, &x));
    T(statx(AT_FDCWD, "f", 0x10000000, STATX_BASIC_STATS, &x));
    T(statx(AT_FDCWD, "f", 0, 0x80000000, &x));
    T(statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &x));
    T(statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &x));
    T(statx(99, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &x));
    T(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, (struct statx *)16));
    return 0;
}
