// SPDX-License-Identifier: MIT
/*
 * mx_cprng_draw, mx_cprng_add_entropy: the kernel's generator, through the
 * module, which checks every pointer (a bad one is MX_ERR_INVALID_ARGS,
 * never a fault signal) and wipes its copy of the bytes.
 */
#include "ioctl.h"

mx_status_t mx_cprng_draw(void *buffer, size_t len, size_t *actual)
{
	struct mx_ioc_cprng a = {
		.buffer = MX_PTR(buffer),
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(MX_IOC_CPRNG_DRAW, &a);
}

mx_status_t mx_cprng_add_entropy(const void *buffer, size_t len)
{
	struct mx_ioc_cprng a = {
		.buffer = MX_PTR(buffer),
		.len = len,
	};

	return mx__ioctl(MX_IOC_CPRNG_ADD_ENTROPY, &a);
}
