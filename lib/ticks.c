// SPDX-License-Identifier: MIT
/*
 * mx_ticks_get, mx_ticks_per_second.
 *
 * Ticks are the TSC, read in user mode as Magenta does, when the module
 * reports that the TSC runs at a constant rate, does not stop in idle and
 * is in sync across CPUs (MX_IOC_TICKS_INFO gives its rate), and the
 * process may execute rdtsc (prctl(PR_GET_TSC)). Otherwise, as Magenta's
 * own soft-ticks fallback, ticks are CLOCK_MONOTONIC nanoseconds and there
 * are 10^9 per second. The choice is made once per process, at the first
 * call of either function.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <time.h>

#include "ioctl.h"

#define MX_TICKS_SOFT_HZ	1000000000ull

/* 0 until chosen; then the rate (MX_TICKS_SOFT_HZ: no TSC). */
static uint64_t mx_ticks_hz;
static int mx_ticks_tsc;

static uint64_t mx_ticks_choose(void)
{
	struct mx_ioc_ticks_info info = { 0 };
	uint64_t hz = MX_TICKS_SOFT_HZ;
	int tsc = 0;
#if defined(__x86_64__) || defined(__i386__)
	int mode = 0;

	if (mx__ioctl(MX_IOC_TICKS_INFO, &info) == MX_OK && info.tsc_hz &&
	    prctl(PR_GET_TSC, &mode, 0, 0, 0) == 0 && mode == PR_TSC_ENABLE) {
		hz = info.tsc_hz;
		tsc = 1;
	}
#else
	(void)info;
#endif
	/* Every thread that races here computes the same choice. */
	__atomic_store_n(&mx_ticks_tsc, tsc, __ATOMIC_RELAXED);
	__atomic_store_n(&mx_ticks_hz, hz, __ATOMIC_RELEASE);
	return hz;
}

static uint64_t mx_ticks_rate(void)
{
	uint64_t hz = __atomic_load_n(&mx_ticks_hz, __ATOMIC_ACQUIRE);

	return hz ? hz : mx_ticks_choose();
}

uint64_t mx_ticks_per_second(void)
{
	return mx_ticks_rate();
}

uint64_t mx_ticks_get(void)
{
	struct timespec ts;

	mx_ticks_rate();
#if defined(__x86_64__) || defined(__i386__)
	if (__atomic_load_n(&mx_ticks_tsc, __ATOMIC_RELAXED)) {
		uint32_t lo, hi;

		/* lfence orders the read after earlier loads, as Linux does. */
		__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)
				     :: "memory");
		return ((uint64_t)hi << 32) | lo;
	}
#endif
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
