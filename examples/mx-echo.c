// SPDX-License-Identifier: MIT
/*
 * mx-echo: an echo server over channels, and its clients, as separate
 * programs.
 *
 *   mx-echo server PATH N      serve N clients, then exit
 *   mx-echo client PATH MSG... send each MSG, print each reply
 *   mx-echo                    run a server and two clients (the demo)
 *
 * The programs share nothing but a name, the AF_UNIX socket PATH (the
 * server also takes its listening socket ready-made, as from systemd:
 * LISTEN_FDS=1, fd 3; the demo starts it so). For each
 * client that connects, the server makes a channel, keeps one end and
 * sends the other in a file descriptor (mx_handle_to_fd + SCM_RIGHTS); the
 * client takes it with mx_handle_from_fd. From then on they speak mx only:
 * the client makes each request with mx_channel_call (the first four bytes
 * of a message are its transaction id), the server waits for all its
 * clients on one port (mx_object_wait_async) and answers "echo: <MSG>"
 * with the request's id. A client that closes its end is seen as
 * MX_CHANNEL_PEER_CLOSED.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define MAX_CLIENTS	16
#define MAX_MSG		256

static const char *role = "mx-echo";

static void die(const char *what, long err)
{
	fprintf(stderr, "%s: %s: %ld\n", role, what, err);
	exit(1);
}

#define CHECK(call)							\
	do {								\
		mx_status_t st_ = (call);				\
		if (st_ != MX_OK) {					\
			fprintf(stderr, "%s: %s: %s\n", role, #call,	\
				mx_status_get_string(st_));		\
			exit(1);					\
		}							\
	} while (0)

static struct sockaddr_un sock_addr(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(a.sun_path))
		die("socket path too long", 0);
	strcpy(a.sun_path, path);
	return a;
}

/* Send @fd over the connected AF_UNIX socket @s. */
static void send_fd(int s, int fd)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(s, &msg, 0) != 1)
		die("sendmsg", errno);
}

static int recv_fd(int s)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(s, &msg, MSG_CMSG_CLOEXEC) != 1)
		die("recvmsg", errno);
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		die("no descriptor from the server", 0);
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* ---- the server */

static int server(const char *path, int nclients)
{
	struct sockaddr_un a = sock_addr(path);
	mx_handle_t port, ends[MAX_CLIENTS];
	int s, i, open_clients, served = 0;

	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");

	role = "mx-echo server";
	if (nclients < 1 || nclients > MAX_CLIENTS)
		die("clients", nclients);
	if (fds && pid && strcmp(fds, "1") == 0 && atoi(pid) == getpid()) {
		s = 3;
		fcntl(s, F_SETFD, FD_CLOEXEC);
	} else {
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		unlink(path);
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    listen(s, MAX_CLIENTS) < 0)
			die("listen", errno);
	}
	printf("server: listening on %s\n", path);

	CHECK(mx_port_create(MX_PORT_OPT_V2, &port));
	for (i = 0; i < nclients; i++) {
		mx_handle_t theirs;
		int c, fd;

		c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			die("accept", errno);
		CHECK(mx_channel_create(0, &ends[i], &theirs));
		CHECK(mx_handle_to_fd(theirs, O_CLOEXEC, &fd));
		send_fd(c, fd);
		close(fd);
		close(c);
		/* The key says which client a packet is about. */
		CHECK(mx_object_wait_async(ends[i], port, (uint64_t)i,
					   MX_CHANNEL_READABLE |
					   MX_CHANNEL_PEER_CLOSED,
					   MX_WAIT_ASYNC_REPEATING));
	}
	close(s);
	unlink(path);

	for (open_clients = nclients; open_clients > 0;) {
		mx_port_packet_t pkt;
		char buf[MAX_MSG + 8];
		uint32_t n;
		mx_status_t st;

		CHECK(mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0));
		i = (int)pkt.key;
		/* Drain the endpoint: one packet may stand for many messages. */
		for (;;) {
			st = mx_channel_read(ends[i], 0, buf, NULL,
					     MAX_MSG + 4, 0, &n, NULL);
			if (st != MX_OK)
				break;
			if (n < 4)
				die("request without a transaction id", n);
			/* Reply: same id, "echo: " + the request's text. */
			memmove(buf + 10, buf + 4, n - 4);
			memcpy(buf + 4, "echo: ", 6);
			CHECK(mx_channel_write(ends[i], 0, buf, n + 6, NULL, 0));
			served++;
		}
		if (st == MX_ERR_PEER_CLOSED) {
			printf("server: client %d hung up\n", i);
			/*
			 * A packet may have been queued since this one was
			 * taken; cancel drops it with the registration.
			 */
			st = mx_port_cancel(port, ends[i], (uint64_t)i);
			if (st != MX_OK && st != MX_ERR_NOT_FOUND)
				die("mx_port_cancel", st);
			CHECK(mx_handle_close(ends[i]));
			open_clients--;
		} else if (st != MX_ERR_SHOULD_WAIT) {
			die("mx_channel_read", st);
		}
	}
	CHECK(mx_handle_close(port));
	printf("server: served %d requests from %d clients\n", served,
	       nclients);
	return 0;
}

