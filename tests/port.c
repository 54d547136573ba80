// SPDX-License-Identifier: MIT
/*
 * Ports v2 and asynchronous waits: mx_port_create, mx_port_queue,
 * mx_port_wait, mx_port_cancel, mx_object_wait_async. Reference §3.23 and
 * Magenta's port tests (queue/wait, async ONCE and REPEATING, cancel,
 * channel counts, many threads on one port).
 */
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>

static mx_handle_t new_port(void)
{
	mx_handle_t p = MX_HANDLE_INVALID;

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &p));
	ASSERT_TRUE(p > 0);
	return p;
}

static mx_port_packet_t user_packet(uint64_t key, int32_t status)
{
	mx_port_packet_t pkt;
	int i;

	memset(&pkt, 0, sizeof(pkt));
	pkt.key = key;
	pkt.type = 77; /* the kernel forces MX_PKT_TYPE_USER */
	pkt.status = status;
	for (i = 0; i < 32; i++)
		pkt.user.c8[i] = (uint8_t)(key + i);
	return pkt;
}

/* Nothing queued: a poll times out. */
static void assert_empty(mx_handle_t port)
{
	mx_port_packet_t pkt;

	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
}

static mx_port_packet_t take(mx_handle_t port)
{
	mx_port_packet_t pkt;

	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	return pkt;
}

/* ---- creation ---- */

