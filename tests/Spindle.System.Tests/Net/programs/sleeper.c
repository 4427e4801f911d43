/* Sleeps argv[1] seconds (nanosleep), then exits 0: a first program that keeps a networked Spindle up while a
   Linux peer talks to its in-kernel stack. */
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct timespec t = { argc > 1 ? atoi(argv[1]) : 60, 0 };
    while (nanosleep(&t, &t) != 0) { }
    return 0;
}
