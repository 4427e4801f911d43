/* sleep SECONDS: waits SECONDS (a decimal, e.g. 0.25) with nanosleep, resuming after interruptions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    char *end;
    double s = argc == 2 ? strtod(argv[1], &end) : -1;
    if (argc != 2 || *end || s < 0 || s > 1e9) { fprintf(stderr, "usage: sleep SECONDS\n"); return 2; }
    struct timespec t = { (time_t)s, (long)((s - (time_t)s) * 1e9) };
    while (nanosleep(&t, &t) < 0)
        if (errno != EINTR) { perror("sleep"); return 1; }
    return 0;
}