/* ---- a client */

static int client(const char *path, int argc, char **argv)
{
	struct sockaddr_un a = sock_addr(path);
	mx_handle_t ch;
	int s, fd, i;

	role = "mx-echo client";
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect", errno);
	fd = recv_fd(s);
	close(s);
	CHECK(mx_handle_from_fd(fd, &ch));
	close(fd);

	for (i = 0; i < argc; i++) {
		char req[MAX_MSG + 4], reply[MAX_MSG + 16];
		size_t len = strlen(argv[i]);
		mx_channel_call_args_t args = {
			.wr_bytes = req, .rd_bytes = reply,
			.rd_num_bytes = sizeof(reply),
		};
		mx_txid_t txid = (mx_txid_t)(0x1000 + i);
		mx_status_t read_status = MX_OK;
		uint32_t n = 0, nh = 0;

		if (len > MAX_MSG)
			die("message too long", (long)len);
		memcpy(req, &txid, 4);
		memcpy(req + 4, argv[i], len);
		args.wr_num_bytes = (uint32_t)(len + 4);
		CHECK(mx_channel_call(ch, 0, MX_TIME_INFINITE, &args, &n, &nh,
				      &read_status));
		printf("client %d: sent \"%s\", got \"%.*s\"\n", getpid(),
		       argv[i], (int)(n - 4), reply + 4);
	}
	CHECK(mx_handle_close(ch));
	return 0;
}

/* ---- the demo: a server and two clients, each its own program */

/* Run this program with @argv; @listen_fd >= 0 becomes its fd 3. */
static pid_t run(char *const argv[], int listen_fd)
{
	pid_t pid = fork();
	char env[32];

	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		if (listen_fd >= 0) {
			/* dup2() of fd 3 onto itself keeps FD_CLOEXEC. */
			if (listen_fd == 3 ? fcntl(3, F_SETFD, 0) < 0 :
			    dup2(listen_fd, 3) != 3)
				_exit(127);
			snprintf(env, sizeof(env), "%d", getpid());
			setenv("LISTEN_PID", env, 1);
			setenv("LISTEN_FDS", "1", 1);
		}
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	return pid;
}

static int demo(void)
{
	char path[64];
	struct sockaddr_un a;
	pid_t server_pid, c1, c2;
	int s, st, failed = 0;

	/*
	 * The socket listens before any client starts, so nobody waits for
	 * the server to get ready.
	 */
	snprintf(path, sizeof(path), "/tmp/mx-echo.%d", getpid());
	a = sock_addr(path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s, MAX_CLIENTS) < 0)
		die("listen", errno);
	server_pid = run((char *[]){ "mx-echo", "server", path, "2", NULL }, s);
	close(s);
	c1 = run((char *[]){ "mx-echo", "client", path, "hello", "world",
			     NULL }, -1);
	c2 = run((char *[]){ "mx-echo", "client", path, "ping", NULL }, -1);
	if (waitpid(c1, &st, 0) != c1 || st != 0)
		failed = 1;
	if (waitpid(c2, &st, 0) != c2 || st != 0)
		failed = 1;
	if (waitpid(server_pid, &st, 0) != server_pid || st != 0)
		failed = 1;
	printf("mx-echo: %s\n", failed ? "FAILED" : "done");
	return failed;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 1)
		return demo();
	if (argc == 4 && strcmp(argv[1], "server") == 0)
		return server(argv[2], atoi(argv[3]));
	if (argc >= 3 && strcmp(argv[1], "client") == 0)
		return client(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: mx-echo [server PATH N | client PATH MSG...]\n");
	return 2;
}
