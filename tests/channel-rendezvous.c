// SPDX-License-Identifier: MIT
/*
 * Two unrelated programs get their first channel (README, "How two
 * unrelated programs get their first channel"): a server binds a named
 * AF_UNIX socket, a client connects to it, and the server sends one end
 * of a new channel as a file descriptor (mx_handle_to_fd) with
 * SCM_RIGHTS; the client takes it with mx_handle_from_fd. From then on
 * they speak mx: each sends the other an event over the channel and each
 * sees the signal the other raises on its own event.
 *
 * Both programs are this one, exec'd anew by the case (the environment
 * names the role), so they share no handle, no fd and no memory: the
 * socket's name is all they have in common.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#define ROLE_ENV	"MXTEST_RENDEZVOUS"

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		FAIL("socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s, 1))
		FAIL("bind/listen %s: %s", path, strerror(errno));
	return s;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		FAIL("socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		FAIL("connect %s: %s", path, strerror(errno));
	return s;
}

/* Send a duplicate of @ev, read the peer's event, return it. */
static mx_handle_t swap_events(mx_handle_t ch, mx_handle_t ev,
			       const char *tag)
{
	mx_handle_t d = MX_HANDLE_INVALID, got = MX_HANDLE_INVALID;
	mx_signals_t obs = 0;
	uint32_t nb = 0, nh = 0;
	char buf[16] = { 0 };

	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &d));
	ASSERT_OK(mx_channel_write(ch, 0, tag, strlen(tag), &d, 1));
	ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_object_wait_one(ch, MX_CHANNEL_READABLE |
				     MX_CHANNEL_PEER_CLOSED, MX_TIME_INFINITE,
				     &obs));
	ASSERT_OK(mx_channel_read(ch, 0, buf, &got, sizeof(buf) - 1, 1, &nb,
				  &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_basic(got).type, MX_OBJ_TYPE_EVENT);
	return got;
}

/*
 * Wait for @sig on @ev, or for @ch's peer to go (the other program
 * failed: the assertion after says so instead of a hang).
 */
static void wait_signal(mx_handle_t ev, mx_signals_t sig, mx_handle_t ch)
{
	mx_wait_item_t items[2] = {
		{ .handle = ev, .waitfor = sig },
		{ .handle = ch, .waitfor = MX_CHANNEL_PEER_CLOSED },
	};

	ASSERT_OK(mx_object_wait_many(items, 2, MX_TIME_INFINITE));
	ASSERT_TRUE(mxt_signals(ev) & sig);
}

/* The server: bind, accept, send a channel end, then talk mx. */
static void server(const char *path, int ready)
{
	mx_handle_t local, remote, ev, theirs;
	mx_signals_t obs = 0;
	int ls, s, fd;

	ls = listen_at(path);
	if (write(ready, "r", 1) != 1)
		FAIL("ready: %s", strerror(errno));
	close(ready);
	s = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0)
		FAIL("accept: %s", strerror(errno));
	close(ls);
	unlink(path);

	ASSERT_OK(mx_channel_create(0, &local, &remote));
	ASSERT_OK(mx_handle_to_fd(remote, O_CLOEXEC, &fd));
	mxt_send_fd(s, fd);
	close(fd);	/* the socket's copy carries the handle now */

	ASSERT_OK(mx_event_create(0, &ev));
	theirs = swap_events(local, ev, "server");
	/* The client raises USER_SIGNAL_0 on ours; we raise 1 on theirs. */
	wait_signal(ev, MX_USER_SIGNAL_0, local);
	ASSERT_OK(mx_object_signal(theirs, 0, MX_USER_SIGNAL_1));
	/* When the client exits, its end closes. */
	ASSERT_OK(mx_object_wait_one(local, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, &obs));
	ASSERT_EQ(mxt_signals(local), MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
	close(s);
}

