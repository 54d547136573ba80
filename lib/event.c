// SPDX-License-Identifier: MIT
/* mx_event_create, mx_eventpair_create */
#include "ioctl.h"

mx_status_t mx_event_create(uint32_t options, mx_handle_t *out)
{
	struct mx_ioc_create a = {
		.options = options,
		.out0 = MX_PTR(out),
	};

	return mx__ioctl(MX_IOC_EVENT_CREATE, &a);
}

mx_status_t mx_eventpair_create(uint32_t options, mx_handle_t *out0,
				mx_handle_t *out1)
{
	struct mx_ioc_create a = {
		.options = options,
		.out0 = MX_PTR(out0),
		.out1 = MX_PTR(out1),
	};

	return mx__ioctl(MX_IOC_EVENTPAIR_CREATE, &a);
}
