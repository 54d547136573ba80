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
 *    itself, or a pipe: a fault is an error, not a signal).
 *
 * On x86-64 the system call is made inline, and errno is left alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <mx.h>

/*
 * futex(2) on a private futex: 0 or more, or a negative errno. On x86-64
 * the system call is made inline: no errno to save and restore, no
 * variadic wrapper, as close to the bare call as a call can be.
 */
static inline long mx_futex(mx_futex_t *uaddr, int op, int val,
			    const struct timespec *ts, mx_futex_t *uaddr2,
			    int val3)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = (long)ts;
	register long r8 __asm__("r8") = (long)uaddr2;
	register long r9 __asm__("r9") = val3;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "0"((long)SYS_futex), "D"(uaddr),
			       "S"((long)(op | FUTEX_PRIVATE_FLAG)),
			       "d"((long)val), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
#else
	int saved = errno;
	long ret = syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, ts,
			   uaddr2, val3);

	if (ret < 0)
		ret = -errno;
	errno = saved;
	return ret;
#endif
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
	long r;

	if (mx_futex_misaligned(value_ptr))
		return MX_ERR_INVALID_ARGS;
	if (deadline != MX_TIME_INFINITE) {
		ts.tv_sec = (time_t)(deadline / 1000000000u);
		ts.tv_nsec = (long)(deadline % 1000000000u);
		tsp = &ts;
	}
	/* An absolute CLOCK_MONOTONIC deadline: WAIT_BITSET. */
	do
		r = mx_futex(value_ptr, FUTEX_WAIT_BITSET, current_value, tsp,
			     NULL, (int)FUTEX_BITSET_MATCH_ANY);
	while (r == -EINTR);
	switch (r) {
	case 0:
		return MX_OK;
	case -EAGAIN:
		return MX_ERR_BAD_STATE;
	case -ETIMEDOUT:
		return MX_ERR_TIMED_OUT;
	case -EFAULT:
	case -EINVAL:
		return MX_ERR_INVALID_ARGS;
	case -ENOSYS:
	case -EPERM:
		return MX_ERR_NOT_SUPPORTED;
	default:
		return MX_ERR_INTERNAL;
	}
}

mx_status_t mx_futex_wake(const mx_futex_t *value_ptr, uint32_t count)
{
	long r;

	if (count == 0)
		return MX_OK;
	if (mx_futex_misaligned(value_ptr))
		return MX_ERR_INVALID_ARGS;
	/* The memory is not read: an unmapped user address is fine. */
	r = mx_futex((mx_futex_t *)value_ptr, FUTEX_WAKE,
		     mx_futex_count(count), NULL, NULL, 0);
	if (r >= 0)
		return MX_OK;
	return r == -EFAULT || r == -EINVAL ? MX_ERR_INVALID_ARGS :
	       MX_ERR_INTERNAL;
}

/*
 * Read the int at @p, aligned or not, without a fault signal: 0, or -1
 * when it is not readable. process_vm_readv() on the process itself does
 * it in one call, where the kernel has it (CONFIG_CROSS_MEMORY_ATTACH)
 * and the memory is ordinary; otherwise the int goes through a pipe of
 * its own, whose write fails with EFAULT if it cannot be read. Only
 * requeues that fail come here.
 */
static int mx_futex_peek(const mx_futex_t *p, int *value)
{
	struct iovec local = { value, sizeof(*value) };
	struct iovec remote = { (void *)p, sizeof(*value) };
	int fds[2], ret = -1;

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	    (ssize_t)sizeof(*value))
		return 0;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return -1;
	if (write(fds[1], p, sizeof(*value)) == (ssize_t)sizeof(*value) &&
	    read(fds[0], value, sizeof(*value)) == (ssize_t)sizeof(*value))
		ret = 0;
	close(fds[0]);
	close(fds[1]);
	return ret;
}

mx_status_t mx_futex_requeue(mx_futex_t *wake_ptr, uint32_t wake_count,
			     int current_value, mx_futex_t *requeue_ptr,
			     uint32_t requeue_count)
{
	int saved = errno;
	mx_status_t ret;
	int value;
	long r;

	if (!requeue_ptr && requeue_count)
		return MX_ERR_INVALID_ARGS;
	if (wake_ptr == requeue_ptr || mx_futex_misaligned(wake_ptr) ||
	    mx_futex_misaligned(requeue_ptr)) {
		/* errno is the caller's, whatever the peek does to it. */
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
	r = mx_futex(wake_ptr, FUTEX_CMP_REQUEUE, mx_futex_count(wake_count),
		     (const struct timespec *)(uintptr_t)
		     mx_futex_count(requeue_count),
		     requeue_ptr, current_value);
	if (r >= 0)
		return MX_OK;
	if (r == -EAGAIN)
		return MX_ERR_BAD_STATE;
	return r == -EFAULT || r == -EINVAL ? MX_ERR_INVALID_ARGS :
	       MX_ERR_INTERNAL;
}
