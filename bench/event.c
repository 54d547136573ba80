// SPDX-License-Identifier: MIT
/*
 * event: signals, wake-ups and waits on many objects (bench.h).
 *
 *   signal-wait        one thread: mx_object_signal sets a user signal
 *                      (clearing the other one) and mx_object_wait_one
 *                      sees it; the two signals take turns, so every wait
 *                      needs the signal just set. Against eventfd write +
 *                      read (the read consumes, as the turn-taking does)
 *   signal-wait-xthr   two threads, a round trip: A signals event 1 and
 *                      waits on event 2, B waits on 1 and signals 2.
 *                      Against eventfd write + blocking read, and write +
 *                      poll + read
 *   port-wake          two threads, a round trip through two ports:
 *                      mx_port_queue wakes mx_port_wait in the other.
 *                      Against eventfd write waking epoll_wait (level
 *                      triggered, then a read to consume)
 *   wait-many-64       mx_object_wait_many on 64 events, the last one
 *                      signaled; against epoll_wait on an epoll set of
 *                      64 eventfds and poll on 64 eventfds, the last one
 *                      readable. (epoll registers once; wait_many and
 *                      poll take the whole list every call.)
 */
#include "bench.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define NMANY	64

/* The user signal of round @i and the one it replaces. */
#define BIT(i)		((i) & 1 ? MX_USER_SIGNAL_1 : MX_USER_SIGNAL_0)
#define OTHER(i)	((i) & 1 ? MX_USER_SIGNAL_0 : MX_USER_SIGNAL_1)

/* ---- one thread */

struct same {
	mx_handle_t ev;
	uint64_t round;
};

static void mx_same(void *arg, uint64_t n)
{
	struct same *s = arg;
	uint64_t i;

	while (n--) {
		i = s->round++;
		check(mx_object_signal(s->ev, OTHER(i), BIT(i)),
		      "mx_object_signal");
		check(mx_object_wait_one(s->ev, BIT(i), MX_TIME_INFINITE,
					 NULL), "mx_object_wait_one");
	}
}

static void efd_post(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, 8) != 8)
		die("eventfd write", -1);
}

static void efd_take(int fd)
{
	uint64_t v;

	if (read(fd, &v, 8) != 8)
		die("eventfd read", -1);
}

static void efd_same(void *arg, uint64_t n)
{
	int fd = *(int *)arg;

	while (n--) {
		efd_post(fd);
		efd_take(fd);
	}
}

/* ---- two threads: a round trip */

enum xkind { X_MX, X_EFD, X_EFD_POLL, X_PORT, X_EPOLL };

struct xthr {
	enum xkind kind;
	mx_handle_t h[2];	/* events or ports: [0] A to B, [1] B to A */
	int fd[2];		/* eventfds, the same way */
	int ep[2];		/* epoll sets holding fd[0] and fd[1] */
	uint64_t round;		/* A's and B's rounds move in step */
	_Atomic int stop;
	pthread_t thread;
};

static void pollin(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, -1) != 1)
		die("poll", -1);
}

static void epin(int ep)
{
	struct epoll_event e;

	if (epoll_wait(ep, &e, 1, -1) != 1)
		die("epoll_wait", -1);
}

static void port_post(mx_handle_t port)
{
	mx_port_packet_t pkt;

	memset(&pkt, 0, sizeof(pkt));
	check(mx_port_queue(port, &pkt, 0), "mx_port_queue");
}

static void port_take(mx_handle_t port)
{
	mx_port_packet_t pkt;

	check(mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0),
	      "mx_port_wait");
}

/* Side @side (0: A, 1: B) posts towards the other. */
static void x_post(struct xthr *x, int side, uint64_t i)
{
	switch (x->kind) {
	case X_MX:
		check(mx_object_signal(x->h[side], OTHER(i), BIT(i)),
		      "mx_object_signal");
		break;
	case X_PORT:
		port_post(x->h[side]);
		break;
	default:
		efd_post(x->fd[side]);
		break;
	}
}

/* Side @side waits for what the other posted. */
static void x_take(struct xthr *x, int side, uint64_t i)
{
	int from = !side;

	switch (x->kind) {
	case X_MX:
		check(mx_object_wait_one(x->h[from], BIT(i), MX_TIME_INFINITE,
					 NULL), "mx_object_wait_one");
		break;
	case X_PORT:
		port_take(x->h[from]);
		break;
	case X_EFD_POLL:
		pollin(x->fd[from]);
		efd_take(x->fd[from]);
		break;
	case X_EPOLL:
		epin(x->ep[from]);
		efd_take(x->fd[from]);
		break;
	default:
		efd_take(x->fd[from]);
		break;
	}
}

static void *x_b(void *arg)
{
	struct xthr *x = arg;
	uint64_t i;

	for (i = 0;; i++) {
		x_take(x, 1, i);
		if (atomic_load(&x->stop))
			return NULL;
		x_post(x, 1, i);
	}
}