TEST(create_rights_type_not_waitable)
{
	mx_handle_t port = new_port();
	mx_info_handle_basic_t info = mxt_basic(port);
	mx_signals_t obs;

	ASSERT_EQ(sizeof(mx_port_packet_t), 48);
	ASSERT_EQ(info.rights, 0x0F);
	ASSERT_EQ(info.type, MX_OBJ_TYPE_PORT);
	ASSERT_EQ(info.props, MX_OBJ_PROP_NONE);
	ASSERT_STATUS(mx_object_wait_one(port, MX_PORT_READABLE, 0, &obs),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_OK(mx_handle_close(port));
}

TEST(create_options)
{
	mx_handle_t port = 0;

	ASSERT_STATUS(mx_port_create(2, &port), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_port_create(3, &port), MX_ERR_INVALID_ARGS);
	/* v1 ports are not provided. */
	ASSERT_STATUS(mx_port_create(0, &port), MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(port, 0);
	ASSERT_STATUS(mx_port_create(MX_PORT_OPT_V2, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
}

/* ---- user packets ---- */

TEST(queue_and_wait_keep_key_status_payload_fifo)
{
	mx_handle_t port = new_port();
	mx_port_packet_t in, out;
	int i, j;

	for (i = 1; i <= 3; i++) {
		in = user_packet(100 + i, -i);
		ASSERT_OK(mx_port_queue(port, &in, 0));
	}
	for (i = 1; i <= 3; i++) {
		out = take(port);
		ASSERT_EQ(out.key, 100 + i);
		ASSERT_EQ(out.type, MX_PKT_TYPE_USER);
		ASSERT_EQ(out.status, -i);
		for (j = 0; j < 32; j++)
			ASSERT_EQ(out.user.c8[j], (uint8_t)(100 + i + j));
	}
	assert_empty(port);
	ASSERT_OK(mx_handle_close(port));
}

TEST(wait_deadline)
{
	mx_handle_t port = new_port();
	mx_port_packet_t pkt;
	mx_time_t deadline = mxt_now() + MX_MSEC(50);

	ASSERT_STATUS(mx_port_wait(port, deadline, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_TRUE(mxt_now() >= deadline);
	/* A past deadline polls. */
	ASSERT_STATUS(mx_port_wait(port, 1, &pkt, 0), MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_handle_close(port));
}

TEST(queue_errors_and_check_order)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t ro = mxt_dup(port, MX_RIGHT_READ);
	mx_port_packet_t pkt = user_packet(1, 0);

	ASSERT_STATUS(mx_port_queue(MX_HANDLE_INVALID, &pkt, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_port_queue(ro, &pkt, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_queue(ev, &pkt, 0), MX_ERR_WRONG_TYPE);
	/* A v2 port takes no size. */
	ASSERT_STATUS(mx_port_queue(port, &pkt, 16), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_port_queue(port, NULL, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_port_queue(port, (void *)8, 0), MX_ERR_INVALID_ARGS);
	/* Rights before the packet, handle before everything. */
	ASSERT_STATUS(mx_port_queue(ro, NULL, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_queue(ev, NULL, 16), MX_ERR_WRONG_TYPE);
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(wait_errors_and_check_order)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t ro = mxt_dup(port, MX_RIGHT_READ);
	mx_port_packet_t pkt = user_packet(5, 0);

	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_STATUS(mx_port_wait(port, 0, NULL, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_port_wait(MX_HANDLE_INVALID, 0, &pkt, 0),
		      MX_ERR_BAD_HANDLE);
	/* v2 ports need WRITE to wait, as Magenta. */
	ASSERT_STATUS(mx_port_wait(ro, 0, &pkt, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_wait(ev, 0, &pkt, 0), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 48), MX_ERR_WRONG_TYPE);
	/* An unwritable buffer loses no packet. */
	ASSERT_STATUS(mx_port_wait(port, 0, (void *)8, 0), MX_ERR_INVALID_ARGS);
	pkt = take(port);
	ASSERT_EQ(pkt.key, 5);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(user_packet_limit_is_should_wait)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt = user_packet(0, 0);
	unsigned int limit = 0, i;
	FILE *f = fopen("/sys/module/mx/parameters/port_max_packets", "r");

	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fscanf(f, "%u", &limit), 1);
	fclose(f);
	ASSERT_TRUE(limit > 0 && limit <= 100000);
	for (i = 0; i < limit; i++) {
		pkt.key = i;
		ASSERT_OK(mx_port_queue(port, &pkt, 0));
	}
	ASSERT_STATUS(mx_port_queue(port, &pkt, 0), MX_ERR_SHOULD_WAIT);
	/* Signal packets are not user packets: they still arrive. */
	ASSERT_OK(mx_object_wait_async(ev, port, 9, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(take(port).key, 0);
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_STATUS(mx_port_queue(port, &pkt, 0), MX_ERR_SHOULD_WAIT);
	for (i = 1; i < limit; i++)
		ASSERT_EQ(take(port).key, i);
	pkt = take(port);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.key, 9);
	ASSERT_EQ(take(port).type, MX_PKT_TYPE_USER);
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/* ---- asynchronous waits ---- */

TEST(async_once_fires_once)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt;

	ASSERT_OK(mx_object_wait_async(ev, port, 42, MX_USER_SIGNAL_1,
				       MX_WAIT_ASYNC_ONCE));
	assert_empty(port);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	assert_empty(port);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 42);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.status, MX_OK);
	ASSERT_EQ(pkt.signal.trigger, MX_USER_SIGNAL_1);
	ASSERT_EQ(pkt.signal.observed, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1 |
				       MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(pkt.signal.count, 1);
	/* Ended: no packet for later changes. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_1, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(async_already_asserted_queues_at_once)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt;

	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_async(ev, port, 7, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 7);
	ASSERT_EQ(pkt.signal.observed,
		  MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(async_repeating_one_packet_at_a_time)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt;

	/* Any non-zero option is REPEATING, as Magenta's code. */
	ASSERT_OK(mx_object_wait_async(ev, port, 3, MX_USER_SIGNAL_0, 5));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	pkt = take(port);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_REP);
	ASSERT_EQ(pkt.key, 3);
	ASSERT_EQ(pkt.signal.trigger, MX_USER_SIGNAL_0);
	ASSERT_EQ(pkt.signal.observed,
		  MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	assert_empty(port);
	/* Dequeued: the next matching change queues again. */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_2));
	pkt = take(port);
	ASSERT_EQ(pkt.signal.observed, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_2 |
				       MX_SIGNAL_LAST_HANDLE);
	/* A change that leaves no trigger bit set queues nothing. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ev));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(port));
}

TEST(async_channel_count_is_queued_messages)
{
	mx_handle_t port = new_port(), a, b;
	mx_port_packet_t pkt;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (i = 0; i < 3; i++)
		ASSERT_OK(mx_channel_write(a, 0, "x", 1, NULL, 0));
	ASSERT_OK(mx_object_wait_async(b, port, 1, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	pkt = take(port);
	ASSERT_EQ(pkt.signal.count, 3);
	ASSERT_EQ(pkt.signal.observed, MX_CHANNEL_READABLE |
		  MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	/* Without READABLE in the trigger the count is 1. */
	ASSERT_OK(mx_object_wait_async(b, port, 2, MX_CHANNEL_WRITABLE,
				       MX_WAIT_ASYNC_ONCE));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 2);
	ASSERT_EQ(pkt.signal.count, 1);
	ASSERT_OK(mx_handle_close(a));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 1);
	ASSERT_EQ(pkt.signal.count, 1);
	ASSERT_TRUE(pkt.signal.observed & MX_CHANNEL_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(port));
}

TEST(async_check_order)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t port_ro = mxt_dup(port, MX_RIGHT_READ);
	mx_handle_t ev_wo = mxt_dup(ev, MX_RIGHT_WRITE);

	ASSERT_STATUS(mx_object_wait_async(ev, MX_HANDLE_INVALID, 0, 1, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_async(ev, port_ro, 0, 1, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_wait_async(ev, ev, 0, 1, 0),
		      MX_ERR_WRONG_TYPE);
	/* The port is checked before the handle. */
	ASSERT_STATUS(mx_object_wait_async(MX_HANDLE_INVALID, port_ro, 0, 1, 0),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_wait_async(MX_HANDLE_INVALID, port, 0, 1, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_wait_async(ev_wo, port, 0, 1, 0),
		      MX_ERR_ACCESS_DENIED);
	/* Ports are not waitable. */
	ASSERT_STATUS(mx_object_wait_async(port, port, 0, 1, 0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_ALL));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(port_ro));
	ASSERT_OK(mx_handle_close(ev_wo));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(closing_the_watched_handle_ends_the_registration)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t other = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	mx_port_packet_t pkt;

	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(other, port, 2, MX_USER_SIGNAL_1,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	/* The packet already queued survives the close. */
	ASSERT_OK(mx_handle_close(ev));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 1);
	ASSERT_OK(mx_object_signal(other, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal(other, 0, MX_USER_SIGNAL_0));
	assert_empty(port);
	/* The registration through the other handle lives on. */
	ASSERT_OK(mx_object_signal(other, 0, MX_USER_SIGNAL_1));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 2);
	ASSERT_OK(mx_handle_close(other));
	ASSERT_OK(mx_handle_close(port));
}

TEST(replacing_the_watched_handle_ends_the_registration)
{
	mx_handle_t port = new_port(), ev = mxt_event(), ev2;

	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &ev2));
	ASSERT_OK(mx_object_signal(ev2, 0, MX_USER_SIGNAL_0));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(ev2));
	ASSERT_OK(mx_handle_close(port));
}

TEST(sending_the_watched_handle_ends_the_registration)
{
	mx_handle_t port = new_port(), ev = mxt_event(), a, b, back = 0;
	uint32_t nb = 0, nh = 0;
	char byte;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_channel_write(a, 0, "e", 1, &ev, 1));
	ASSERT_OK(mx_channel_read(b, 0, &byte, &back, 1, 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_OK(mx_object_signal(back, 0, MX_USER_SIGNAL_0));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(back));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(port));
}

TEST(cancel_removes_registrations_and_packets)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t other = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	mx_port_packet_t pkt;

	ASSERT_STATUS(mx_port_cancel(port, ev, 1), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(other, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	/* Key 1 through ev: its packet and its registration go. */
	ASSERT_OK(mx_port_cancel(port, ev, 1));
	ASSERT_STATUS(mx_port_cancel(port, ev, 1), MX_ERR_NOT_FOUND);
	/* Newest registration first. */
	pkt = take(port);
	ASSERT_EQ(pkt.key, 1); /* through other */
	pkt = take(port);
	ASSERT_EQ(pkt.key, 2);
	assert_empty(port);
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 1);
	pkt = take(port);
	ASSERT_EQ(pkt.key, 2);
	assert_empty(port);
	ASSERT_STATUS(mx_port_cancel(port, MX_HANDLE_INVALID, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_port_cancel(ev, ev, 2), MX_ERR_WRONG_TYPE);
	ASSERT_OK(mx_handle_close(other));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

TEST(closing_the_port_drains_it)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt = user_packet(1, 0);
	int i;

	for (i = 0; i < 10; i++)
		ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_USER_SIGNAL_1,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_handle_close(port));
	/* The registrations are gone with it: signalling is harmless. */
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, MX_USER_SIGNAL_1));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_handle_close(ev));
}

