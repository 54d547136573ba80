// SPDX-License-Identifier: MIT
/*
 * One epoll loop serving an mx channel and a TCP socket.
 *
 * The server registers the channel on an mx port (mx_object_wait_async)
 * and puts the port into epoll through mx_waitfd_create(), next to a TCP
 * listening socket. Two clients run as child processes: one speaks over
 * the channel, the other over TCP. Every request is answered with
 * "echo: <request>". The server ends when the channel client has hung up
 * and the TCP client has been served.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define KEY_CHANNEL	1
#define ROUNDS		3

static void die(const char *what, long err)
{
	fprintf(stderr, "mx-epoll-server: %s: %ld\n", what, err);
	exit(1);
}

#define CHECK(call)							\
	do {								\
		mx_status_t st_ = (call);				\
		if (st_ != MX_OK)					\
			die(#call, st_);				\
	} while (0)

/* The VM may start with the loopback interface down. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static int tcp_listen(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		die("socket", errno);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    listen(s, 4) < 0 ||
	    getsockname(s, (struct sockaddr *)addr, &len) < 0)
		die("bind/listen", errno);
	return s;
}

static void channel_client(mx_handle_t ch)
{
	char buf[64];
	uint32_t n = 0, nh = 0;
	mx_signals_t obs;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		int len = snprintf(buf, sizeof(buf), "ping %d", i);

		CHECK(mx_channel_write(ch, 0, buf, (uint32_t)len, NULL, 0));
		CHECK(mx_object_wait_one(ch, MX_CHANNEL_READABLE,
					 MX_TIME_INFINITE, &obs));
		CHECK(mx_channel_read(ch, 0, buf, NULL, sizeof(buf) - 1, 0,
				      &n, &nh));
		buf[n] = '\0';
		printf("channel client got \"%s\"\n", buf);
	}
	fflush(stdout);
	_exit(0);
}

static void tcp_client(const struct sockaddr_in *addr)
{
	const char req[] = "hello over tcp";
	char buf[64];
	ssize_t n;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || connect(s, (const struct sockaddr *)addr,
			     sizeof(*addr)) < 0)
		die("connect", errno);
	if (write(s, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
		die("write", errno);
	n = read(s, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read", errno);
	buf[n] = '\0';
	printf("tcp client got \"%s\"\n", buf);
	fflush(stdout);
	_exit(0);
}

/* Answer every queued request; return 1 once the client has hung up. */
static int serve_channel(mx_handle_t ch)
{
	char req[64], reply[80];
	uint32_t n, nh;
	mx_status_t st;

	for (;;) {
		st = mx_channel_read(ch, 0, req, NULL, sizeof(req) - 1, 0,
				     &n, &nh);
		if (st == MX_ERR_SHOULD_WAIT)
			return 0;
		if (st == MX_ERR_PEER_CLOSED)
			return 1;
		CHECK(st);
		req[n] = '\0';
		printf("server: channel request \"%s\"\n", req);
		n = (uint32_t)snprintf(reply, sizeof(reply), "echo: %s", req);
		CHECK(mx_channel_write(ch, 0, reply, n, NULL, 0));
	}
}

static void serve_tcp(int conn)
{
	char req[64], reply[80];
	ssize_t n = read(conn, req, sizeof(req) - 1);
	int len;

	if (n <= 0)
		die("read request", errno);
	req[n] = '\0';
	printf("server: tcp request \"%s\"\n", req);
	len = snprintf(reply, sizeof(reply), "echo: %s", req);
	if (write(conn, reply, (size_t)len) != len)
		die("write reply", errno);
	close(conn);
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	struct sockaddr_in addr;
	mx_handle_t port, srv, cli;
	int ep, lsock, pfd, i, n, status;
	int channel_done = 0, tcp_done = 0;
	pid_t kids[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	loopback_up();
	CHECK(mx_port_create(MX_PORT_OPT_V2, &port));
	CHECK(mx_channel_create(0, &srv, &cli));
	CHECK(mx_object_wait_async(srv, port, KEY_CHANNEL,
				   MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED,
				   MX_WAIT_ASYNC_REPEATING));
	CHECK(mx_waitfd_create(port, MX_PORT_READABLE, O_CLOEXEC, &pfd));
	lsock = tcp_listen(&addr);

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1", errno);
	ev.data.fd = pfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev);
	ev.data.fd = lsock;
	epoll_ctl(ep, EPOLL_CTL_ADD, lsock, &ev);

	/* The channel client gets its end through a file descriptor. */
	CHECK(mx_handle_to_fd(cli, 0, &n));
	kids[0] = fork();
	if (kids[0] == 0) {
		mx_handle_t mine;

		CHECK(mx_handle_from_fd(n, &mine));
		close(n);
		channel_client(mine);
	}
	close(n);
	kids[1] = fork();
	if (kids[1] == 0)
		tcp_client(&addr);

	while (!channel_done || !tcp_done) {
		n = epoll_wait(ep, out, 4, 10000);
		if (n <= 0)
			die("epoll_wait timed out", n);
		for (i = 0; i < n; i++) {
			if (out[i].data.fd == lsock) {
				int conn = accept4(lsock, NULL, NULL,
						   SOCK_CLOEXEC);

				if (conn < 0)
					die("accept", errno);
				serve_tcp(conn);
				tcp_done = 1;
				continue;
			}
			/* The port: drain its packets. */
			for (;;) {
				mx_port_packet_t pkt;

				if (mx_port_wait(port, 0, &pkt, 0) != MX_OK)
					break;
				if (pkt.key == KEY_CHANNEL &&
				    serve_channel(srv))
					channel_done = 1;
			}
		}
	}
	for (i = 0; i < 2; i++) {
		if (waitpid(kids[i], &status, 0) != kids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			die("client failed", status);
	}
	printf("mx-epoll-server: served %d channel requests and 1 tcp request "
	       "in one epoll loop\n", ROUNDS);
	close(ep);
	close(pfd);
	close(lsock);
	mx_handle_close(srv);
	mx_handle_close(port);
	return 0;
}
