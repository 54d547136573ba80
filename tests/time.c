// SPDX-License-Identifier: MIT
/*
 * Time and statuses: mx_time_get, mx_deadline_after (which saturates at
 * MX_TIME_INFINITE -- a documented choice, Magenta wrapped), mx_nanosleep,
 * mx_status_get_string, and the time constants. Reference §1.1, §3.24.
 * Only lower bounds are asserted on durations.
 */
#include "mxtest.h"

#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	ASSERT_EQ(clock_gettime(id, &ts), 0);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

TEST(constants)
{
	ASSERT_TRUE(MX_TIME_INFINITE == UINT64_MAX);
	ASSERT_EQ(MX_USEC(3), 3000);
	ASSERT_EQ(MX_MSEC(3), 3000000);
	ASSERT_TRUE(MX_SEC(3) == 3000000000ull);
	ASSERT_TRUE(MX_SEC(5) > UINT32_MAX);	/* 64-bit arithmetic */
	ASSERT_EQ(MX_CLOCK_MONOTONIC, 0);
	ASSERT_EQ(MX_CLOCK_UTC, 1);
	ASSERT_EQ(MX_CLOCK_THREAD, 2);
}

TEST(monotonic_is_clock_monotonic)
{
	uint64_t before, after;
	mx_time_t t, prev = 0;
	int i;

	for (i = 0; i < 1000; i++) {
		before = clock_ns(CLOCK_MONOTONIC);
		t = mx_time_get(MX_CLOCK_MONOTONIC);
		after = clock_ns(CLOCK_MONOTONIC);
		ASSERT_TRUE(t >= before);
		ASSERT_TRUE(t <= after);
		ASSERT_TRUE(t >= prev);
		prev = t;
	}
	ASSERT_TRUE(prev > 0);
}

TEST(utc_is_clock_realtime)
{
	uint64_t before = clock_ns(CLOCK_REALTIME);
	mx_time_t t = mx_time_get(MX_CLOCK_UTC);
	uint64_t after = clock_ns(CLOCK_REALTIME);

	ASSERT_TRUE(t >= before);
	ASSERT_TRUE(t <= after);
}

TEST(thread_clock_counts_cpu_time)
{
	mx_time_t t0 = mx_time_get(MX_CLOCK_THREAD), t1;
	volatile unsigned long spin = 0;

	/*
	 * No assertion on t0 itself: with tick-based CPU accounting (a guest
	 * whose TSC was found unstable) a new thread can still read 0.
	 * It advances while the thread runs (else the case times out)...
	 */
	do {
		spin++;
		t1 = mx_time_get(MX_CLOCK_THREAD);
	} while (t1 < t0 + MX_MSEC(5));
	ASSERT_TRUE(spin > 0);
	/* ...and never goes back. */
	t0 = mx_time_get(MX_CLOCK_THREAD);
	mx_nanosleep(mx_deadline_after(MX_MSEC(20)));
	t1 = mx_time_get(MX_CLOCK_THREAD);
	ASSERT_TRUE(t1 >= t0);
}

TEST(unknown_clock_is_zero)
{
	ASSERT_EQ(mx_time_get(3), 0);
	ASSERT_EQ(mx_time_get(1000), 0);
	ASSERT_EQ(mx_time_get(0xffffffffu), 0);
}

TEST(deadline_after)
{
	mx_time_t before, d, after;

	before = mx_time_get(MX_CLOCK_MONOTONIC);
	d = mx_deadline_after(0);
	after = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_TRUE(d >= before && d <= after);

	before = mx_time_get(MX_CLOCK_MONOTONIC);
	d = mx_deadline_after(MX_SEC(10));
	after = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_TRUE(d >= before + MX_SEC(10) && d <= after + MX_SEC(10));

	before = mx_time_get(MX_CLOCK_MONOTONIC);
	d = mx_deadline_after(MX_USEC(1));
	after = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_TRUE(d >= before + 1000 && d <= after + 1000);
}

TEST(deadline_after_saturates)
{
	ASSERT_TRUE(mx_deadline_after(MX_TIME_INFINITE) == MX_TIME_INFINITE);
	ASSERT_TRUE(mx_deadline_after(MX_TIME_INFINITE - 1) ==
		    MX_TIME_INFINITE);
	ASSERT_TRUE(mx_deadline_after(MX_TIME_INFINITE -
				      mx_time_get(MX_CLOCK_MONOTONIC) + 1) ==
		    MX_TIME_INFINITE);
	/* Near the edge, exact: now + ns where that does not wrap. */
	{
		mx_time_t now = mx_time_get(MX_CLOCK_MONOTONIC);
		mx_duration_t ns = MX_TIME_INFINITE - now - MX_SEC(3600);
		mx_time_t d = mx_deadline_after(ns);

		ASSERT_TRUE(d != MX_TIME_INFINITE);
		ASSERT_TRUE(d >= now + ns);
	}
}

TEST(nanosleep_to_absolute_deadline)
{
	mx_time_t deadline = mx_deadline_after(MX_MSEC(50));

	ASSERT_OK(mx_nanosleep(deadline));
	ASSERT_TRUE(mx_time_get(MX_CLOCK_MONOTONIC) >= deadline);
}

