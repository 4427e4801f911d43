/* files: open/write/read/lseek/fstat on a file in /tmp, O_APPEND, dup/dup2 sharing one offset, an offset
 * shared with a forked child, O_EXCL, unlink, and errors (ENOENT, EBADF). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "proc.h"

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/spindle-files-%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
    check_true("create", fd >= 0);
    errno = 0;
    check_true("O_EXCL on an existing file: EEXIST", open(path, O_RDWR | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST);
    check_u64("write", write(fd, "hello world", 11), 11);
    check_u64("lseek SEEK_CUR", lseek(fd, 0, SEEK_CUR), 11);
    check_u64("lseek SEEK_SET", lseek(fd, 6, SEEK_SET), 6);
    char buf[32] = { 0 };
    check_u64("read", read(fd, buf, sizeof buf), 5);
    check_true("read back", strcmp(buf, "world") == 0);
    check_u64("read at end", read(fd, buf, sizeof buf), 0);

    int d = dup(fd);
    lseek(d, 0, SEEK_SET);
    check_u64("dup shares the offset", lseek(fd, 0, SEEK_CUR), 0);
    check_u64("dup2 to 20", dup2(fd, 20), 20);
    pid_t c = checked_fork();
    if (c == 0) { write(20, "HELLO", 5); _exit(0); }
    waitpid(c, NULL, 0);
    check_u64("child's write moved our offset", lseek(fd, 0, SEEK_CUR), 5);
    close(d);
    close(20);

    int a = open(path, O_WRONLY | O_APPEND);
    write(a, "!", 1);
    close(a);
    struct stat st;
    check_u64("fstat size", fstat(fd, &st) == 0 ? st.st_size : 0, 12);
    check_true("regular file", S_ISREG(st.st_mode));
    memset(buf, 0, sizeof buf);
    check_u64("pread", pread(fd, buf, sizeof buf, 0), 12);
    check_true("content", strcmp(buf, "HELLO world!") == 0);
    close(fd);

    int t = open(path, O_WRONLY | O_TRUNC);
    check_u64("O_TRUNC empties", fstat(t, &st) == 0 ? st.st_size : 99, 0);
    close(t);
    check_u64("unlink", unlink(path), 0);
    errno = 0;
    check_true("open after unlink: ENOENT", open(path, O_RDONLY) < 0 && errno == ENOENT);
    errno = 0;
    check_true("read from a closed fd: EBADF", read(fd, buf, 1) < 0 && errno == EBADF);
    return check_done("files");
}
