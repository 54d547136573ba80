// SPDX-License-Identifier: MIT
/*
 * Time. MX_CLOCK_MONOTONIC is Linux's CLOCK_MONOTONIC, the clock the
 * module's deadlines use, so no call into the module is needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <time.h>

#include <mx.h>

static mx_time_t mx_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (mx_time_t)ts.tv_sec * 1000000000ull + (mx_time_t)ts.tv_nsec;
}

mx_time_t mx_time_get(uint32_t clock_id)
{
	switch (clock_id) {
	case MX_CLOCK_MONOTONIC:
		return mx_clock_ns(CLOCK_MONOTONIC);
	case MX_CLOCK_UTC:
		return mx_clock_ns(CLOCK_REALTIME);
	case MX_CLOCK_THREAD:
		return mx_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	default:
		return 0;
	}
}

/* Saturates at MX_TIME_INFINITE instead of wrapping (Magenta wraps). */
mx_time_t mx_deadline_after(mx_duration_t nanoseconds)
{
	mx_time_t now = mx_time_get(MX_CLOCK_MONOTONIC);

	if (nanoseconds > MX_TIME_INFINITE - now)
		return MX_TIME_INFINITE;
	return now + nanoseconds;
}

mx_status_t mx_nanosleep(mx_time_t deadline)
{
	struct timespec ts;
	int saved = errno;

	if (deadline == 0) {
		sched_yield();
		return MX_OK;
	}
	ts.tv_sec = (time_t)(deadline / 1000000000ull);
	ts.tv_nsec = (long)(deadline % 1000000000ull);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
	errno = saved;
	return MX_OK;
}
