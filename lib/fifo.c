// SPDX-License-Identifier: MIT
/* mx_fifo_create, mx_fifo_write, mx_fifo_read */
#include "ioctl.h"

mx_status_t mx_fifo_create(uint32_t elem_count, uint32_t elem_size,
			   uint32_t options, mx_handle_t *out0,
			   mx_handle_t *out1)
{
	struct mx_ioc_fifo_create a = {
		.elem_count = elem_count,
		.elem_size = elem_size,
		.options = options,
		.out0 = MX_PTR(out0),
		.out1 = MX_PTR(out1),
	};

	return mx__ioctl(MX_IOC_FIFO_CREATE, &a);
}

mx_status_t mx_fifo_write(mx_handle_t handle, const void *data, size_t len,
			  uint32_t *actual)
{
	struct mx_ioc_fifo_rw a = {
		.handle = handle,
		.data = MX_PTR(data),
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(MX_IOC_FIFO_WRITE, &a);
}

mx_status_t mx_fifo_read(mx_handle_t handle, void *data, size_t len,
			 uint32_t *actual)
{
	struct mx_ioc_fifo_rw a = {
		.handle = handle,
		.data = MX_PTR(data),
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(MX_IOC_FIFO_READ, &a);
}
