// SPDX-License-Identifier: MIT
/* mx_socket_create, mx_socket_write, mx_socket_read */
#include "ioctl.h"

mx_status_t mx_socket_create(uint32_t options, mx_handle_t *out0,
			     mx_handle_t *out1)
{
	struct mx_ioc_create a = {
		.options = options,
		.out0 = MX_PTR(out0),
		.out1 = MX_PTR(out1),
	};

	return mx__ioctl(MX_IOC_SOCKET_CREATE, &a);
}

/* write and read take the same arguments; @actual is a size_t *. */
static mx_status_t mx__socket_rw(unsigned long cmd, mx_handle_t handle,
				 uint32_t options, const void *buffer,
				 size_t size, size_t *actual)
{
	struct mx_ioc_socket_rw a = {
		.handle = handle,
		.options = options,
		.buffer = MX_PTR(buffer),
		.size = size,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(cmd, &a);
}

mx_status_t mx_socket_write(mx_handle_t handle, uint32_t options,
			    const void *buffer, size_t size, size_t *actual)
{
	return mx__socket_rw(MX_IOC_SOCKET_WRITE, handle, options, buffer,
			     size, actual);
}

mx_status_t mx_socket_read(mx_handle_t handle, uint32_t options,
			   void *buffer, size_t size, size_t *actual)
{
	return mx__socket_rw(MX_IOC_SOCKET_READ, handle, options, buffer,
			     size, actual);
}
