/* mknodat: FIFOs and regular files; their type and mode; errors. (Device nodes and opening a FIFO are not compared.) */
#include "sc.h"
#include <sys/sysmacros.h>

int main(void)
{
    umask(022);
    T(mkfifo("fifo", 0666));
    mode_of("fifo");
    T(mknod("plain", S_IFREG | 0640, 0));
    mode_of("plain");
    T(mknod("zero-type", 0600, 0));
    mode_of("zero-type");
    T(mkfifo("fifo", 0600));
    T(mknod("bad", 0170000 | 0600, 0));
    T(mkfifo("nodir/f", 0600));
    T(mkdir("d", 0755));
    int dir = T(open("d", O_RDONLY | O_DIRECTORY));
    T(mknodat(dir, "inner", S_IFIFO | 0600, 0));
    mode_of("d/inner");
    T(unlink("fifo"));
    mode_of("fifo");
    return 0;
}