/* Thousands of registrations on one port, each delivering its packet. */
TEST(thousands_of_registrations)
{
	enum { N = 5000 };
	static mx_handle_t evs[N];
	static unsigned char seen[N];
	mx_handle_t port = new_port();
	mx_port_packet_t pkt;
	int i;

	for (i = 0; i < N; i++) {
		evs[i] = mxt_event();
		ASSERT_OK(mx_object_wait_async(evs[i], port, (uint64_t)i,
					       MX_EVENT_SIGNALED,
					       MX_WAIT_ASYNC_ONCE));
	}
	for (i = N - 1; i >= 0; i--)
		ASSERT_OK(mx_object_signal(evs[i], 0, MX_EVENT_SIGNALED));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		pkt = take(port);
		ASSERT_EQ(pkt.key, (uint64_t)(N - 1 - i));
		ASSERT_EQ(seen[pkt.key], 0);
		seen[pkt.key] = 1;
	}
	assert_empty(port);
	for (i = 0; i < N; i++)
		ASSERT_OK(mx_handle_close(evs[i]));
	ASSERT_OK(mx_handle_close(port));
}

/* ---- waiters ---- */

struct port_waiter {
	mx_handle_t port;
	mx_time_t deadline;
	mx_status_t status;
	mx_port_packet_t pkt;
	mx_port_packet_t *buf;	/* where the packet goes: &pkt or else */
	pid_t tid;
	int done;
	pthread_t th;
};

