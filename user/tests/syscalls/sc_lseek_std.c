/* lseek on descriptors 0-2 when they are files (stdin.txt and stdout.txt), and on a pipe (ESPIPE). */
#include "sc.h"

int main(void)
{
    char text[8];
    T(lseek(0, 0, SEEK_CUR));
    T(read(0, text, 5));
    printf("read: %.5s\n", text);
    T(lseek(0, 0, SEEK_CUR));
    T(lseek(0, 2, SEEK_SET));
    T(read(0, text, 3));
    printf("read: %.3s\n", text);
    T(lseek(0, -1, SEEK_END));
    T(read(0, text, 1));
    T(lseek(0, -100, SEEK_SET));
    T(lseek(0, 0, 7));
    T(lseek(1, 0, SEEK_CUR) > 0);
    T(lseek(2, 0, SEEK_CUR) >= 0);
    int p[2];
    T(pipe(p));
    T(lseek(p[0], 0, SEEK_CUR));
    T(lseek(99, 0, SEEK_CUR));
    return 0;
}
