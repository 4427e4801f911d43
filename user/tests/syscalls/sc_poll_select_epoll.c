/* Waiting on many descriptors: poll, select and epoll over pipes and sockets, with a forked writer that
 * makes them ready while the parent waits; and their errors. */
#include "sc.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void sel(const char *what, int n, int rfd, int wfd, long usec)
{
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    if (rfd >= 0) FD_SET(rfd, &r);
    if (wfd >= 0) FD_SET(wfd, &w);
    struct timeval tv = { 0, usec };
    int got = select(n, &r, &w, NULL, usec < 0 ? NULL : &tv);
    if (got < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else printf("%s: %d read %d write %d\n", what, got, rfd >= 0 && FD_ISSET(rfd, &r), wfd >= 0 && FD_ISSET(wfd, &w));
    fflush(stdout);
}

static void wait_epoll(const char *what, int ep, int timeout)
{
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, timeout);
    if (n < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); fflush(stdout); return; }
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) printf(" [data %lu events %#x]", (unsigned long)ev[i].data.u64, ev[i].events);
    printf("\n");
    fflush(stdout);
}

int main(void)
{
    int p[2], sv[2];
    char buf[16];
    T(pipe(p));
    T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

    struct pollfd fds[4] = {
        { .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLOUT },
        { .fd = sv[0], .events = POLLIN }, { .fd = 99, .events = POLLIN },
    };
    T(poll(fds, 4, 0));
    printf("revents %#x %#x %#x %#x\n", fds[0].revents, fds[1].revents, fds[2].revents, fds[3].revents);
    sel("select empty", sv[1] + 1, p[0], -1, 0);
    sel("select write", sv[1] + 1, p[0], p[1], 0);
    sel("select bad", 100, 98, -1, 0);
    sel("select negative", -1, p[0], -1, 0);
    sel("select timeout", sv[1] + 1, sv[0], -1, 1000);

    int ep = T(epoll_create1(EPOLL_CLOEXEC));
    T(epoll_create1(1));
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 };
    T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    ev.data.u64 = 2;
    T(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev));
    T(epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev));
    T(epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL));
    T(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    T(epoll_ctl(p[0], EPOLL_CTL_ADD, sv[1], &ev));
    T(epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
    T(epoll_ctl(ep, 9, sv[1], &ev));
    put("regular", "x");
    int reg = T(open("regular", O_RDONLY));
    T(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev));
    T(epoll_wait(ep, (struct epoll_event *)buf, 0, 0));
    T(epoll_wait(p[0], (struct epoll_event *)buf, 1, 0));
    wait_epoll("epoll none", ep, 0);
    wait_epoll("epoll timeout", ep, 5);
    T(write(p[1], "a", 1));
    wait_epoll("epoll pipe", ep, -1);
    T(write(sv[1], "b", 1));
    wait_epoll("epoll both", ep, -1);
    T(read(p[0], buf, 1));
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 3;
    T(epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev));
    wait_epoll("epoll oneshot", ep, 0);
    wait_epoll("epoll oneshot again", ep, 0);
    T(epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev));
    wait_epoll("epoll rearmed", ep, 0);
    T(read(sv[0], buf, 1));
    ev.events = EPOLLIN;
    T(epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev));

    /* A child writes after a pause; each kind of wait blocks until it does. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        write(p[1], "c", 1);
        usleep(20000);
        write(sv[1], "d", 1);
        usleep(20000);
        close(sv[1]);
        _exit(0);
    }
    struct pollfd one = { .fd = p[0], .events = POLLIN };
    T(poll(&one, 1, -1));
    printf("poll woke %#x\n", one.revents);
    T(read(p[0], buf, 1));
    sel("select woke", sv[1] + 1, sv[0], -1, -1);
    T(read(sv[0], buf, 1));
    T(close(sv[1]));
    wait_epoll("epoll hangup", ep, -1);
    int status;
    if (waitpid(child, &status, 0) != child) printf("waitpid failed\n");
    T(close(ep));
    return 0;
}
