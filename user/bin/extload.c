/* extload [-k] PATH...: loads each C# extension source PATH into the running Spindle kernel for this
 * program through the spindle_ext_load system call and prints its handle; then unloads them all in
 * reverse order unless -k (keep them until this program exits). Exits 1 if any call failed
 * (ENOSYS: not running under Spindle). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "spindle.h"

int main(int argc, char **argv)
{
    int i = 1, keep = 0, rc = 0;
    if (i < argc && strcmp(argv[i], "-k") == 0) { keep = 1; i++; }
    if (i == argc) { fprintf(stderr, "usage: extload [-k] PATH...\n"); return 2; }
    long handles[64];
    int n = 0;
    for (; i < argc && n < 64; i++) {
        long h = spindle_ext_load(argv[i]);
        if (h < 0) { fprintf(stderr, "extload: %s: %s\n", argv[i], strerror(errno)); rc = 1; continue; }
        printf("loaded %s: handle %ld\n", argv[i], h);
        handles[n++] = h;
    }
    fflush(stdout);
    while (!keep && n > 0) {
        long h = handles[--n];
        if (spindle_ext_unload(h) < 0) { fprintf(stderr, "extload: unload %ld: %s\n", h, strerror(errno)); rc = 1; }
        else printf("unloaded handle %ld\n", h);
    }
    return rc;
}
