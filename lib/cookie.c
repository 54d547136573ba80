// SPDX-License-Identifier: MIT
/* mx_object_set_cookie, mx_object_get_cookie */
#include "ioctl.h"

mx_status_t mx_object_set_cookie(mx_handle_t handle, mx_handle_t scope,
				 uint64_t cookie)
{
	struct mx_ioc_cookie a = {
		.handle = handle,
		.scope = scope,
		.cookie = cookie,
	};

	return mx__ioctl(MX_IOC_OBJECT_SET_COOKIE, &a);
}

mx_status_t mx_object_get_cookie(mx_handle_t handle, mx_handle_t scope,
				 uint64_t *cookie)
{
	struct mx_ioc_cookie a = {
		.handle = handle,
		.scope = scope,
		.cookie = MX_PTR(cookie),
	};

	return mx__ioctl(MX_IOC_OBJECT_GET_COOKIE, &a);
}
