// SPDX-License-Identifier: MIT
/*
 * Timers: mx_timer_create, mx_timer_start, mx_timer_cancel and
 * MX_TIMER_SIGNALED, seen by waits, ports and waitfds; transfer through a
 * channel; a second uid. Reference §5.3 and Magenta's timer suite
 * (basic_test, restart_test, invalid_calls, edge_cases, periodic).
 */
#include "mxtest.h"

#include <poll.h>

#define SIG	MX_TIMER_SIGNALED
#define LH	MX_SIGNAL_LAST_HANDLE
#define SENTINEL ((mx_handle_t)0x2b2b2b2b)

static mx_handle_t timer(void)
{
	mx_handle_t t = MX_HANDLE_INVALID;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_TRUE(t > 0);
	return t;
}

/* Reference basic_test. */
TEST(basic)
{
	mx_handle_t t = timer();
	mx_signals_t obs = 0;
	mx_time_t deadline;

	ASSERT_EQ(mxt_signals(t), LH);
	/* far enough ahead for the slowest (debug, emulated) kernels */
	deadline = mx_deadline_after(MX_MSEC(500));
	ASSERT_OK(mx_timer_start(t, deadline, 0, 0));
	ASSERT_EQ(mxt_signals(t), LH);
	ASSERT_OK(mx_object_wait_one(t, SIG, MX_TIME_INFINITE, &obs));
	ASSERT_EQ(obs, SIG | LH);
	ASSERT_TRUE(mx_time_get(MX_CLOCK_MONOTONIC) >= deadline);
	/* a one-shot stays signaled */
	ASSERT_EQ(mxt_signals(t), SIG | LH);
	ASSERT_OK(mx_object_wait_one(t, SIG, 0, &obs));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_EQ(mxt_signals(t), LH);
	/* cancel of a timer not armed */
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_OK(mx_handle_close(t));
}

TEST(rights_type_and_user_signals)
{
	mx_handle_t t = timer();
	mx_info_handle_basic_t i = mxt_basic(t);

	ASSERT_EQ(i.type, MX_OBJ_TYPE_TIMER);
	ASSERT_EQ(i.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_EQ(i.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(i.related_koid, 0);
	ASSERT_OK(mx_object_signal(t, 0, MX_USER_SIGNAL_3));
	ASSERT_EQ(mxt_signals(t), LH | MX_USER_SIGNAL_3);
	ASSERT_STATUS(mx_object_signal(t, 0, SIG), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_object_signal(t, MX_USER_SIGNAL_3, 0));
	ASSERT_OK(mx_handle_close(t));
}

/* Reference restart_test: a later deadline replaces an earlier one. */
TEST(restart)
{
	mx_handle_t t = timer();
	mx_signals_t obs = 0;
	mx_time_t later;

	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(200)), 0, 0));
	later = mx_deadline_after(MX_MSEC(1500));
	ASSERT_OK(mx_timer_start(t, later, 0, 0));
	ASSERT_STATUS(mx_object_wait_one(t, SIG,
					 mx_deadline_after(MX_MSEC(800)),
					 &obs), MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, LH);
	ASSERT_OK(mx_object_wait_one(t, SIG, MX_TIME_INFINITE, &obs));
	ASSERT_TRUE(mx_time_get(MX_CLOCK_MONOTONIC) >= later);
	/* restarting clears SIGNALED at once */
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_SEC(100)), 0, 0));
	ASSERT_EQ(mxt_signals(t), LH);
	ASSERT_OK(mx_handle_close(t));
}

