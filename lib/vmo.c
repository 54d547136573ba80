// SPDX-License-Identifier: MIT
/*
 * mx_vmo_create, mx_vmo_read, mx_vmo_write, mx_vmo_get_size,
 * mx_vmo_set_size, mx_vmo_op_range, mx_vmo_set_cache_policy, mx_vmo_clone
 */
#include "ioctl.h"

mx_status_t mx_vmo_create(uint64_t size, uint32_t options, mx_handle_t *out)
{
	struct mx_ioc_vmo_create a = {
		.size = size,
		.options = options,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_VMO_CREATE, &a);
}

/* read and write take the same arguments; @actual is a size_t *. */
static mx_status_t mx__vmo_rw(unsigned long cmd, mx_handle_t handle,
			      const void *data, uint64_t offset, size_t len,
			      size_t *actual)
{
	struct mx_ioc_vmo_rw a = {
		.handle = handle,
		.data = MX_PTR(data),
		.offset = offset,
		.len = len,
		.actual = MX_PTR(actual),
	};

	return mx__ioctl(cmd, &a);
}

mx_status_t mx_vmo_read(mx_handle_t handle, void *data, uint64_t offset,
			size_t len, size_t *actual)
{
	return mx__vmo_rw(MX_IOC_VMO_READ, handle, data, offset, len, actual);
}

mx_status_t mx_vmo_write(mx_handle_t handle, const void *data,
			 uint64_t offset, size_t len, size_t *actual)
{
	return mx__vmo_rw(MX_IOC_VMO_WRITE, handle, data, offset, len, actual);
}

/* get_size passes the address the size is written to in .size. */
mx_status_t mx_vmo_get_size(mx_handle_t handle, uint64_t *size)
{
	struct mx_ioc_vmo_size a = {
		.handle = handle,
		.size = MX_PTR(size),
	};

	return mx__ioctl(MX_IOC_VMO_GET_SIZE, &a);
}

mx_status_t mx_vmo_set_size(mx_handle_t handle, uint64_t size)
{
	struct mx_ioc_vmo_size a = {
		.handle = handle,
		.size = size,
	};

	return mx__ioctl(MX_IOC_VMO_SET_SIZE, &a);
}

mx_status_t mx_vmo_op_range(mx_handle_t handle, uint32_t op, uint64_t offset,
			    uint64_t size, void *buffer, size_t buffer_size)
{
	struct mx_ioc_vmo_op_range a = {
		.handle = handle,
		.op = op,
		.offset = offset,
		.size = size,
		.buffer = MX_PTR(buffer),
		.buffer_size = buffer_size,
	};

	return mx__ioctl(MX_IOC_VMO_OP_RANGE, &a);
}

mx_status_t mx_vmo_set_cache_policy(mx_handle_t handle, uint32_t cache_policy)
{
	struct mx_ioc_vmo_cache_policy a = {
		.handle = handle,
		.cache_policy = cache_policy,
	};

	return mx__ioctl(MX_IOC_VMO_SET_CACHE_POLICY, &a);
}

mx_status_t mx_vmo_clone(mx_handle_t handle, uint32_t options,
			 uint64_t offset, uint64_t size, mx_handle_t *out)
{
	struct mx_ioc_vmo_clone a = {
		.handle = handle,
		.options = options,
		.offset = offset,
		.size = size,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_VMO_CLONE, &a);
}
