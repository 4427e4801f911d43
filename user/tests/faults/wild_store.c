/* Stores to an unmapped address: the process must die of SIGSEGV (status 139) after its first line. */
#include <unistd.h>
#include <stdint.h>

int main(void)
{
    write(1, "before the store\n", 17);
    *(volatile uint64_t *)(uintptr_t)0xdead0000 = 42;
    write(1, "after the store\n", 16);
    return 0;
}
