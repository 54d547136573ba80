/* SPDX-License-Identifier: MIT */
/* libmx internals: the one funnel every call goes through. */
#ifndef LIBMX_INTERNAL_H
#define LIBMX_INTERNAL_H

#include <stdint.h>

#include <mx.h>

/* Pass a pointer as the __u64 the ABI uses. */
#define MX_PTR(p)	((__u64)(uintptr_t)(p))

mx_status_t mx__ioctl(unsigned long cmd, void *arg);
mx_status_t mx__ioctl_val(unsigned long cmd, unsigned long arg);

#endif