static void x_a(void *arg, uint64_t n)
{
	struct xthr *x = arg;
	uint64_t i;

	while (n--) {
		i = x->round++;
		x_post(x, 0, i);
		x_take(x, 0, i);
	}
}

static void x_start(struct xthr *x, enum xkind kind)
{
	struct epoll_event e = { .events = EPOLLIN };
	int i;

	memset(x, 0, sizeof(*x));
	x->kind = kind;
	for (i = 0; i < 2; i++) {
		switch (kind) {
		case X_MX:
			check(mx_event_create(0, &x->h[i]), "mx_event_create");
			break;
		case X_PORT:
			check(mx_port_create(MX_PORT_OPT_V2, &x->h[i]),
			      "mx_port_create");
			break;
		default:
			x->fd[i] = eventfd(0, 0);
			if (x->fd[i] < 0)
				die("eventfd", -1);
			x->ep[i] = epoll_create1(0);
			if (x->ep[i] < 0 ||
			    epoll_ctl(x->ep[i], EPOLL_CTL_ADD, x->fd[i], &e))
				die("epoll", -1);
			break;
		}
	}
	if (pthread_create(&x->thread, NULL, x_b, x))
		die("pthread_create", -1);
}

static void x_stop(struct xthr *x)
{
	int i;

	atomic_store(&x->stop, 1);
	x_post(x, 0, x->round);
	pthread_join(x->thread, NULL);
	for (i = 0; i < 2; i++) {
		if (x->kind == X_MX || x->kind == X_PORT) {
			mx_handle_close(x->h[i]);
		} else {
			close(x->fd[i]);
			close(x->ep[i]);
		}
	}
}

static void xthr_case(const char *name, enum xkind mk, enum xkind pk,
		      const char *peer)
{
	struct xthr m, p;

	x_start(&m, mk);
	x_start(&p, pk);
	bench_pair(name, peer, x_a, &m, x_a, &p);
	x_stop(&m);
	x_stop(&p);
}

/* ---- waiting on 64 objects, one ready */

struct many {
	mx_wait_item_t items[NMANY];
	struct pollfd pfd[NMANY];
	int ep;
};

static void mx_many(void *arg, uint64_t n)
{
	struct many *m = arg;

	while (n--)
		check(mx_object_wait_many(m->items, NMANY, MX_TIME_INFINITE),
		      "mx_object_wait_many");
}

static void epoll_many(void *arg, uint64_t n)
{
	struct many *m = arg;
	struct epoll_event e[NMANY];

	while (n--)
		if (epoll_wait(m->ep, e, NMANY, -1) != 1)
			die("epoll_wait", -1);
}

static void poll_many(void *arg, uint64_t n)
{
	struct many *m = arg;

	while (n--)
		if (poll(m->pfd, NMANY, -1) != 1)
			die("poll", -1);
}

static void many_case(void)
{
	struct epoll_event e = { .events = EPOLLIN };
	struct many m;
	int i;

	memset(&m, 0, sizeof(m));
	m.ep = epoll_create1(0);
	if (m.ep < 0)
		die("epoll_create1", -1);
	for (i = 0; i < NMANY; i++) {
		check(mx_event_create(0, &m.items[i].handle),
		      "mx_event_create");
		m.items[i].waitfor = MX_EVENT_SIGNALED;
		m.pfd[i].fd = eventfd(i == NMANY - 1, 0);
		m.pfd[i].events = POLLIN;
		if (m.pfd[i].fd < 0)
			die("eventfd", -1);
		e.data.u32 = i;
		if (epoll_ctl(m.ep, EPOLL_CTL_ADD, m.pfd[i].fd, &e))
			die("epoll_ctl", -1);
	}
	check(mx_object_signal(m.items[NMANY - 1].handle, 0,
			       MX_EVENT_SIGNALED), "mx_object_signal");
	bench_pair("wait-many-64", "epoll-64", mx_many, &m, epoll_many, &m);
	bench_pair("wait-many-64", "poll-64", mx_many, &m, poll_many, &m);
	for (i = 0; i < NMANY; i++) {
		mx_handle_close(m.items[i].handle);
		close(m.pfd[i].fd);
	}
	close(m.ep);
}

int main(void)
{
	struct same s = { 0 };
	int efd;

	bench_init("event");
	check(mx_event_create(0, &s.ev), "mx_event_create");
	efd = eventfd(0, 0);
	if (efd < 0)
		die("eventfd", efd);
	bench_pair("signal-wait", "eventfd", mx_same, &s, efd_same, &efd);
	mx_handle_close(s.ev);
	close(efd);

	xthr_case("signal-wait-xthr", X_MX, X_EFD, "eventfd");
	xthr_case("signal-wait-xthr", X_MX, X_EFD_POLL, "eventfd+poll");
	xthr_case("port-wake", X_PORT, X_EPOLL, "eventfd+epoll");
	many_case();
	return 0;
}
