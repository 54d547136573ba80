// SPDX-License-Identifier: MIT
/*
 * Futexes: mx_futex_wait, mx_futex_wake, mx_futex_requeue.
 *
 * Linux's private futexes are keyed by (address space, address), the
 * scope of Magenta's per-process futex table, so the calls go straight to
 * futex(2) without the module. What differs is the order of the checks,
 * which is Magenta's here:
 *  - wait: alignment, then the value (a fault is INVALID_ARGS), then the
 *    wait; a signal handler run during the wait does not end it (the wait
 *    is taken up again with the same deadline, the value re-checked, as
 *    Magenta re-issues a wait after a suspend);
 *  - wake: a count of 0 succeeds before anything is checked;
 *  - requeue: a NULL requeue_ptr with a count, then the value, then the
 *    same-address and alignment checks. Linux checks alignment before the
 *    value and allows one address for both, so when those checks are to
 *    fail the value is read first (process_vm_readv() on the process
 *    itself: a fault is an error, not a signal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <mx.h>

static long mx_futex(mx_futex_t *uaddr, int op, int val,
		     const struct timespec *ts, mx_futex_t *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, ts,
		       uaddr2, val3);
}

static int mx_futex_misaligned(const mx_futex_t *p)
{
	return ((uintptr_t)p & (sizeof(mx_futex_t) - 1)) != 0;
}

/* futex(2) takes counts as int: UINT32_MAX (all) and the like saturate. */
static int mx_futex_count(uint32_t count)
{
	return count > INT_MAX ? INT_MAX : (int)count;
}

mx_status_t mx_futex_wait(mx_futex_t *value_ptr, int current_value,
			  mx_time_t deadline)
{
	struct timespec ts, *tsp = NULL;
	int saved = errno;
	mx_status_t ret;

	if (mx_futex_misaligned(value_ptr))
		return MX_ERR_INVALID_ARGS;
	if (deadline != MX_TIME_INFINITE) {
		ts.tv_sec = (time_t)(deadline / 1000000000u);
		ts.tv_nsec = (long)(deadline % 1000000000u);
		tsp = &ts;
	}
	for (;;) {
		/* An absolute CLOCK_MONOTONIC deadline: WAIT_BITSET. */
		if (!mx_futex(value_ptr, FUTEX_WAIT_BITSET, current_value, tsp,
			      NULL, FUTEX_BITSET_MATCH_ANY)) {
			ret = MX_OK;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			ret = MX_ERR_BAD_STATE;
		else if (errno == ETIMEDOUT)
			ret = MX_ERR_TIMED_OUT;
		else if (errno == EFAULT || errno == EINVAL)
			ret = MX_ERR_INVALID_ARGS;
		else if (errno == ENOSYS || errno == EPERM)
			ret = MX_ERR_NOT_SUPPORTED;
		else
			ret = MX_ERR_INTERNAL;
		break;
	}
	errno = saved;
	return ret;
}

mx_status_t mx_futex_wake(const mx_futex_t *value_ptr, uint32_t count)
{
	int saved = errno;
	mx_status_t ret = MX_OK;

	if (count == 0)
		return MX_OK;
	if (mx_futex_misaligned(value_ptr))
		return MX_ERR_INVALID_ARGS;
	/* The memory is not read: an unmapped user address is fine. */
	if (mx_futex((mx_futex_t *)value_ptr, FUTEX_WAKE,
		     mx_futex_count(count), NULL, NULL, 0) < 0)
		ret = (errno == EFAULT || errno == EINVAL) ?
		      MX_ERR_INVALID_ARGS : MX_ERR_INTERNAL;
	errno = saved;
	return ret;
}

/*
 * Read the int at @p, aligned or not, without a fault signal: 0, or -1
 * when it is not readable.
 */
static int mx_futex_peek(const mx_futex_t *p, int *value)
{
	struct iovec local = { value, sizeof(*value) };
	struct iovec remote = { (void *)p, sizeof(*value) };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	       (ssize_t)sizeof(*value) ? 0 : -1;
}

mx_status_t mx_futex_requeue(mx_futex_t *wake_ptr, uint32_t wake_count,
			     int current_value, mx_futex_t *requeue_ptr,
			     uint32_t requeue_count)
{
	int saved = errno;
	mx_status_t ret = MX_OK;
	int value;

	if (!requeue_ptr && requeue_count)
		return MX_ERR_INVALID_ARGS;
	if (wake_ptr == requeue_ptr || mx_futex_misaligned(wake_ptr) ||
	    mx_futex_misaligned(requeue_ptr)) {
		/* Magenta checks the value before these. */
		if (mx_futex_peek(wake_ptr, &value) == 0 &&
		    value != current_value)
			ret = MX_ERR_BAD_STATE;
		else
			ret = MX_ERR_INVALID_ARGS;
		errno = saved;
		return ret;
	}
	/* val2 (the requeue count) travels in the timeout argument. */
	if (mx_futex(wake_ptr, FUTEX_CMP_REQUEUE, mx_futex_count(wake_count),
		     (const struct timespec *)(uintptr_t)
		     mx_futex_count(requeue_count),
		     requeue_ptr, current_value) < 0) {
		if (errno == EAGAIN)
			ret = MX_ERR_BAD_STATE;
		else if (errno == EFAULT || errno == EINVAL)
			ret = MX_ERR_INVALID_ARGS;
		else
			ret = MX_ERR_INTERNAL;
	}
	errno = saved;
	return ret;
}
