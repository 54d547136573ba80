// SPDX-License-Identifier: MIT
/* mx_version_major, mx_version_minor, mx_check_version */
#include <mx.h>

int mx_version_major(void)
{
	return MX_VERSION_MAJOR;
}

int mx_version_minor(void)
{
	return MX_VERSION_MINOR;
}

int mx_check_version(int major, int minor)
{
	return MX_VERSION_MAJOR > major ||
	       (MX_VERSION_MAJOR == major && MX_VERSION_MINOR >= minor);
}
