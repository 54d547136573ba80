// SPDX-License-Identifier: MIT
/* Signals, waits, information and properties of any object. */
#include "ioctl.h"

/* signal and signal_peer take the same arguments. */
static mx_status_t mx__signal(unsigned long cmd, mx_handle_t handle,
			      uint32_t clear_mask, uint32_t set_mask)
{
	struct mx_ioc_signal a = {
		.handle = handle,
		.clear_mask = clear_mask,
		.set_mask = set_mask,
	};

	return mx__ioctl(cmd, &a);
}

mx_status_t mx_object_signal(mx_handle_t handle, uint32_t clear_mask,
			     uint32_t set_mask)
{
	return mx__signal(MX_IOC_OBJECT_SIGNAL, handle, clear_mask, set_mask);
}

mx_status_t mx_object_signal_peer(mx_handle_t handle, uint32_t clear_mask,
				  uint32_t set_mask)
{
	return mx__signal(MX_IOC_OBJECT_SIGNAL_PEER, handle, clear_mask,
			  set_mask);
}

mx_status_t mx_object_wait_one(mx_handle_t handle, mx_signals_t signals,
			       mx_time_t deadline, mx_signals_t *observed)
{
	struct mx_ioc_wait_one a = {
		.handle = handle,
		.signals = signals,
		.deadline = deadline,
		.observed = MX_PTR(observed),
	};

	return mx__ioctl(MX_IOC_OBJECT_WAIT_ONE, &a);
}

mx_status_t mx_object_wait_many(mx_wait_item_t *items, uint32_t count,
				mx_time_t deadline)
{
	struct mx_ioc_wait_many a = {
		.items = MX_PTR(items),
		.count = count,
		.deadline = deadline,
	};

	return mx__ioctl(MX_IOC_OBJECT_WAIT_MANY, &a);
}

mx_status_t mx_object_get_info(mx_handle_t handle, uint32_t topic,
			       void *buffer, size_t buffer_size,
			       size_t *actual, size_t *avail)
{
	struct mx_ioc_get_info a = {
		.handle = handle,
		.topic = topic,
		.buffer = MX_PTR(buffer),
		.buffer_size = buffer_size,
		.actual = MX_PTR(actual),
		.avail = MX_PTR(avail),
	};

	return mx__ioctl(MX_IOC_OBJECT_GET_INFO, &a);
}

mx_status_t mx_object_get_property(mx_handle_t handle, uint32_t property,
				   void *value, size_t size)
{
	struct mx_ioc_property a = {
		.handle = handle,
		.property = property,
		.value = MX_PTR(value),
		.size = size,
	};

	return mx__ioctl(MX_IOC_OBJECT_GET_PROPERTY, &a);
}

mx_status_t mx_object_set_property(mx_handle_t handle, uint32_t property,
				   const void *value, size_t size)
{
	struct mx_ioc_property a = {
		.handle = handle,
		.property = property,
		.value = MX_PTR(value),
		.size = size,
	};

	return mx__ioctl(MX_IOC_OBJECT_SET_PROPERTY, &a);
}

mx_status_t mx_object_get_child(mx_handle_t handle, uint64_t koid,
				mx_rights_t rights, mx_handle_t *out)
{
	struct mx_ioc_get_child a = {
		.handle = handle,
		.rights = rights,
		.koid = koid,
		.out = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_OBJECT_GET_CHILD, &a);
}
