/* AF_UNIX sockets: socketpair (stream and datagram), bind to paths and abstract names, listen, accept4,
 * connect, send/recv with addresses and iovecs, shutdown, names, options, and the errors Linux gives. */
#include "sc.h"
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>

static socklen_t addr(struct sockaddr_un *a, const char *path, int abstract)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path + (abstract ? 1 : 0), path);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1); /* the path's NUL, or an abstract name's leading one */
}

/* getsockname / getpeername as "len N path P" (an abstract name is shown with @). */
static void name(const char *what, int fd, int peer)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); return; }
    printf("%s: len %u family %d path %s%s\n", what, (unsigned)len, a.sun_family,
           len > 2 && a.sun_path[0] == 0 ? "@" : "", len > 2 ? a.sun_path + (a.sun_path[0] == 0) : "");
    fflush(stdout);
}

static void revents(const char *what, int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
    int r = poll(&p, 1, 0);
    printf("%s: %d revents %#x\n", what, r, p.revents & (POLLIN | POLLOUT | POLLHUP | POLLERR));
    fflush(stdout);
}

int main(void)
{
    char buf[64];
    int sv[2], opt;
    socklen_t optlen;

    /* Errors of socket itself. */
    T(socket(12345, SOCK_STREAM, 0));
    T(socket(AF_UNIX, SOCK_STREAM, 7));
    T(socket(AF_UNIX, 9, 0));
    T(listen(0, 1));
    T(listen(99, 1));

    /* A stream pair. */
    T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    revents("pair fresh", sv[0]);
    T(write(sv[0], "hello", 5));
    revents("pair readable", sv[1]);
    int queued = -1;
    T(ioctl(sv[1], FIONREAD, &queued));
    printf("queued %d\n", queued);
    T(recv(sv[1], buf, 2, MSG_PEEK));
    T(read(sv[1], buf, sizeof buf));
    printf("got %.5s\n", buf);
    T(send(sv[1], "x", 1, MSG_DONTWAIT));
    T(recv(sv[1], buf, 1, MSG_DONTWAIT));
    name("pair name", sv[0], 0);
    name("pair peer", sv[0], 1);
    optlen = sizeof opt;
    T(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &opt, &optlen));
    printf("type %d len %u\n", opt, (unsigned)optlen);
    optlen = sizeof opt;
    T(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &opt, &optlen));
    printf("domain %d\n", opt);
    opt = 1;
    T(setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &opt, sizeof opt));
    T(setsockopt(sv[0], SOL_SOCKET, 9999, &opt, sizeof opt));
    T(shutdown(sv[0], SHUT_WR));
    T(read(sv[1], buf, sizeof buf));
    revents("after peer shut wr", sv[1]);
    T(shutdown(sv[0], 7));
    T(close(sv[0]));
    revents("after peer close", sv[1]);
    signal(SIGPIPE, SIG_IGN);
    T(write(sv[1], "y", 1));
    T(close(sv[1]));

    /* A datagram pair keeps message boundaries and truncates. */
    T(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    T(send(sv[0], "one", 3, 0));
    T(send(sv[0], "second", 6, 0));
    T(ioctl(sv[1], FIONREAD, &queued));
    printf("next datagram %d\n", queued);
    T(recv(sv[1], buf, 2, 0));
    T(recv(sv[1], buf, 3, MSG_TRUNC));
    T(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    T(close(sv[0]));
    T(close(sv[1]));

    /* Names: paths, abstract names, the errors of binding and connecting. */
    struct sockaddr_un a, b;
    socklen_t alen = addr(&a, "sock", 0);
    int l = T(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int c = T(socket(AF_UNIX, SOCK_STREAM, 0));
    T(connect(c, (struct sockaddr *)&a, alen));
    T(listen(l, 4));
    T(bind(l, (struct sockaddr *)&a, alen));
    T(bind(l, (struct sockaddr *)&a, alen));
    T(bind(c, (struct sockaddr *)&a, alen));
    T(connect(c, (struct sockaddr *)&a, alen));
    name("client name", c, 0);
    name("client peer", c, 1);
    T(connect(c, (struct sockaddr *)&a, alen));
    T(listen(l, 4));
    T(fcntl(l, F_GETFD));
    T(connect(c, (struct sockaddr *)&a, alen));
    int s = T(accept4(l, NULL, NULL, SOCK_NONBLOCK));
    T(fcntl(s, F_GETFL) & O_NONBLOCK ? 1 : 0);
    name("server name", s, 0);
    name("server peer", s, 1);
    T(accept4(l, NULL, NULL, 0x1234));
    T(write(c, "ping", 4));
    T(read(s, buf, sizeof buf));
    T(read(s, buf, sizeof buf));
    T(accept(c, NULL, NULL));
    T(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &opt, &optlen));
    printf("acceptconn %d\n", opt);
    T(close(s));
    T(close(c));
    T(close(l));
    c = T(socket(AF_UNIX, SOCK_STREAM, 0));
    T(connect(c, (struct sockaddr *)&a, alen));      /* the file stays: refused */
    l = T(socket(AF_UNIX, SOCK_STREAM, 0));
    T(bind(l, (struct sockaddr *)&a, alen));         /* still in use */
    T(unlink("sock"));
    T(connect(c, (struct sockaddr *)&a, alen));      /* gone */
    T(bind(l, (struct sockaddr *)&a, alen));
    T(unlink("sock"));
    T(close(l));
    put("plain", "x");
    alen = addr(&b, "plain", 0);
    T(connect(c, (struct sockaddr *)&b, alen));
    T(bind(c, (struct sockaddr *)&b, alen));
    alen = addr(&b, "nodir/sock", 0);
    T(bind(c, (struct sockaddr *)&b, alen));
    alen = addr(&b, "spindle-test-abstract", 1);
    T(bind(c, (struct sockaddr *)&b, alen));
    name("abstract name", c, 0);
    l = T(socket(AF_UNIX, SOCK_DGRAM, 0));
    T(connect(l, (struct sockaddr *)&b, alen));      /* abstract names are per type: nobody */
    T(bind(l, (struct sockaddr *)&b, alen));
    T(connect(l, (struct sockaddr *)&b, alen));      /* itself */
    name("dgram peer", l, 1);
    T(close(c));
    T(close(l));
    T(unlink("plain"));

    /* A listener with a forked client: stream data both ways, then a datagram exchange with addresses. */
    alen = addr(&a, "srv", 0);
    l = T(socket(AF_UNIX, SOCK_STREAM, 0));
    T(bind(l, (struct sockaddr *)&a, alen));
    T(listen(l, 1));
    int d = T(socket(AF_UNIX, SOCK_DGRAM, 0));
    socklen_t dlen = addr(&b, "dgram", 0);
    T(bind(d, (struct sockaddr *)&b, dlen));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int k = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(k, (struct sockaddr *)&a, alen) < 0) _exit(3);
        struct iovec iov[2] = { { "from ", 5 }, { "child", 5 } };
        struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
        if (sendmsg(k, &m, 0) != 10) _exit(4);
        char r[16];
        if (read(k, r, sizeof r) != 2) _exit(5);
        close(k);
        int kd = socket(AF_UNIX, SOCK_DGRAM, 0);
        struct sockaddr_un me;
        socklen_t melen = addr(&me, "dgram-child", 0);
        if (bind(kd, (struct sockaddr *)&me, melen) < 0) _exit(6);
        if (sendto(kd, "datagram", 8, 0, (struct sockaddr *)&b, dlen) != 8) _exit(7);
        _exit(0);
    }
    s = T(accept(l, NULL, NULL));
    char part1[4], part2[16];
    struct iovec iov[2] = { { part1, sizeof part1 }, { part2, sizeof part2 } };
    struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
    long n = T(recvmsg(s, &m, 0));
    printf("recvmsg %.4s|%.*s flags %d\n", part1, (int)(n - 4), part2, m.msg_flags);
    T(write(s, "ok", 2));
    T(read(s, buf, sizeof buf));
    struct sockaddr_un from;
    socklen_t fromlen = sizeof from;
    n = T(recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen));
    printf("datagram %.*s from %s len %u\n", (int)n, buf, from.sun_path, (unsigned)fromlen);
    int status;
    if (waitpid(child, &status, 0) != child) printf("waitpid failed\n");
    printf("child status %d\n", WEXITSTATUS(status));
    T(unlink("srv"));
    T(unlink("dgram"));
    T(unlink("dgram-child"));
    return 0;
}
