// SPDX-License-Identifier: MIT
/*
 * The single path from libmx to /dev/mx.
 *
 * The device is opened on first use (O_CLOEXEC: after exec the new program
 * opens it again; its mx process and handles survive the exec, they belong
 * to the thread group, not to the file). On first open the module's ABI
 * version is checked; a mismatch makes every call fail with
 * MX_ERR_NOT_SUPPORTED after one message on stderr, rather than talking
 * to a module that would misread the arguments. The first open also
 * installs the handler a killed thread ends by (killed.c). No other file
 * of libmx opens the device or issues an ioctl, but for the end of
 * mx_vmar_unmap_handle_close_thread_exit() (stack.c), which may not touch
 * its stack and so issues its two ioctls itself, on mx__device_fd().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ioctl.h"
#include "killed.h"

static mx_status_t mx_errno_status(int err);

#define MX_FD_UNOPENED	(-1)
#define MX_FD_BROKEN	(-2)

static int mx_fd = MX_FD_UNOPENED;
/* Why the device is unusable: no device, or the wrong ABI. */
static mx_status_t mx_broken_status = MX_ERR_NOT_SUPPORTED;

static int mx_open(void)
{
	struct mx_ioc_version v;
	int fd, expected = MX_FD_UNOPENED;

	fd = open("/dev/mx", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "libmx: cannot open /dev/mx: %s "
			"(is the mx module loaded?)\n", strerror(errno));
		mx_broken_status = MX_ERR_UNAVAILABLE;
		fd = MX_FD_BROKEN;
		goto publish;
	}
	if (ioctl(fd, MX_IOC_VERSION, &v) != 0 ||
	    v.abi_version != MX_ABI_VERSION) {
		fprintf(stderr, "libmx: /dev/mx speaks ABI %d but this libmx "
			"needs ABI %d: load the mx module that matches it\n",
			errno == ENOTTY ? -1 : (int)v.abi_version,
			MX_ABI_VERSION);
		close(fd);
		fd = MX_FD_BROKEN;
	}
publish:
	/* Another thread may have opened it meanwhile: keep theirs. */
	if (!__atomic_compare_exchange_n(&mx_fd, &expected, fd, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (fd >= 0)
			close(fd);
		return expected;
	}
	if (fd >= 0)
		mx__install_kill_handler();
	return fd;
}

static int mx_get_fd(void)
{
	int fd = __atomic_load_n(&mx_fd, __ATOMIC_ACQUIRE);

	if (fd == MX_FD_UNOPENED) {
		int saved = errno;

		fd = mx_open();
		errno = saved;
	}
	return fd;
}

/* The device, opened if need be; negative if it is unusable. */
int mx__device_fd(void)
{
	int fd = mx_get_fd();

	return fd == MX_FD_BROKEN ? -1 : fd;
}

/* The status of an ioctl's raw result @r, as mx__ioctl_val() gives it. */
mx_status_t mx__raw_status(long r)
{
	return r >= 0 ? (mx_status_t)-r : mx_errno_status((int)-r);
}

static mx_status_t mx_errno_status(int err)
{
	switch (err) {
	case EFAULT:
	case EINVAL:
		return MX_ERR_INVALID_ARGS;
	case ENOMEM:
		return MX_ERR_NO_MEMORY;
	case ENOTTY:
		return MX_ERR_NOT_SUPPORTED;
	default:
		return MX_ERR_INTERNAL;
	}
}

mx_status_t mx__ioctl_val(unsigned long cmd, unsigned long arg)
{
	int fd = mx_get_fd();
	int saved, r;

	if (fd == MX_FD_BROKEN)
		return mx_broken_status;
	saved = errno;
	do {
		r = ioctl(fd, cmd, arg);
	} while (r < 0 && errno == EINTR);
	if (r >= 0) {
		errno = saved;
		return -r;
	}
	r = mx_errno_status(errno);
	errno = saved;
	return r;
}

mx_status_t mx__ioctl(unsigned long cmd, void *arg)
{
	return mx__ioctl_val(cmd, (unsigned long)arg);
}