static void *port_waiter_main(void *arg)
{
	struct port_waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->status = mx_port_wait(w->port, w->deadline, w->buf, 0);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start a waiter on @port whose packet goes to @buf (NULL: w->pkt). */
static void start_port_waiter_into(struct port_waiter *w, mx_handle_t port,
				   mx_time_t deadline, mx_port_packet_t *buf)
{
	memset(w, 0, sizeof(*w));
	w->port = port;
	w->deadline = deadline;
	w->buf = buf ? buf : &w->pkt;
	ASSERT_EQ(pthread_create(&w->th, NULL, port_waiter_main, w), 0);
	while (!__atomic_load_n(&w->tid, __ATOMIC_ACQUIRE))
		usleep(100);
	mxt_wait_blocked(w->tid, &w->done);
}

static void start_port_waiter(struct port_waiter *w, mx_handle_t port,
			      mx_time_t deadline)
{
	start_port_waiter_into(w, port, deadline, NULL);
}

TEST(each_packet_wakes_exactly_one_waiter)
{
	enum { N = 8 };
	struct port_waiter w[N];
	mx_handle_t port = new_port();
	mx_port_packet_t pkt;
	unsigned int keys = 0;
	int i, done;

	for (i = 0; i < N; i++)
		start_port_waiter(&w[i], port, MX_TIME_INFINITE);
	for (i = 0; i < N; i++) {
		pkt = user_packet((uint64_t)i, 0);
		ASSERT_OK(mx_port_queue(port, &pkt, 0));
		/* Exactly i + 1 waiters have returned, each with one packet. */
		for (;;) {
			int j;

			done = 0;
			for (j = 0; j < N; j++)
				done += __atomic_load_n(&w[j].done,
							__ATOMIC_ACQUIRE);
			if (done == i + 1)
				break;
			ASSERT_TRUE(done <= i + 1);
			usleep(500);
		}
	}
	for (i = 0; i < N; i++) {
		ASSERT_EQ(pthread_join(w[i].th, NULL), 0);
		ASSERT_OK(w[i].status);
		ASSERT_EQ(keys & (1u << w[i].pkt.key), 0);
		keys |= 1u << w[i].pkt.key;
	}
	ASSERT_EQ(keys, (1u << N) - 1);
	assert_empty(port);
	ASSERT_OK(mx_handle_close(port));
}

TEST(async_packet_wakes_a_waiter)
{
	struct port_waiter w;
	mx_handle_t port = new_port(), ev = mxt_event();

	ASSERT_OK(mx_object_wait_async(ev, port, 11, MX_USER_SIGNAL_3,
				       MX_WAIT_ASYNC_ONCE));
	start_port_waiter(&w, port, MX_TIME_INFINITE);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_3));
	ASSERT_EQ(pthread_join(w.th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.pkt.key, 11);
	ASSERT_EQ(w.pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

static volatile sig_atomic_t handled;

static void on_sigusr1(int sig)
{
	(void)sig;
	handled++;
}

/* The raw ioctl never returns EINTR; the wait resumes after a handler. */
TEST(signal_during_port_wait_resumes)
{
	mx_handle_t port = new_port();
	mx_port_packet_t pkt = user_packet(21, 0);
	struct port_waiter w;
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	start_port_waiter(&w, port, MX_TIME_INFINITE);
	for (i = 0; i < 3; i++) {
		sig_atomic_t before = handled;

		ASSERT_EQ(pthread_kill(w.th, SIGUSR1), 0);
		while (handled == before)
			usleep(100);
		mxt_wait_blocked(w.tid, &w.done);
		ASSERT_EQ(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	}
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_EQ(pthread_join(w.th, NULL), 0);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.pkt.key, 21);
	ASSERT_OK(mx_handle_close(port));
}

/* A process that dies with registrations and packets leaves nothing. */
static void die_with_registrations(void *arg)
{
	mx_handle_t port = new_port(), ev = mxt_event(), a, b;
	mx_port_packet_t pkt = user_packet(1, 0);
	int i;

	(void)arg;
	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (i = 0; i < 100; i++)
		ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(b, port, 2, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_channel_write(a, 0, "m", 1, NULL, 0));
	/* The port inside a channel queue too. */
	ASSERT_OK(mx_channel_write(b, 0, "p", 1, &port, 1));
}

TEST(process_exit_with_registrations_and_packets)
{
	mxt_in_child(die_with_registrations, NULL);
}

/* ---- conformance with Magenta's port tests ---- */

/*
 * A packet fired by a later state change counts 1, whatever was queued at
 * registration; only one fired at registration counts the queued messages.
 */
TEST(async_count_of_a_later_packet_is_one)
{
	mx_handle_t port = new_port(), a, b;
	mx_port_packet_t pkt;
	char buf[4];

	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* async_wait_channel_test: registered on an empty channel. */
	ASSERT_OK(mx_object_wait_async(b, port, 1, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_ONCE));
	assert_empty(port);
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, NULL, 0));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 1);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.signal.trigger, MX_CHANNEL_READABLE);
	ASSERT_EQ(pkt.signal.observed, MX_CHANNEL_READABLE |
		  MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(pkt.signal.count, 1);
	assert_empty(port);
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL,
				  NULL));

	/* REPEATING, registered on an empty channel. */
	ASSERT_OK(mx_object_wait_async(b, port, 2, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	assert_empty(port);
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, NULL, 0));
	ASSERT_OK(mx_channel_write(a, 0, "y", 1, NULL, 0));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 2);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_REP);
	ASSERT_EQ(pkt.signal.count, 1);
	assert_empty(port);
	ASSERT_OK(mx_port_cancel(port, b, 2));

	/* Fired at registration: the two queued; later packets 1. */
	ASSERT_OK(mx_object_wait_async(b, port, 3, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 3);
	ASSERT_EQ(pkt.signal.count, 2);
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL,
				  NULL));
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL,
				  NULL));
	assert_empty(port);
	ASSERT_OK(mx_channel_write(a, 0, "z", 1, NULL, 0));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 3);
	ASSERT_EQ(pkt.signal.count, 1);
	assert_empty(port);
	ASSERT_OK(mx_port_cancel(port, b, 3));

	/* READABLE in the trigger, fired later by another signal: 1. */
	ASSERT_OK(mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL,
				  NULL));
	ASSERT_OK(mx_object_wait_async(b, port, 4, MX_CHANNEL_READABLE |
				       MX_USER_SIGNAL_0, MX_WAIT_ASYNC_ONCE));
	assert_empty(port);
	ASSERT_OK(mx_object_signal(b, 0, MX_USER_SIGNAL_0));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 4);
	ASSERT_EQ(pkt.signal.count, 1);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(port));
}

