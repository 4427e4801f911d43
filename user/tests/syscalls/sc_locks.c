/* flock and fcntl record locks (POSIX and OFD) between a parent and a child: conflicts, ranges, waiting. */
#include "sc.h"
#include <sys/file.h>
#include <sys/wait.h>

static int lock(int fd, int cmd, short type, long start, long len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK of [start, start+len) as the caller sees it: the conflicting lock, or "none". */
static void test(const char *who, int fd, int cmd, short type, long start, long len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    if (fcntl(fd, cmd, &fl) < 0) { printf("%s getlk: -1 %s\n", who, strerrorname_np(errno)); return; }
    if (fl.l_type == F_UNLCK) printf("%s getlk %ld+%ld: none\n", who, start, len);
    else printf("%s getlk %ld+%ld: %s %ld+%ld pid %s\n", who, start, len, fl.l_type == F_WRLCK ? "write" : "read",
                (long)fl.l_start, (long)fl.l_len, fl.l_pid == getppid() ? "parent" : fl.l_pid == -1 ? "-1" : "other");
    fflush(stdout);
}

int main(void)
{
    put("f", "0123456789");
    int fd = T(open("f", O_RDWR)), fd2 = T(open("f", O_RDWR)), go[2];
    T(flock(fd, LOCK_SH));
    T(flock(fd2, LOCK_SH | LOCK_NB));
    T(flock(fd2, LOCK_EX | LOCK_NB));
    T(flock(fd2, LOCK_UN));
    T(flock(fd, LOCK_EX | LOCK_NB));
    T(flock(fd2, LOCK_SH | LOCK_NB));
    T(flock(fd, 0));
    T(flock(99, LOCK_SH));

    T(lock(fd, F_SETLK, F_WRLCK, 0, 4));
    T(lock(fd, F_SETLK, F_WRLCK, 4, 2));   /* merges with 0+4 */
    T(lock(fd, F_SETLK, F_RDLCK, 8, 0));   /* to the end */
    T(lock(fd, F_SETLK, F_UNLCK, 2, 1));   /* splits 0+6 */
    test("self", fd, F_GETLK, F_WRLCK, 0, 0);
    T(lock(fd, F_SETLK, 7, 0, 1));
    int ro = open("f", O_RDONLY);
    T(lock(ro, F_SETLK, F_WRLCK, 0, 1));
    T(pipe(go));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        test("child", fd, F_GETLK, F_WRLCK, 0, 0);
        test("child", fd, F_GETLK, F_WRLCK, 2, 1);
        test("child", fd, F_GETLK, F_RDLCK, 9, 1);
        test("child", fd, F_GETLK, F_WRLCK, 9, 1);
        T(lock(fd, F_SETLK, F_WRLCK, 2, 1));
        T(lock(fd, F_SETLK, F_WRLCK, 3, 1));
        T(flock(fd2, LOCK_EX | LOCK_NB)); /* the parent's description fd holds an exclusive flock */
        int other = open("f", O_RDWR);
        T(flock(other, LOCK_SH | LOCK_NB));
        write(go[1], "x", 1);               /* silent from here: the parent prints once the child is done */
        long waited = lock(fd, F_SETLKW, F_WRLCK, 0, 1);  /* waits until the parent lets go */
        long shared = flock(other, LOCK_SH);
        printf("child waited: %ld %ld\n", waited, shared);
        fflush(stdout);
        _exit(0);
    }
    char c;
    read(go[0], &c, 1);
    long unlocked = lock(fd, F_SETLK, F_UNLCK, 0, 0), unflocked = flock(fd, LOCK_UN);
    int status;
    waitpid(child, &status, 0);
    printf("parent let go: %ld %ld; child status %d\n", unlocked, unflocked, status);

    int o1 = open("f", O_RDWR), o2 = open("f", O_RDWR);
    struct flock ofd = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
    T(fcntl(o1, F_OFD_SETLK, &ofd));
    T(fcntl(o2, F_OFD_SETLK, &ofd));
    test("ofd", o2, F_OFD_GETLK, F_RDLCK, 0, 1);
    T(close(o1));
    T(fcntl(o2, F_OFD_SETLK, &ofd));
    ofd.l_pid = 5;
    T(fcntl(o2, F_OFD_SETLK, &ofd));
    return 0;
}
