/* link, linkat (AT_SYMLINK_FOLLOW, AT_EMPTY_PATH), rename, renameat2 (RENAME_NOREPLACE), symlink, readlink. */
#include "sc.h"
#include <dirent.h>

static void list(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]->d_name); free(names[i]); }
    printf("%s\n", n < 0 ? " (cannot list)" : "");
    free(names);
}

int main(void)
{
    umask(022);
    put("f", "data");
    T(link("f", "g"));
    mode_of("f");
    T(link("f", "g"));
    T(link("missing", "h"));
    T(mkdir("d", 0755));
    T(link("d", "d2"));
    T(link("f", "nodir/x"));
    T(symlink("f", "s"));
    T(linkat(AT_FDCWD, "s", AT_FDCWD, "s-nofollow", 0));
    mode_of("s-nofollow");
    T(linkat(AT_FDCWD, "s", AT_FDCWD, "s-follow", AT_SYMLINK_FOLLOW));
    mode_of("s-follow");
    int fd = T(open("f", O_RDONLY));
    T(linkat(fd, "", AT_FDCWD, "by-fd", AT_EMPTY_PATH));
    mode_of("f");
    T(linkat(AT_FDCWD, "f", AT_FDCWD, "bad", 0x1));

    char text[64] = { 0 };
    T(readlink("s", text, sizeof text));
    printf("s -> %s\n", text);
    T(symlink("nowhere", "dangling"));
    mode_of("dangling");
    T(open("dangling", O_RDONLY));
    T(symlink("x", "f"));
    T(symlink("", "empty"));
    T(readlink("f", text, sizeof text));
    T(symlink("d", "sd"));
    put("sd/inside", "1");
    mode_of("d/inside");

    T(rename("g", "g2"));
    T(rename("g2", "f"));              /* two names of one object: nothing happens */
    mode_of("g2");
    T(rename("by-fd", "f"));
    mode_of("f");
    T(rename("missing", "x"));
    T(mkdir("e", 0755));
    T(mkdir("full", 0755));
    put("full/x", "1");
    T(rename("e", "full"));
    T(rename("f", "e"));
    T(rename("e", "f"));
    T(rename("e", "d2"));
    T(rename("d", "d/sub"));
    T(renameat2(AT_FDCWD, "f", AT_FDCWD, "s-follow", RENAME_NOREPLACE));
    T(renameat2(AT_FDCWD, "f", AT_FDCWD, "new", RENAME_NOREPLACE));
    T(renameat2(AT_FDCWD, "new", AT_FDCWD, "new2", 0x8));
    T(rename("d2", "."));
    list(".");
    list("d");
    return 0;
}