/* Magenta's cancel_event_key_once_after and _repeat_after. */
static void cancel_after(uint32_t mode)
{
	static const uint64_t keys[3] = { 128, 3, 3 };
	mx_handle_t port = new_port(), ev[3];
	mx_port_packet_t pkt;
	int i;

	for (i = 0; i < 3; i++) {
		ev[i] = mxt_event();
		ASSERT_OK(mx_object_wait_async(ev[i], port, keys[i],
					       MX_EVENT_SIGNALED, mode));
	}
	ASSERT_OK(mx_object_signal(ev[0], 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev[1], 0, MX_EVENT_SIGNALED));
	/* ev[1]'s packet is queued: cancel takes it back. */
	ASSERT_OK(mx_port_cancel(port, ev[1], 3));
	/* ev[2]'s registration has not fired: cancel ends it. */
	ASSERT_OK(mx_port_cancel(port, ev[2], 3));
	ASSERT_STATUS(mx_port_cancel(port, ev[1], 3), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_object_signal(ev[2], 0, MX_EVENT_SIGNALED));
	pkt = take(port);
	ASSERT_EQ(pkt.key, 128);
	ASSERT_EQ(pkt.signal.trigger, MX_EVENT_SIGNALED);
	ASSERT_EQ(pkt.signal.observed,
		  MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE);
	assert_empty(port);
	/* Delivered: nothing left to cancel for ONCE. */
	if (mode == MX_WAIT_ASYNC_ONCE)
		ASSERT_STATUS(mx_port_cancel(port, ev[0], 128),
			      MX_ERR_NOT_FOUND);
	for (i = 0; i < 3; i++)
		ASSERT_OK(mx_handle_close(ev[i]));
	ASSERT_OK(mx_handle_close(port));
}

