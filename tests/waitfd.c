// SPDX-License-Identifier: MIT
/*
 * mx_waitfd_create: mx objects and ports in poll() and epoll loops, next
 * to ordinary file descriptors.
 */
#include "mxtest.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, 0);

	ASSERT_TRUE(n >= 0);
	return n == 1 && (p.revents & POLLIN);
}

static uint32_t read_state(int fd)
{
	uint32_t state = 0;

	ASSERT_EQ(read(fd, &state, sizeof(state)), (ssize_t)sizeof(state));
	return state;
}

TEST(event_fd_follows_the_signal_level)
{
	mx_handle_t ev = mxt_event();
	int fd = -1;

	ASSERT_OK(mx_waitfd_create(ev, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1,
				   O_CLOEXEC, &fd));
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ASSERT_EQ(readable(fd), 0);
	ASSERT_EQ(read_state(fd), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_2));
	ASSERT_EQ(readable(fd), 0);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(readable(fd), 1);
	/* Level-triggered: stays readable, and read() does not consume. */
	ASSERT_EQ(read_state(fd), MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2 |
				  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(readable(fd), 1);
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_1, 0));
	ASSERT_EQ(readable(fd), 0);
	close(fd);
	ASSERT_OK(mx_handle_close(ev));
}

TEST(fd_outlives_the_handle)
{
	mx_handle_t ev = mxt_event(), dup = 0;
	int fd = -1;

	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_waitfd_create(ev, MX_USER_SIGNAL_0, 0, &fd));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_object_signal(dup, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(readable(fd), 1);
	ASSERT_OK(mx_handle_close(dup));
	/* The object lives while the fd does; its state stays readable. */
	ASSERT_EQ(readable(fd), 1);
	close(fd);
}

TEST(channel_peer_closed_through_epoll)
{
	mx_handle_t a, b;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fd = -1, ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_TRUE(ep >= 0);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_waitfd_create(b, MX_CHANNEL_READABLE |
				   MX_CHANNEL_PEER_CLOSED, 0, &fd));
	ev.data.u32 = 1;
	ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	ASSERT_EQ(epoll_wait(ep, &out, 1, 0), 0);
	ASSERT_OK(mx_channel_write(a, 0, "hi", 2, NULL, 0));
	ASSERT_EQ(epoll_wait(ep, &out, 1, 1000), 1);
	ASSERT_EQ(out.data.u32, 1);
	ASSERT_EQ(read_state(fd) & MX_CHANNEL_READABLE, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(epoll_wait(ep, &out, 1, 1000), 1);
	ASSERT_TRUE(read_state(fd) & MX_CHANNEL_PEER_CLOSED);
	close(ep);
	close(fd);
	ASSERT_OK(mx_handle_close(b));
}

TEST(port_fd_readable_while_packets_queued)
{
	mx_handle_t port = 0, ev = mxt_event();
	mx_port_packet_t pkt;
	int fd = -1;

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_STATUS(mx_waitfd_create(port, MX_USER_SIGNAL_0, 0, &fd),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_waitfd_create(port, MX_PORT_READABLE, O_NONBLOCK, &fd));
	ASSERT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ASSERT_EQ(readable(fd), 0);
	ASSERT_EQ(read_state(fd), 0);
	ASSERT_OK(mx_object_wait_async(ev, port, 5, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(readable(fd), 1);
	ASSERT_EQ(read_state(fd), MX_PORT_READABLE);
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 5);
	ASSERT_EQ(readable(fd), 0);
	close(fd);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

struct epoll_waiter {
	int ep;
	int n;
	struct epoll_event out;
	pid_t tid;
	int done;
};

static void *epoll_waiter_main(void *arg)
{
	struct epoll_waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->n = epoll_wait(w->ep, &w->out, 1, 10000);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* A thread blocked in epoll_wait over an eventfd and a port wakes for the
 * port's packet. */
TEST(epoll_sleeper_woken_by_port_packet)
{
	struct epoll_event e = { .events = EPOLLIN };
	struct epoll_waiter w = { 0 };
	mx_port_packet_t pkt;
	mx_handle_t port = 0;
	int efd = eventfd(0, EFD_CLOEXEC), pfd = -1;
	pthread_t th;

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_OK(mx_waitfd_create(port, MX_PORT_READABLE, O_CLOEXEC, &pfd));
	w.ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_TRUE(w.ep >= 0 && efd >= 0);
	e.data.u32 = 1;
	ASSERT_EQ(epoll_ctl(w.ep, EPOLL_CTL_ADD, efd, &e), 0);
	e.data.u32 = 2;
	ASSERT_EQ(epoll_ctl(w.ep, EPOLL_CTL_ADD, pfd, &e), 0);
	ASSERT_EQ(pthread_create(&th, NULL, epoll_waiter_main, &w), 0);
	while (!__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE))
		usleep(100);
	/* Blocked in epoll_wait (no ioctl): give it a moment to sleep. */
	usleep(20 * 1000);
	memset(&pkt, 0, sizeof(pkt));
	pkt.key = 99;
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_EQ(w.n, 1);
	ASSERT_EQ(w.out.data.u32, 2);
	close(w.ep);
	close(efd);
	close(pfd);
	ASSERT_OK(mx_handle_close(port));
}

TEST(errors)
{
	mx_handle_t ev = mxt_event(), ro = 0, wo = 0;
	int fd = -1;

	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ro));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE, &wo));
	ASSERT_STATUS(mx_waitfd_create(MX_HANDLE_INVALID, 1, 0, &fd),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_waitfd_create(wo, 1, 0, &fd), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_waitfd_create(ev, 1, O_RDONLY | O_APPEND, &fd),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_waitfd_create(ev, 1, 0, (int *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(fd, -1);
	ASSERT_OK(mx_waitfd_create(ro, 1, 0, &fd));
	close(fd);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_OK(mx_handle_close(ev));
}
