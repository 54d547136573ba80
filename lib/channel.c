// SPDX-License-Identifier: MIT
/* mx_channel_create, mx_channel_write, mx_channel_read, mx_channel_call */
#include <stddef.h>

#include "ioctl.h"

/* The module reads mx_channel_call_args_t as struct mx_ioc_call_args. */
#if UINTPTR_MAX == UINT64_MAX
#define MX_SAME_FIELD(f) \
	_Static_assert(offsetof(mx_channel_call_args_t, f) == \
		       offsetof(struct mx_ioc_call_args, f), #f)
MX_SAME_FIELD(wr_bytes);
MX_SAME_FIELD(wr_handles);
MX_SAME_FIELD(rd_bytes);
MX_SAME_FIELD(rd_handles);
MX_SAME_FIELD(wr_num_bytes);
MX_SAME_FIELD(wr_num_handles);
MX_SAME_FIELD(rd_num_bytes);
MX_SAME_FIELD(rd_num_handles);
_Static_assert(sizeof(mx_channel_call_args_t) ==
	       sizeof(struct mx_ioc_call_args), "size");
#endif

mx_status_t mx_channel_create(uint32_t options, mx_handle_t *out0,
			      mx_handle_t *out1)
{
	struct mx_ioc_create a = {
		.options = options,
		.out0 = MX_PTR(out0),
		.out1 = MX_PTR(out1),
	};

	return mx__ioctl(MX_IOC_CHANNEL_CREATE, &a);
}

mx_status_t mx_channel_write(mx_handle_t handle, uint32_t options,
			     const void *bytes, uint32_t num_bytes,
			     const mx_handle_t *handles, uint32_t num_handles)
{
	struct mx_ioc_channel_write a = {
		.handle = handle,
		.options = options,
		.bytes = MX_PTR(bytes),
		.handles = MX_PTR(handles),
		.num_bytes = num_bytes,
		.num_handles = num_handles,
	};

	return mx__ioctl(MX_IOC_CHANNEL_WRITE, &a);
}

mx_status_t mx_channel_read(mx_handle_t handle, uint32_t options,
			    void *bytes, mx_handle_t *handles,
			    uint32_t num_bytes, uint32_t num_handles,
			    uint32_t *actual_bytes, uint32_t *actual_handles)
{
	struct mx_ioc_channel_read a = {
		.handle = handle,
		.options = options,
		.bytes = MX_PTR(bytes),
		.handles = MX_PTR(handles),
		.num_bytes = num_bytes,
		.num_handles = num_handles,
		.actual_bytes = MX_PTR(actual_bytes),
		.actual_handles = MX_PTR(actual_handles),
	};

	return mx__ioctl(MX_IOC_CHANNEL_READ, &a);
}

mx_status_t mx_channel_call(mx_handle_t handle, uint32_t options,
			    mx_time_t deadline,
			    const mx_channel_call_args_t *args,
			    uint32_t *actual_bytes, uint32_t *actual_handles,
			    mx_status_t *read_status)
{
	struct mx_ioc_channel_call a = {
		.handle = handle,
		.options = options,
		.deadline = deadline,
		.args = MX_PTR(args),
		.actual_bytes = MX_PTR(actual_bytes),
		.actual_handles = MX_PTR(actual_handles),
		.read_status = MX_PTR(read_status),
	};

	return mx__ioctl(MX_IOC_CHANNEL_CALL, &a);
}