TEST(cancel_event_key_once_after)
{
	cancel_after(MX_WAIT_ASYNC_ONCE);
}

TEST(cancel_event_key_repeat_after)
{
	cancel_after(MX_WAIT_ASYNC_REPEATING);
}

/*
 * The packet of a fired ONCE registration is matched by the handle it was
 * made through for as long as that handle lives, and never by a handle
 * made after it was closed (which may take the same kernel memory).
 */
TEST(cancel_matches_the_handle_not_its_memory)
{
	mx_handle_t port = new_port(), ev = mxt_event(), h, h2;
	mx_port_packet_t pkt;
	int i;

	for (i = 0; i < 64; i++) {
		h = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
		ASSERT_OK(mx_object_wait_async(h, port, 5, MX_USER_SIGNAL_0,
					       i & 1 ? MX_WAIT_ASYNC_REPEATING :
						       MX_WAIT_ASYNC_ONCE));
		ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
		ASSERT_OK(mx_handle_close(h));
		h2 = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
		ASSERT_STATUS(mx_port_cancel(port, h2, 5), MX_ERR_NOT_FOUND);
		pkt = take(port);
		ASSERT_EQ(pkt.key, 5);
		assert_empty(port);
		ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_0, 0));
		ASSERT_OK(mx_handle_close(h2));
	}
	/* A handle still open matches its fired ONCE packet. */
	h = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_object_wait_async(h, port, 6, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(mx_port_cancel(port, ev, 6), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_port_cancel(port, h, 7), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_port_cancel(port, h, 6));
	assert_empty(port);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/* mx_port_cancel's source: a handle with MX_RIGHT_READ to a waitable object. */
TEST(cancel_check_order)
{
	mx_handle_t port = new_port(), ev = mxt_event(), other = new_port();
	mx_handle_t ev_wo = mxt_dup(ev, MX_RIGHT_WRITE);
	mx_handle_t port_ro = mxt_dup(port, MX_RIGHT_READ);

	ASSERT_STATUS(mx_port_cancel(MX_HANDLE_INVALID, ev, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_port_cancel(port_ro, ev, 1), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_cancel(ev, ev, 1), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_port_cancel(port, MX_HANDLE_INVALID, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_port_cancel(port, ev_wo, 1), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_cancel(port, other, 1), MX_ERR_NOT_SUPPORTED);
	/* The port is checked before the source. */
	ASSERT_STATUS(mx_port_cancel(port_ro, MX_HANDLE_INVALID, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_port_cancel(port, ev, 1), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_handle_close(port_ro));
	ASSERT_OK(mx_handle_close(ev_wo));
	ASSERT_OK(mx_handle_close(other));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/*
 * Magenta's observer list is push-front: the packets of one state change
 * come newest registration first, whatever handles they were made through.
 */
TEST(packets_of_one_change_newest_registration_first)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_handle_t other = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	mx_port_packet_t pkt;
	uint64_t k;

	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(other, port, 2, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(ev, port, 3, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(ev, port, 4, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	for (k = 4; k >= 1; k--)
		ASSERT_EQ(take(port).key, k);
	assert_empty(port);
	/* The REPEATING ones again, in the same order. */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(take(port).key, 4);
	ASSERT_EQ(take(port).key, 2);
	assert_empty(port);
	/* A blocking wait on the same object is satisfied all the same. */
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_0, 0, NULL));
	pkt = user_packet(9, 0);
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_1, 0));
	/* Packets of different changes stay in the order of the changes. */
	ASSERT_EQ(take(port).key, 9);
	ASSERT_EQ(take(port).key, 4);
	ASSERT_EQ(take(port).key, 2);
	assert_empty(port);
	ASSERT_OK(mx_handle_close(other));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/* Magenta writes the packet buffer only when it returns a packet. */
TEST(timed_out_wait_leaves_the_buffer_alone)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t in = user_packet(33, -4), out;
	struct port_waiter w;

	ASSERT_OK(mx_port_queue(port, &in, 0));
	memset(&out, 0, sizeof(out));
	ASSERT_OK(mx_port_wait(port, 0, &out, 0));
	ASSERT_STATUS(mx_port_wait(port, 0, &out, 0), MX_ERR_TIMED_OUT);
	ASSERT_STATUS(mx_port_wait(port, mxt_now() + MX_MSEC(20), &out, 0),
		      MX_ERR_TIMED_OUT);
	in.type = MX_PKT_TYPE_USER;
	ASSERT_EQ(memcmp(&out, &in, sizeof(out)), 0);
	/* The same after a signal packet, and for a blocked waiter. */
	ASSERT_OK(mx_object_wait_async(ev, port, 8, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_port_wait(port, 0, &out, 0));
	in = out;
	start_port_waiter_into(&w, port, mxt_now() + MX_MSEC(50), &out);
	ASSERT_EQ(pthread_join(w.th, NULL), 0);
	ASSERT_STATUS(w.status, MX_ERR_TIMED_OUT);
	ASSERT_EQ(memcmp(&out, &in, sizeof(out)), 0);
	ASSERT_EQ(out.key, 8);
	ASSERT_EQ(out.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/*
 * A buffer that cannot be written when the packet comes: the waiter gets
 * MX_ERR_INVALID_ARGS and the packet stays first in the queue.
 */
TEST(packet_kept_when_the_buffer_goes_bad_during_the_wait)
{
	mx_handle_t port = new_port(), ev = mxt_event();
	mx_port_packet_t pkt = user_packet(61, 0), *page;
	struct port_waiter w;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(page != MAP_FAILED);
	memset(page, 0x5a, sizeof(*page));

	/* A user packet. */
	start_port_waiter_into(&w, port, MX_TIME_INFINITE, page);
	ASSERT_EQ(mprotect(page, 4096, PROT_READ), 0);
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_EQ(pthread_join(w.th, NULL), 0);
	ASSERT_STATUS(w.status, MX_ERR_INVALID_ARGS);
	ASSERT_EQ(page->key, 0x5a5a5a5a5a5a5a5aull);
	pkt = user_packet(62, 0);
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
	ASSERT_EQ(take(port).key, 61);
	ASSERT_EQ(take(port).key, 62);
	assert_empty(port);

	/* A signal packet: kept, and still cancellable through its handle. */
	ASSERT_EQ(mprotect(page, 4096, PROT_READ | PROT_WRITE), 0);
	ASSERT_OK(mx_object_wait_async(ev, port, 63, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_ONCE));
	start_port_waiter_into(&w, port, MX_TIME_INFINITE, page);
	ASSERT_EQ(mprotect(page, 4096, PROT_NONE), 0);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(pthread_join(w.th, NULL), 0);
	ASSERT_STATUS(w.status, MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_port_wait(port, 0, page, 0), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_port_cancel(port, ev, 63));
	assert_empty(port);
	ASSERT_EQ(munmap(page, 4096), 0);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(port));
}

/*
 * A cancel racing signal changes of the object its registrations watch:
 * between taking them off the port and ending them, a registration must
 * not queue its packet again (its entry would be on two lists). Runs
 * 1024 REPEATING registrations, whose packets are queued (nobody drains
 * them), cancelled and made again for 3 s while a thread signals; the
 * kernel's list and refcount checks catch a double queueing. After the
 * last cancel, no packet of theirs is left.
 */
static mx_handle_t rc_ev, rc_port;
static volatile int rc_stop;

static void *rc_signal(void *arg)
{
	while (!rc_stop) {
		mx_object_signal(rc_ev, 0, MX_USER_SIGNAL_0);
		mx_object_signal(rc_ev, MX_USER_SIGNAL_0, 0);
	}
	return arg;
}

TEST(cancel_racing_signals)
{
	mx_time_t end = mxt_now() + MX_SEC(3);
	mx_port_packet_t p;
	pthread_t a;
	int i;

	rc_ev = mxt_event();
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &rc_port));
	for (i = 0; i < 1024; i++)
		ASSERT_OK(mx_object_wait_async(rc_ev, rc_port, 0,
					       MX_USER_SIGNAL_0,
					       MX_WAIT_ASYNC_REPEATING));
	ASSERT_EQ(pthread_create(&a, NULL, rc_signal, NULL), 0);
	while (mxt_now() < end) {
		ASSERT_OK(mx_port_cancel(rc_port, rc_ev, 0));
		for (i = 0; i < 1024; i++)
			ASSERT_OK(mx_object_wait_async(rc_ev, rc_port, 0,
						       MX_USER_SIGNAL_0,
						       MX_WAIT_ASYNC_REPEATING));
	}
	rc_stop = 1;
	pthread_join(a, NULL);
	ASSERT_OK(mx_port_cancel(rc_port, rc_ev, 0));
	ASSERT_STATUS(mx_port_wait(rc_port, 0, &p, 0), MX_ERR_TIMED_OUT);
}
