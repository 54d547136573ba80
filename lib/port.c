// SPDX-License-Identifier: MIT
/*
 * mx_port_create, mx_port_queue, mx_port_wait, mx_port_cancel,
 * mx_object_wait_async, and mx_waitfd_create for Linux event loops.
 */
#include "ioctl.h"

mx_status_t mx_port_create(uint32_t options, mx_handle_t *out)
{
	struct mx_ioc_create a = {
		.options = options,
		.out0 = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_PORT_CREATE, &a);
}

mx_status_t mx_port_queue(mx_handle_t handle, const void *packet,
			  size_t size)
{
	struct mx_ioc_port_queue a = {
		.handle = handle,
		.packet = MX_PTR(packet),
		.size = size,
	};

	return mx__ioctl(MX_IOC_PORT_QUEUE, &a);
}

mx_status_t mx_port_wait(mx_handle_t handle, mx_time_t deadline,
			 void *packet, size_t size)
{
	struct mx_ioc_port_wait a = {
		.handle = handle,
		.deadline = deadline,
		.packet = MX_PTR(packet),
		.size = size,
	};

	return mx__ioctl(MX_IOC_PORT_WAIT, &a);
}

mx_status_t mx_port_cancel(mx_handle_t handle, mx_handle_t source,
			   uint64_t key)
{
	struct mx_ioc_port_cancel a = {
		.port = handle,
		.source = source,
		.key = key,
	};

	return mx__ioctl(MX_IOC_PORT_CANCEL, &a);
}

mx_status_t mx_object_wait_async(mx_handle_t handle, mx_handle_t port,
				 uint64_t key, mx_signals_t signals,
				 uint32_t options)
{
	struct mx_ioc_wait_async a = {
		.handle = handle,
		.port = port,
		.key = key,
		.signals = signals,
		.options = options,
	};

	return mx__ioctl(MX_IOC_OBJECT_WAIT_ASYNC, &a);
}

mx_status_t mx_waitfd_create(mx_handle_t handle, mx_signals_t signals,
			     int flags, int *fd)
{
	struct mx_ioc_waitfd a = {
		.handle = handle,
		.signals = signals,
		.flags = (uint32_t)flags,
		.fd = MX_PTR(fd),
	};

	return mx__ioctl(MX_IOC_WAITFD_CREATE, &a);
}
