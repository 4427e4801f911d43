/* Exit status 42 after output that is still in the stdio buffer (exit must flush it) and atexit
 * handlers that run in reverse order of registration. */
#include <stdlib.h>
#include <stdio.h>

static void first(void) { printf("atexit first (runs last)\n"); }
static void second(void) { printf("atexit second (runs first)\n"); }

int main(void)
{
    atexit(first);
    atexit(second);
    printf("buffered before exit");
    exit(42);
}
