/* chown, fchown, lchown, fchownat: owners change (as root), -1 keeps one, set-user-ID is cleared; errors. */
#include "sc.h"

static void owner_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) printf("owner %s: -1 %s\n", path, strerrorname_np(errno));
    else printf("owner %s: %u:%u mode %o\n", path, st.st_uid, st.st_gid, st.st_mode);
}

int main(void)
{
    umask(022);
    put("f", "x");
    T(chown("f", 123, 456));
    owner_of("f");
    T(chown("f", -1, 789));
    owner_of("f");
    T(chmod("f", 06755));
    T(chown("f", 5, -1));              /* a change clears S_ISUID, and S_ISGID with group execute */
    owner_of("f");
    T(chmod("f", 02745));
    T(chown("f", -1, 5));
    owner_of("f");
    int fd = T(open("f", O_RDONLY));
    T(fchown(fd, 7, 8));
    owner_of("f");
    T(symlink("f", "l"));
    T(lchown("l", 9, 10));
    owner_of("l");
    owner_of("f");
    T(fchownat(AT_FDCWD, "l", 11, 12, 0));
    owner_of("f");
    T(fchownat(AT_FDCWD, "l", 13, 14, AT_SYMLINK_NOFOLLOW));
    owner_of("l");
    T(fchownat(fd, "", 15, 16, AT_EMPTY_PATH));
    owner_of("f");
    T(fchownat(AT_FDCWD, "f", 1, 1, 0x4));
    T(chown("nope", 1, 1));
    T(fchown(77, 1, 1));
    T(mkdir("d", 0755));
    T(chown("d", 3, 4));
    owner_of("d");
    return 0;
}