/* The client: connect, take the channel end, then talk mx. */
static void client(const char *path)
{
	mx_handle_t ch = MX_HANDLE_INVALID, again, ev, theirs;
	mx_info_handle_basic_t info;
	int s, fd;

	s = connect_to(path);
	fd = mxt_recv_fd(s);
	close(s);
	ASSERT_OK(mx_handle_from_fd(fd, &ch));
	ASSERT_STATUS(mx_handle_from_fd(fd, &again), MX_ERR_BAD_STATE);
	close(fd);
	info = mxt_basic(ch);
	ASSERT_EQ(info.type, MX_OBJ_TYPE_CHANNEL);
	ASSERT_EQ(info.rights, MX_RIGHT_TRANSFER | MX_RIGHT_READ |
		  MX_RIGHT_WRITE);

	ASSERT_OK(mx_event_create(0, &ev));
	theirs = swap_events(ch, ev, "client");
	ASSERT_OK(mx_object_signal(theirs, 0, MX_USER_SIGNAL_0));
	wait_signal(ev, MX_USER_SIGNAL_1, ch);
}

/* The exec'd image: play the role the environment names, then exit. */
__attribute__((constructor)) static void rendezvous_role(void)
{
	const char *arg = getenv(ROLE_ENV);
	char path[108];
	int ready;

	if (!arg)
		return;
	if (sscanf(arg, "server:%d:%107s", &ready, path) == 2) {
		mxt_current = "rendezvous server";
		server(path, ready);
	} else if (sscanf(arg, "client:%107s", path) == 1) {
		mxt_current = "rendezvous client";
		client(path);
	} else {
		FAIL("bad %s=%s", ROLE_ENV, arg);
	}
	fflush(NULL);
	_exit(0);
}

/* fork() and exec this program again in @role; returns its pid. */
static pid_t spawn(const char *role)
{
	char *argv[] = { "channel-rendezvous", NULL };
	pid_t pid;

	pid = mxt_fork();
	if (pid == 0) {
		if (setenv(ROLE_ENV, role, 1))
			_exit(30);
		execv("/proc/self/exe", argv);
		_exit(31);
	}
	return pid;
}

static void reap(pid_t pid, const char *who)
{
	int status;

	status = mxt_wait_child(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("%s failed (status 0x%x)", who, status);
}

TEST(unrelated_programs_share_a_channel_through_a_named_socket)
{
	char path[108], role[160], c;
	pid_t srv, cli;
	int ready[2];

	snprintf(path, sizeof(path), "/tmp/mx-rendezvous-%d.sock",
		 (int)getpid());
	/* Only the server keeps the write end: it says when it listens. */
	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(fcntl(ready[0], F_SETFD, FD_CLOEXEC), 0);
	snprintf(role, sizeof(role), "server:%d:%s", ready[1], path);
	srv = spawn(role);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		reap(srv, "the server");
		FAIL("the server never listened");
	}
	close(ready[0]);
	snprintf(role, sizeof(role), "client:%s", path);
	cli = spawn(role);
	reap(cli, "the client");
	reap(srv, "the server");
}

/*
 * An fd that carries a handle and is never received: closing the socket
 * that holds it closes the handle, and the sender sees PEER_CLOSED.
 */
TEST(handle_fd_lost_in_a_socket_closes_the_handle)
{
	mx_handle_t local, remote;
	int sv[2], fd;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_OK(mx_channel_create(0, &local, &remote));
	ASSERT_OK(mx_handle_to_fd(remote, O_CLOEXEC, &fd));
	mxt_send_fd(sv[0], fd);
	close(fd);
	ASSERT_EQ(mxt_signals(local), MX_CHANNEL_WRITABLE |
		  MX_SIGNAL_LAST_HANDLE);
	close(sv[1]);	/* unread: the fd in it goes */
	close(sv[0]);
	ASSERT_OK(mx_object_wait_one(local, MX_CHANNEL_PEER_CLOSED,
				     MX_TIME_INFINITE, NULL));
	ASSERT_EQ(mxt_signals(local), MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE);
}

/* What arrives by SCM_RIGHTS may be any fd: only mx's are taken. */
TEST(handle_from_fd_refuses_other_fds_received)
{
	mx_handle_t h;
	int sv[2], p[2], fd;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_EQ(pipe(p), 0);
	mxt_send_fd(sv[0], p[0]);
	fd = mxt_recv_fd(sv[1]);
	ASSERT_STATUS(mx_handle_from_fd(fd, &h), MX_ERR_WRONG_TYPE);
	close(fd);
	ASSERT_STATUS(mx_handle_from_fd(fd, &h), MX_ERR_INVALID_ARGS);
}
