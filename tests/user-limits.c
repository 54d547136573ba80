// SPDX-License-Identifier: MIT
/*
 * Per-user bounds on what the kernel keeps for a user (docs/security.md):
 * memory in unread messages and port packets (max_user_message_bytes),
 * handles in unread messages (max_user_inflight_handles), asynchronous
 * waits and waitfds (max_user_watches), objects (max_user_objects).
 * Past a bound the call gets MX_ERR_NO_RESOURCES, keeps nothing and loses
 * nothing; another user is not affected; what is freed can be used again.
 *
 * Every case runs as unprivileged uids, each case with uids of its own
 * (a case's charges go when its processes' teardown has run).
 */
#include "held.h"

/* Another user can write and read a message with a handle. */
static void other_user_works(void *arg)
{
	mx_handle_t a, b, ev, got = MX_HANDLE_INVALID;
	char buf[64 * 1024];
	uint32_t nb = 0, nh = 0;

	(void)arg;
	memset(buf, 0x5a, sizeof(buf));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ev = mxt_event();
	ASSERT_OK(mx_channel_write(a, 0, buf, sizeof(buf), &ev, 1));
	memset(buf, 0, sizeof(buf));
	ASSERT_OK(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(nb, sizeof(buf));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(buf[sizeof(buf) - 1], 0x5a);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

#define MSG	(64 * 1024)
#define NCH	16

/*
 * Write 64 KiB messages into the channels @ch until the user's bound;
 * return how many were written. Every endpoint queue holds at most
 * channel_max_bytes, so the writes spread over @ch.
 */
static int fill_into(mx_handle_t (*ch)[2], int nch, char *buf, int max_msgs)
{
	mx_status_t s = MX_OK;
	int n = 0;

	while (n < max_msgs) {
		memcpy(buf, &n, sizeof(n));
		s = mx_channel_write(ch[n % nch][0], 0, buf, MSG, NULL, 0);
		if (s != MX_OK)
			break;
		n++;
	}
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	return n;
}

static int fill_messages(mx_handle_t (*ch)[2], int nch, char *buf,
			 int max_msgs)
{
	int i;

	for (i = 0; i < nch; i++)
		ASSERT_OK(mx_channel_create(0, &ch[i][0], &ch[i][1]));
	return fill_into(ch, nch, buf, max_msgs);
}

static void message_bytes_body(void)
{
	static char buf[MSG];
	mx_handle_t ch[NCH][2];
	uint32_t nb = 0;
	int n, i, seen;

	mxt_become_keeping_root(4301);
	/* 1 MiB: 15 messages of 64 KiB and their heads, not 16. */
	n = fill_messages(ch, NCH, buf, 1000);
	ASSERT_EQ(n, 15);
	/* Another user is not affected. */
	mxt_as_user(4302, other_user_works, NULL);
	/* Nothing was lost: every message is there, in order. */
	for (i = 0; i < n; i++) {
		memset(buf, 0xff, sizeof(int));
		ASSERT_OK(mx_channel_read(ch[i % NCH][1], 0, buf, NULL, MSG, 0,
					  &nb, NULL));
		ASSERT_EQ(nb, MSG);
		memcpy(&seen, buf, sizeof(seen));
		ASSERT_EQ(seen, i);
	}
	/* Read out, the memory is the user's again. */
	ASSERT_EQ(fill_messages(ch + 0, 1, buf, 1000) >= 15, 1);
}

TEST(message_memory_is_bounded_per_user)
{
	mxt_with_param("max_user_message_bytes", "1048576", message_bytes_body);
}

/* A message the bound refuses leaves its handles in the writer's table. */
static void inflight_body(void)
{
	mx_handle_t a, b, evs[64], got[64];
	char buf[8];
	uint32_t nh = 0;
	int i;

	mxt_become_keeping_root(4303);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (i = 0; i < 64; i++)
		evs[i] = mxt_event();
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, evs, 64));
	for (i = 0; i < 64; i++)
		evs[i] = mxt_event();
	/* 64 + 37 > 100 */
	ASSERT_STATUS(mx_channel_write(a, 0, "y", 1, evs, 37),
		      MX_ERR_NO_RESOURCES);
	for (i = 0; i < 37; i++)
		ASSERT_EQ(mxt_basic(evs[i]).type, MX_OBJ_TYPE_EVENT);
	ASSERT_OK(mx_channel_write(a, 0, "z", 1, evs, 36));
	ASSERT_STATUS(mx_channel_write(a, 0, "w", 1, evs + 36, 1),
		      MX_ERR_NO_RESOURCES);
	mxt_as_user(4304, other_user_works, NULL);
	/* A message read out gives its handles' share back. */
	ASSERT_OK(mx_channel_read(b, 0, buf, got, sizeof(buf), 64, NULL, &nh));
	ASSERT_EQ(nh, 64);
	ASSERT_OK(mx_channel_write(a, 0, "w", 1, evs + 36, 28));
}

