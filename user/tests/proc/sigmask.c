/* sigmask: blocked signals stay pending (sigpending) and are delivered once unblocked, exactly once for a
 * standard signal raised twice; SIG_IGN discards; the handler runs with its own signal masked; sigsuspend
 * waits for a signal with a temporary mask. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "../check.h"

static volatile int usr1, usr2, nested_blocked;

static void on_usr1(int sig)
{
    sigset_t now;
    (void)sig;
    sigprocmask(SIG_SETMASK, NULL, &now);
    nested_blocked = sigismember(&now, SIGUSR1);
    usr1++;
}

static void on_usr2(int sig) { (void)sig; usr2++; }

int main(void)
{
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    sigset_t set, pending, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    check_u64("handler ran while blocked", usr1, 0);
    sigpending(&pending);
    check_true("SIGUSR1 pending", sigismember(&pending, SIGUSR1));
    check_true("SIGUSR2 not pending", !sigismember(&pending, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    check_u64("delivered once on unblock", usr1, 1);
    check_true("SIGUSR1 masked inside its handler", nested_blocked);
    sigpending(&pending);
    check_true("nothing pending after delivery", !sigismember(&pending, SIGUSR1));

    signal(SIGUSR2, SIG_IGN);
    kill(getpid(), SIGUSR2);
    check_u64("ignored signal not delivered", usr2, 0);
    signal(SIGUSR2, on_usr2);

    /* sigsuspend: block SIGUSR2, make it pending, then wait with it unblocked. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    check_true("sigsuspend returns -1", sigsuspend(&wait_mask) == -1);
    check_u64("handler ran in sigsuspend", usr2, 1);
    sigprocmask(SIG_SETMASK, NULL, &old);
    check_true("mask restored after sigsuspend", sigismember(&old, SIGUSR2));
    return check_done("sigmask");
}