/* Reference invalid_calls, with the check order around the handle. */
TEST(invalid_calls)
{
	mx_handle_t t = SENTINEL, ev = mxt_event(), ro, gone = mxt_event();
	mx_time_t d = mx_deadline_after(MX_SEC(100));

	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_UTC, &t),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_THREAD, &t),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_create(1, MX_CLOCK_MONOTONIC, &t),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_create(0x80000000u, MX_CLOCK_MONOTONIC, &t),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(t, SENTINEL);
	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_MONOTONIC, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_MONOTONIC,
				      mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	t = timer();
	ro = mxt_dup(t, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_OK(mx_handle_close(gone));

	ASSERT_STATUS(mx_timer_start(t, 0, 0, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(t, MX_TIMER_MIN_DEADLINE - 1, 0, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(t, d, MX_USEC(2), 0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_timer_start(t, d, MX_TIMER_MIN_PERIOD - 1, 0),
		      MX_ERR_NOT_SUPPORTED);
	/* deadline 0 comes before the handle; the rest after it */
	ASSERT_STATUS(mx_timer_start(MX_HANDLE_INVALID, 0, 0, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(ev, 0, 1, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(MX_HANDLE_INVALID, 1, 0, 0),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_timer_start(gone, d, 0, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_timer_start(ev, 1, 0, 0), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_timer_start(ro, 1, 1, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_timer_start(ro, d, 0, 0), MX_ERR_ACCESS_DENIED);
	/* deadline too early comes before the period */
	ASSERT_STATUS(mx_timer_start(t, 1, 1, 0), MX_ERR_INVALID_ARGS);

	ASSERT_STATUS(mx_timer_cancel(MX_HANDLE_INVALID), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_timer_cancel(gone), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_timer_cancel(ev), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_timer_cancel(ro), MX_ERR_ACCESS_DENIED);
	/* a refused start leaves the timer unarmed */
	ASSERT_STATUS(mx_object_wait_one(t, SIG,
					 mx_deadline_after(MX_MSEC(5)), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(ev));
}

/* Reference edge_cases, and the far ends of deadline and slack. */
TEST(edge_cases)
{
	mx_handle_t t = timer();
	mx_signals_t obs = 0;

	/* a deadline long past fires at once */
	ASSERT_OK(mx_timer_start(t, MX_TIMER_MIN_DEADLINE, 0, 0));
	ASSERT_OK(mx_object_wait_one(t, SIG, mx_deadline_after(MX_SEC(5)),
				     &obs));
	ASSERT_EQ(obs, SIG | LH);
	ASSERT_OK(mx_timer_start(t, MX_TIMER_MIN_DEADLINE,
				 MX_TIMER_MIN_PERIOD, 0));
	ASSERT_OK(mx_object_wait_one(t, SIG, mx_deadline_after(MX_SEC(5)),
				     &obs));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_EQ(mxt_signals(t), LH);
	/* slack is accepted, whatever it is */
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(1)), 0,
				 UINT64_MAX));
	ASSERT_OK(mx_object_wait_one(t, SIG, mx_deadline_after(MX_SEC(5)),
				     &obs));
	/* the end of time never comes, nor does a huge period overflow */
	ASSERT_OK(mx_timer_start(t, UINT64_MAX, 0, 0));
	ASSERT_STATUS(mx_object_wait_one(t, SIG,
					 mx_deadline_after(MX_MSEC(10)), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(1)),
				 UINT64_MAX, 0));
	ASSERT_OK(mx_object_wait_one(t, SIG, mx_deadline_after(MX_SEC(5)),
				     &obs));
	ASSERT_OK(mx_timer_start(t, (uint64_t)INT64_MAX - 10,
				 MX_TIMER_MIN_PERIOD, 0));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_OK(mx_handle_close(t));
}

/* Reference periodic: each period is seen after it is due. */
TEST(periodic)
{
	const mx_duration_t period = MX_MSEC(10);
	mx_handle_t t = timer();
	mx_time_t start = mx_deadline_after(period);
	mx_signals_t obs;
	int i;

	ASSERT_OK(mx_timer_start(t, start, period, 0));
	for (i = 0; i < 10; i++) {
		obs = 0;
		ASSERT_OK(mx_object_wait_one(t, SIG, MX_TIME_INFINITE, &obs));
		ASSERT_TRUE(obs & SIG);
		ASSERT_TRUE(mx_time_get(MX_CLOCK_MONOTONIC) >=
			    start + (mx_time_t)i * period);
	}
	/* a strobe: not asserted between firings */
	ASSERT_EQ(mxt_signals(t) & SIG, 0);
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_STATUS(mx_object_wait_one(t, SIG,
					 mx_deadline_after(3 * period), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_handle_close(t));
}

TEST(port_sees_one_shot_and_periodic)
{
	mx_handle_t t = timer(), port;
	mx_port_packet_t pkt;
	int i;

	ASSERT_OK(mx_port_create(MX_PORT_OPT_V2, &port));
	ASSERT_OK(mx_object_wait_async(t, port, 11, SIG, MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(5)), 0, 0));
	ASSERT_OK(mx_port_wait(port, mx_deadline_after(MX_SEC(5)), &pkt, 0));
	ASSERT_EQ(pkt.key, 11);
	ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_ONE);
	ASSERT_EQ(pkt.signal.trigger, SIG);
	ASSERT_EQ(pkt.signal.observed, SIG | LH);

	/* each strobe of a periodic timer queues a packet */
	ASSERT_OK(mx_object_wait_async(t, port, 12, SIG,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(5)),
				 MX_MSEC(5), 0));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(mx_port_wait(port, mx_deadline_after(MX_SEC(5)),
				       &pkt, 0));
		ASSERT_EQ(pkt.key, 12);
		ASSERT_EQ(pkt.type, MX_PKT_TYPE_SIGNAL_REP);
		ASSERT_EQ(pkt.signal.observed & SIG, SIG);
	}
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_OK(mx_port_cancel(port, t, 12));
	while (mx_port_wait(port, 0, &pkt, 0) == MX_OK)
		;
	ASSERT_EQ(mxt_signals(t), LH);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(port));
}