TEST(handles_in_flight_are_bounded_per_user)
{
	mxt_with_param("max_user_inflight_handles", "100", inflight_body);
}

/*
 * Register @n asynchronous waits on @obj at @port, and check that one more
 * is past the user's bound.
 */
static void watch_up_to(mx_handle_t obj, mx_handle_t port, int n,
			mx_signals_t signals, uint32_t options)
{
	int i;

	for (i = 0; i < n; i++)
		ASSERT_OK(mx_object_wait_async(obj, port, (uint64_t)i, signals,
					       options));
	ASSERT_STATUS(mx_object_wait_async(obj, port, 99, signals,
					   MX_WAIT_ASYNC_ONCE),
		      MX_ERR_NO_RESOURCES);
}

/* A user with watches of its own, up to the same bound. */
static void watches_other(void *arg)
{
	mx_handle_t port, ev;

	(void)arg;
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ev = mxt_event();
	watch_up_to(ev, port, 50, MX_EVENT_SIGNALED, MX_WAIT_ASYNC_ONCE);
}

static void watches_body(void)
{
	mx_handle_t port, ev, ev2;
	mx_port_packet_t pkt;
	int i, fd = -1;

	mxt_become_keeping_root(4305);
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ev = mxt_event();
	watch_up_to(ev, port, 50, MX_EVENT_SIGNALED, MX_WAIT_ASYNC_ONCE);
	ASSERT_STATUS(mx_waitfd_create(ev, MX_EVENT_SIGNALED, O_CLOEXEC, &fd),
		      MX_ERR_NO_RESOURCES);
	ASSERT_EQ(fd, -1);
	mxt_as_user(4306, watches_other, NULL);
	/* Cancelled, one is free again. */
	ASSERT_OK(mx_port_cancel(port, ev, 7));
	ASSERT_OK(mx_waitfd_create(ev, MX_EVENT_SIGNALED, O_CLOEXEC, &fd));
	ASSERT_STATUS(mx_object_wait_async(ev, port, 99, MX_EVENT_SIGNALED,
					   MX_WAIT_ASYNC_ONCE),
		      MX_ERR_NO_RESOURCES);
	close(fd);
	/* Fired and delivered, they are free again. */
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	for (i = 0; i < 49; i++)
		ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_STATUS(mx_port_wait(port, 0, &pkt, 0), MX_ERR_TIMED_OUT);
	ev2 = mxt_event();
	watch_up_to(ev2, port, 50, MX_EVENT_SIGNALED, MX_WAIT_ASYNC_ONCE);
	/* Closing the handle ends its registrations: free again. */
	ASSERT_OK(mx_handle_close(ev2));
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
}

TEST(watches_are_bounded_per_user)
{
	mxt_with_param("max_user_watches", "50", watches_body);
}

/* User packets are message memory too. */
static void packets_body(void)
{
	mx_port_packet_t pkt = { .key = 1, .type = MX_PKT_TYPE_USER };
	mx_handle_t port;
	mx_status_t s = MX_OK;
	int n = 0;

	mxt_become_keeping_root(4307);
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	while (n < 4000 && (s = mx_port_queue(port, &pkt, 0)) == MX_OK)
		n++;
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	ASSERT_TRUE(n > 0 && n < 4096 / 32);
	ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
	ASSERT_EQ(pkt.key, 1);
	ASSERT_OK(mx_port_queue(port, &pkt, 0));
}

TEST(port_packets_are_bounded_per_user)
{
	mxt_with_param("max_user_message_bytes", "4096", packets_body);
}

/*
 * With every bound at its default, a user fills them all; the kernel
 * memory that takes (MemAvailable before and after, against the user's
 * RSS) is printed for the record, and each bound answers
 * MX_ERR_NO_RESOURCES.
 */
