/* umask, chmod, fchmod, fchmodat: created modes honour the umask; modes change; errors. */
#include "sc.h"

int main(void)
{
    T(umask(022));
    T(umask(077));
    int fd = T(open("a", O_CREAT | O_WRONLY, 0777));
    mode_of("a");
    T(mkdir("d", 0777));
    mode_of("d");
    T(umask(0));
    T(mkdir("d/e", 0751));
    mode_of("d/e");
    T(chmod("a", 04755));
    mode_of("a");
    T(fchmod(fd, 0600));
    mode_of("a");
    T(fchmodat(AT_FDCWD, "d/e", 0700, 0));
    mode_of("d/e");
    int dir = T(open("d", O_RDONLY | O_DIRECTORY));
    T(fchmodat(dir, "e", 01777, 0));
    mode_of("d/e");
    T(symlink("a", "link"));
    T(chmod("link", 0640));            /* follows the link */
    mode_of("a");
    T(chmod("missing", 0600));
    T(chmod("a/x", 0600));
    T(fchmod(99, 0600));
    T(fchmodat(99, "e", 0600, 0));
    T(close(fd));
    T(umask(022));
    return 0;
}
