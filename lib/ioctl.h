/* SPDX-License-Identifier: MIT */
/* ioctl.c: the one funnel every call to /dev/mx goes through. */
#ifndef LIBMX_IOCTL_H
#define LIBMX_IOCTL_H

#include <stdint.h>

#include <mx.h>

/* Pass a pointer as the __u64 the ABI uses. */
#define MX_PTR(p)	((__u64)(uintptr_t)(p))

mx_status_t mx__ioctl(unsigned long cmd, void *arg);
mx_status_t mx__ioctl_val(unsigned long cmd, unsigned long arg);
int mx__device_fd(void);
mx_status_t mx__raw_status(long r);

#endif
