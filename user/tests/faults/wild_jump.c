/* Calls through a function pointer to an unmapped address: the process must die of SIGSEGV (status 139)
 * after the line it wrote first. */
#include <unistd.h>
#include <stdint.h>

int main(void)
{
    write(1, "before the jump\n", 16);
    void (*volatile f)(void) = (void (*)(void))(uintptr_t)0xdead0000;
    f();
    write(1, "after the jump\n", 15);
    return 0;
}
