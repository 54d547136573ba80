// SPDX-License-Identifier: MIT
/*
 * timer: arming and firing timers against timerfd (bench.h), and kernel
 * bytes per timer (MEM lines, as bench/memory.c).
 *
 *   timer-arm-fire     one thread: mx_timer_start with a deadline already
 *                      past (it fires at once), then mx_object_wait_one
 *                      until SIGNALED. Against timerfd_settime with an
 *                      absolute time already past, then a blocking read:
 *                      arm, the timer interrupt, the wake-up
 *   timer-fire-50us    the same with a deadline 50 us ahead: the wait
 *                      for the interrupt and the wake-up after it
 *   timer-arm-cancel   mx_timer_start with a deadline far ahead, then
 *                      mx_timer_cancel. Against timerfd_settime of the
 *                      same deadline, then of zero (disarm)
 *   MEM timer          N timers against N timerfds
 */
#include "bench.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define N	5000

struct side {
	mx_handle_t t;
	int fd;
};

static void mx_fire(void *arg, uint64_t n)
{
	struct side *s = arg;

	while (n--) {
		check(mx_timer_start(s->t, MX_TIMER_MIN_DEADLINE, 0, 0),
		      "mx_timer_start");
		check(mx_object_wait_one(s->t, MX_TIMER_SIGNALED,
					 MX_TIME_INFINITE, NULL),
		      "mx_object_wait_one");
	}
}

static void tfd_fire(void *arg, uint64_t n)
{
	struct side *s = arg;
	struct itimerspec its = { .it_value = { 0, 1000 } };
	uint64_t v;

	while (n--) {
		if (timerfd_settime(s->fd, TFD_TIMER_ABSTIME, &its, NULL))
			die("timerfd_settime", -1);
		if (read(s->fd, &v, sizeof(v)) != sizeof(v))
			die("timerfd read", -1);
	}
}

static void mx_fire_ahead(void *arg, uint64_t n)
{
	struct side *s = arg;

	while (n--) {
		check(mx_timer_start(s->t, mx_deadline_after(MX_USEC(50)), 0,
				     0), "mx_timer_start");
		check(mx_object_wait_one(s->t, MX_TIMER_SIGNALED,
					 MX_TIME_INFINITE, NULL),
		      "mx_object_wait_one");
	}
}

static void tfd_fire_ahead(void *arg, uint64_t n)
{
	struct side *s = arg;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	struct timespec now;
	uint64_t v;

	while (n--) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		now.tv_nsec += 50000;
		if (now.tv_nsec >= 1000000000) {
			now.tv_nsec -= 1000000000;
			now.tv_sec++;
		}
		its.it_value = now;
		if (timerfd_settime(s->fd, TFD_TIMER_ABSTIME, &its, NULL))
			die("timerfd_settime", -1);
		if (read(s->fd, &v, sizeof(v)) != sizeof(v))
			die("timerfd read", -1);
	}
}

static void mx_cancel(void *arg, uint64_t n)
{
	struct side *s = arg;

	while (n--) {
		check(mx_timer_start(s->t, mx_deadline_after(MX_SEC(3600)), 0,
				     0), "mx_timer_start");
		check(mx_timer_cancel(s->t), "mx_timer_cancel");
	}
}

static void tfd_cancel(void *arg, uint64_t n)
{
	struct side *s = arg;
	struct itimerspec far = { { 0, 0 }, { 0, 0 } }, off = far;
	struct timespec now;

	while (n--) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		far.it_value.tv_sec = now.tv_sec + 3600;
		far.it_value.tv_nsec = now.tv_nsec;
		if (timerfd_settime(s->fd, TFD_TIMER_ABSTIME, &far, NULL) ||
		    timerfd_settime(s->fd, 0, &off, NULL))
			die("timerfd_settime", -1);
	}
}

static mx_handle_t hs[N];
static int fds[N];

static void memory(void)
{
	int i;

	bench_mem_begin();
	for (i = 0; i < N; i++)
		check(mx_timer_create(0, MX_CLOCK_MONOTONIC, &hs[i]),
		      "mx_timer_create");
	bench_mem_end("timer", "mx", N);
	for (i = 0; i < N; i++)
		check(mx_handle_close(hs[i]), "mx_handle_close");
	bench_mem_begin();
	for (i = 0; i < N; i++)
		if ((fds[i] = timerfd_create(CLOCK_MONOTONIC, 0)) < 0)
			die("timerfd_create", i);
	bench_mem_end("timer", "timerfd", N);
	for (i = 0; i < N; i++)
		close(fds[i]);
}

int main(void)
{
	struct rlimit rl = { 2 * N, 2 * N };
	struct side s;

	bench_init("timer");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", -1);
	check(mx_timer_create(0, MX_CLOCK_MONOTONIC, &s.t), "mx_timer_create");
	s.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (s.fd < 0)
		die("timerfd_create", -1);
	bench_pair("timer-arm-fire", "timerfd", mx_fire, &s, tfd_fire, &s);
	bench_pair("timer-fire-50us", "timerfd", mx_fire_ahead, &s,
		   tfd_fire_ahead, &s);
	bench_pair("timer-arm-cancel", "timerfd", mx_cancel, &s, tfd_cancel,
		   &s);
	memset(hs, 0, sizeof(hs));
	memset(fds, 0, sizeof(fds));
	memory();
	return 0;
}
