/* Loads from page zero: the process must die of SIGSEGV (status 139) after its first line. */
#include <unistd.h>
#include <stdint.h>

int main(void)
{
    write(1, "before the load\n", 16);
    volatile uint32_t *volatile p = (volatile uint32_t *)(uintptr_t)8;
    int v = (int)*p;
    write(1, "after the load\n", 15);
    return v;
}