TEST(nanosleep_past_and_zero)
{
	ASSERT_OK(mx_nanosleep(0));
	ASSERT_OK(mx_nanosleep(1));
	ASSERT_OK(mx_nanosleep(mx_time_get(MX_CLOCK_MONOTONIC)));
}

TEST(nanosleep_keeps_errno)
{
	errno = 1234;
	ASSERT_OK(mx_nanosleep(mx_deadline_after(MX_USEC(100))));
	ASSERT_EQ(errno, 1234);
	ASSERT_OK(mx_nanosleep(0));
	ASSERT_EQ(errno, 1234);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

TEST(nanosleep_survives_signals)
{
	struct sigaction sa;
	struct itimerspec its = {
		.it_interval = { 0, 20 * 1000 * 1000 },
		.it_value = { 0, 20 * 1000 * 1000 },
	};
	struct sigevent sev;
	timer_t timer;
	mx_time_t deadline;

	/* No SA_RESTART: the sleep itself must carry on to the deadline. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGUSR2, &sa, NULL), 0);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	ASSERT_EQ(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	ASSERT_EQ(timer_settime(timer, 0, &its, NULL), 0);
	deadline = mx_deadline_after(MX_MSEC(150));
	ASSERT_OK(mx_nanosleep(deadline));
	ASSERT_TRUE(mx_time_get(MX_CLOCK_MONOTONIC) >= deadline);
	ASSERT_EQ(timer_delete(timer), 0);
	ASSERT_TRUE(alarms > 0);
}

TEST(status_strings)
{
	static const struct {
		mx_status_t s;
		const char *name;
	} all[] = {
#define S(x) { x, #x }
		S(MX_OK), S(MX_ERR_INTERNAL), S(MX_ERR_NOT_SUPPORTED),
		S(MX_ERR_NO_RESOURCES), S(MX_ERR_NO_MEMORY),
		S(MX_ERR_CALL_FAILED), S(MX_ERR_INTERRUPTED_RETRY),
		S(MX_ERR_INVALID_ARGS), S(MX_ERR_BAD_HANDLE),
		S(MX_ERR_WRONG_TYPE), S(MX_ERR_BAD_SYSCALL),
		S(MX_ERR_OUT_OF_RANGE), S(MX_ERR_BUFFER_TOO_SMALL),
		S(MX_ERR_BAD_STATE), S(MX_ERR_TIMED_OUT),
		S(MX_ERR_SHOULD_WAIT), S(MX_ERR_CANCELED),
		S(MX_ERR_PEER_CLOSED), S(MX_ERR_NOT_FOUND),
		S(MX_ERR_ALREADY_EXISTS), S(MX_ERR_ALREADY_BOUND),
		S(MX_ERR_UNAVAILABLE), S(MX_ERR_ACCESS_DENIED), S(MX_ERR_IO),
		S(MX_ERR_IO_REFUSED), S(MX_ERR_IO_DATA_INTEGRITY),
		S(MX_ERR_IO_DATA_LOSS), S(MX_ERR_IO_NOT_PRESENT),
		S(MX_ERR_IO_OVERRUN), S(MX_ERR_IO_MISSED_DEADLINE),
		S(MX_ERR_BAD_PATH), S(MX_ERR_NOT_DIR), S(MX_ERR_NOT_FILE),
		S(MX_ERR_FILE_BIG), S(MX_ERR_NO_SPACE), S(MX_ERR_STOP),
		S(MX_ERR_NEXT),
#undef S
	};
	static const mx_status_t unknown[] = { 1, -7, -16, -29, -47, -62,
					       -1000, INT32_MIN, INT32_MAX };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *got = mx_status_get_string(all[i].s);

		ASSERT_TRUE(got != NULL);
		if (strcmp(got, all[i].name) != 0)
			FAIL("status %d: got \"%s\", want \"%s\"", all[i].s,
			     got, all[i].name);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *got = mx_status_get_string(unknown[i]);

		ASSERT_TRUE(got != NULL);
		if (strcmp(got, "(UNKNOWN)") != 0)
			FAIL("status %d: got \"%s\"", unknown[i], got);
	}
}

TEST(status_values)
{
	/* Spot checks of the numbering (reference §1.2). */
	ASSERT_EQ(MX_OK, 0);
	ASSERT_EQ(MX_ERR_INVALID_ARGS, -10);
	ASSERT_EQ(MX_ERR_BAD_HANDLE, -11);
	ASSERT_EQ(MX_ERR_WRONG_TYPE, -12);
	ASSERT_EQ(MX_ERR_BUFFER_TOO_SMALL, -15);
	ASSERT_EQ(MX_ERR_TIMED_OUT, -21);
	ASSERT_EQ(MX_ERR_CANCELED, -23);
	ASSERT_EQ(MX_ERR_PEER_CLOSED, -24);
	ASSERT_EQ(MX_ERR_ACCESS_DENIED, -30);
	ASSERT_EQ(MX_ERR_NEXT, -61);
}