TEST(waitfd_sees_a_one_shot)
{
	mx_handle_t t = timer();
	struct pollfd pfd;
	uint32_t st = 0;
	int fd = -1;

	ASSERT_OK(mx_waitfd_create(t, SIG, O_CLOEXEC, &fd));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(5)), 0, 0));
	ASSERT_EQ(poll(&pfd, 1, 5000), 1);
	ASSERT_EQ(read(fd, &st, sizeof(st)), (ssize_t)sizeof(st));
	ASSERT_EQ(st, SIG | LH);
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	/* closing the last handle cancels an armed timer */
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(300)), 0, 0));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_EQ(poll(&pfd, 1, 600), 0);
	ASSERT_EQ(read(fd, &st, sizeof(st)), (ssize_t)sizeof(st));
	ASSERT_EQ(st, LH);
	close(fd);
}

TEST(close_of_a_duplicate_does_not_cancel)
{
	mx_handle_t t = timer(), d;

	d = mxt_dup(t, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(5)), 0, 0));
	ASSERT_OK(mx_handle_close(t));
	mxt_wait_signal(d, SIG);
	ASSERT_EQ(mxt_signals(d), SIG | LH);
	/* closing the last, periodic and armed */
	ASSERT_OK(mx_timer_start(d, MX_TIMER_MIN_DEADLINE,
				 MX_TIMER_MIN_PERIOD, 0));
	ASSERT_OK(mx_handle_close(d));
}

/*
 * Cancel waits for a firing in flight: once it returns SIGNALED is clear
 * and stays clear, however close to the firing it came.
 */
TEST(cancel_races_the_firing)
{
	mx_handle_t t = timer();
	int i;

	for (i = 0; i < 2000; i++) {
		mx_time_t d = mx_time_get(MX_CLOCK_MONOTONIC) +
			      (mx_time_t)(i % 7) * 3000;

		ASSERT_OK(mx_timer_start(t, d, (i & 1) ? 0 :
					 MX_TIMER_MIN_PERIOD, 0));
		if (i % 3 == 0)
			usleep(1);
		ASSERT_OK(mx_timer_cancel(t));
		ASSERT_EQ(mxt_signals(t), LH);
	}
	usleep(2000);
	ASSERT_EQ(mxt_signals(t), LH);
	ASSERT_OK(mx_handle_close(t));
}

TEST(armed_timer_through_a_channel)
{
	mx_handle_t t = timer(), c0, c1, got = MX_HANDLE_INVALID;
	mx_info_handle_basic_t before, after;
	uint32_t nb = 0, nh = 0;

	mxt_channel(&c0, &c1);
	before = mxt_basic(t);
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(20)), 0, 0));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &t, 1));
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	after = mxt_basic(got);
	ASSERT_EQ(after.koid, before.koid);
	ASSERT_EQ(after.type, MX_OBJ_TYPE_TIMER);
	ASSERT_EQ(after.rights, 0x0F);
	/* still armed: it fires in its new place */
	mxt_wait_signal(got, SIG);
	ASSERT_OK(mx_timer_cancel(got));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
}

static void as_other_user(void *arg)
{
	mx_handle_t t = SENTINEL, gone = mxt_event();

	(void)arg;
	ASSERT_OK(mx_handle_close(gone));
	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_UTC, &t),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_create(0, MX_CLOCK_MONOTONIC, (void *)16),
		      MX_ERR_INVALID_ARGS);
	t = timer();
	ASSERT_STATUS(mx_timer_start(t, 0, 0, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(t, 1, 0, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_timer_start(t, 1000, 1, 0), MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_timer_start(gone, 1000, 0, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_timer_cancel(gone), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_timer_start(t, mx_deadline_after(MX_MSEC(2)), 0, 0));
	mxt_wait_signal(t, SIG);
	ASSERT_OK(mx_handle_close(t));
}

TEST(second_uid)
{
	mxt_as_user(4421, as_other_user, NULL);
}

/* A process that exits with armed timers leaves nothing behind. */
static void exit_armed(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 50; i++) {
		mx_handle_t t = timer();

		ASSERT_OK(mx_timer_start(t, MX_TIMER_MIN_DEADLINE,
					 (i & 1) ? MX_MSEC(1) : 0, 0));
	}
}

TEST(exit_with_armed_timers)
{
	mxt_in_child(exit_armed, NULL);
}
