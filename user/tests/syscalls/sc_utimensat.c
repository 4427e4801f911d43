/* utimensat and futimens: explicit times, UTIME_OMIT, UTIME_NOW, links not followed on request; errors. */
#include "sc.h"
#include <time.h>

static void times_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) { printf("times %s: -1 %s\n", path, strerrorname_np(errno)); return; }
    printf("times %s: atime %lld.%09ld mtime %lld.%09ld\n", path, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void)
{
    put("f", "x");
    struct timespec t[2] = { { 1000000000, 123456789 }, { 1234567890, 5 } };
    T(utimensat(AT_FDCWD, "f", t, 0));
    times_of("f");
    struct timespec omit[2] = { { 1, UTIME_OMIT }, { 42, 7 } };
    T(utimensat(AT_FDCWD, "f", omit, 0));
    times_of("f");
    struct timespec before;
    clock_gettime(CLOCK_REALTIME, &before);
    struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
    T(utimensat(AT_FDCWD, "f", now, 0));
    struct stat st;
    stat("f", &st);
    printf("atime is now: %d, mtime kept: %d\n", st.st_atim.tv_sec >= before.tv_sec, st.st_mtim.tv_sec == 42);
    int fd = T(open("f", O_RDWR));
    struct timespec u[2] = { { 7, 8 }, { 9, 10 } };
    T(futimens(fd, u));
    times_of("f");
    T(symlink("f", "l"));
    struct timespec v[2] = { { 11, 0 }, { 12, 0 } };
    T(utimensat(AT_FDCWD, "l", v, AT_SYMLINK_NOFOLLOW));
    times_of("l");
    times_of("f");
    T(utimensat(AT_FDCWD, "l", u, 0));
    times_of("f");
    struct timespec bad[2] = { { 1, 1000000000 }, { 1, 0 } };
    T(utimensat(AT_FDCWD, "f", bad, 0));
    T(utimensat(AT_FDCWD, "f", t, 0x8000));
    T(utimensat(AT_FDCWD, "missing", t, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, NULL, t, 0));
    T(syscall(SYS_utimensat, 99, NULL, t, 0));
    T(syscall(SYS_utimensat, fd, NULL, t, 0));
    times_of("f");
    struct timespec both_omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    T(utimensat(AT_FDCWD, "f", both_omit, 0));
    times_of("f");
    return 0;
}