static long mem_available_kib(void)
{
	char buf[4096], *p;
	long kib = -1;

	if (mxt_read_file("/proc/meminfo", buf, sizeof(buf)))
		FAIL("/proc/meminfo: %s", strerror(errno));
	p = strstr(buf, "MemAvailable:");
	if (p)
		sscanf(p, "MemAvailable: %ld", &kib);
	return kib;
}

/*
 * The bounds pin_all() fills: the defaults; on a debug kernel (KASAN,
 * lockdep, kmemleak: 10 to 20 times slower) a quarter of each, or the
 * filling and its teardown outlast the case's time.
 */
static int bound_objects = 65536, bound_watches = 65536;

static void pin_all(void *arg)
{
	static char buf[MSG];
	mx_handle_t ch[2 * NCH][2], port, batch[64];
	mx_status_t s;
	int *ready = arg, i, k = 0, events = 0;

	for (i = 0; i < 2 * NCH; i++)
		ASSERT_OK(mx_channel_create(0, &ch[i][0], &ch[i][1]));
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	/* Objects: all, most of them in flight (not in the table). */
	for (;;) {
		s = mx_event_create(0, &batch[k]);
		if (s != MX_OK)
			break;
		events++;
		if (++k == 64) {
			ASSERT_OK(mx_channel_write(ch[0][0], 0, "", 0, batch,
						   64));
			k = 0;
		}
	}
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	ASSERT_EQ(events, bound_objects - 4 * NCH - 1);
	/* Message memory: all of it. */
	(void)fill_into(ch + 1, 2 * NCH - 1, buf, 100000);
	/* Watches: all. */
	watch_up_to(ch[1][1], port, bound_watches, MX_CHANNEL_PEER_CLOSED,
		    MX_WAIT_ASYNC_REPEATING);
	__atomic_store_n(ready, 1, __ATOMIC_RELEASE);
	pause();
}

TEST(a_user_at_every_default_bound)
{
	int *ready = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long before, after;
	pid_t pid;

	static const char *const names[] = {
		"max_user_objects", "max_user_watches", "max_user_message_bytes",
	};
	static const char *const quarter[] = { "16384", "16384", "16777216" };
	char old[3][32];
	bool scaled = mxt_debug_kernel();
	int i;

	ASSERT_TRUE(ready != MAP_FAILED);
	*ready = 0;
	if (scaled) {
		for (i = 0; i < 3; i++) {
			mxt_param_get(names[i], old[i], sizeof(old[i]));
			mxt_param_set(names[i], quarter[i]);
		}
		bound_objects = bound_watches = 16384;
	}
	before = mem_available_kib();
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		mxt_become(4308);
		pin_all(ready);
		_exit(0);
	}
	while (!__atomic_load_n(ready, __ATOMIC_ACQUIRE)) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid)
			FAIL("the filling user failed (status 0x%x)", status);
		usleep(10000);
	}
	after = mem_available_kib();
	printf("# a user at every %s bound: MemAvailable down %ld KiB\n",
	       scaled ? "quartered" : "default", before - after);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; scaled && i < 3; i++)
		mxt_param_set(names[i], old[i]);
}

/*
 * The worst walk a user can cause: with a registration on one event for
 * each watch the user may have, a signal change and a close of another
 * handle each walk them all, with the object's lock held. Printed for the
 * record, not asserted. At the default bound, 65536; a debug kernel
 * (KASAN, lockdep: 10 to 20 times slower) walks at a bound of 16384,
 * or the registrations and their teardown alone outlast the case's time.
 */
static int walk_n;

static void walk_body(void)
{
	mx_handle_t port, ev, dup;
	mx_time_t t0, t1, t2;

	mxt_become(4309);
	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ev = mxt_event();
	watch_up_to(ev, port, walk_n, MX_USER_SIGNAL_0,
		    MX_WAIT_ASYNC_REPEATING);
	dup = mxt_dup(ev, MX_RIGHT_SAME_RIGHTS);
	t0 = mxt_now();
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	t1 = mxt_now();
	ASSERT_OK(mx_handle_close(dup));
	t2 = mxt_now();
	printf("# %d watches on one object: signal %.2f ms, close of another handle %.2f ms\n",
	       walk_n, (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6);
}

TEST(walk_at_the_watch_bound)
{
	char bound[16];

	walk_n = mxt_debug_kernel() ? 16384 : 65536;
	snprintf(bound, sizeof(bound), "%d", walk_n);
	mxt_with_param("max_user_watches", bound, walk_body);
}
