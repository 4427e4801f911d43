/* Raw system calls whose answers the personality decides: an unknown number, a failed open. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void)
{
    long r = syscall(999);
    printf("syscall(999) = %ld errno %d (%s)\n", r, errno, strerror(errno));
    int fd = open("/no/such/file", O_RDONLY);
    printf("open = %d errno %d\n", fd, errno);
    printf("write to bad fd = %zd errno %d\n", write(55, "x", 1), errno);
    printf("isatty(1) = %d\n", isatty(1));
    return 0;
}
