/* The program the gdb tests debug, under Spindle's stub and under qemu-riscv64's: a function to break in,
   globals to read and write, a floating-point value, and a second thread. */
#include <pthread.h>
#include <stdio.h>

volatile long counter = 7;
volatile double scale = 1.5;

__attribute__((noinline)) long add(long a, long b)
{
    return a + b + counter;
}

static void *worker(void *arg)
{
    long *p = arg;
    *p = add(*p, 1) + (long)scale;
    return 0;
}

int main(void)
{
    long r = add(2, 3);
    printf("add=%ld\n", r);
    long v = 10;
    pthread_t t;
    pthread_create(&t, 0, worker, &v);
    pthread_join(t, 0);
    printf("thread=%ld counter=%ld\n", v, counter);
    return (int)(r & 0x7f);
}
