// SPDX-License-Identifier: MIT
/*
 * mx_vmar_root_self, mx_vmar_allocate, mx_vmar_map, mx_vmar_unmap,
 * mx_vmar_protect, mx_vmar_destroy: the VMARs of the calling process.
 *
 * The root VMAR's handle is asked of the module on every call rather than
 * cached here: the module gives the same handle again while it is open,
 * and a fork() child (a process of its own, with its own address space)
 * gets its own.
 */
#include "ioctl.h"

mx_handle_t mx_vmar_root_self(void)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	struct mx_ioc_vmar_root a = { .out = MX_PTR(&h) };

	if (mx__ioctl(MX_IOC_VMAR_ROOT_SELF, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return h;
}

mx_status_t mx_vmar_allocate(mx_handle_t parent_vmar_handle, size_t offset,
			     size_t size, uint32_t map_flags,
			     mx_handle_t *child_vmar, uintptr_t *child_addr)
{
	struct mx_ioc_vmar_allocate a = {
		.parent = parent_vmar_handle,
		.flags = map_flags,
		.offset = offset,
		.size = size,
		.child_vmar = MX_PTR(child_vmar),
		.child_addr = MX_PTR(child_addr),
	};

	return mx__ioctl(MX_IOC_VMAR_ALLOCATE, &a);
}

mx_status_t mx_vmar_map(mx_handle_t vmar_handle, size_t vmar_offset,
			mx_handle_t vmo_handle, uint64_t vmo_offset,
			size_t len, uint32_t map_flags, uintptr_t *mapped_addr)
{
	struct mx_ioc_vmar_map a = {
		.vmar = vmar_handle,
		.vmo = vmo_handle,
		.vmar_offset = vmar_offset,
		.vmo_offset = vmo_offset,
		.len = len,
		.flags = map_flags,
		.mapped_addr = MX_PTR(mapped_addr),
	};

	return mx__ioctl(MX_IOC_VMAR_MAP, &a);
}

mx_status_t mx_vmar_unmap(mx_handle_t vmar_handle, uintptr_t addr, size_t len)
{
	struct mx_ioc_vmar_range a = {
		.vmar = vmar_handle,
		.addr = addr,
		.len = len,
	};

	return mx__ioctl(MX_IOC_VMAR_UNMAP, &a);
}

mx_status_t mx_vmar_protect(mx_handle_t vmar_handle, uintptr_t addr,
			    size_t len, uint32_t prot_flags)
{
	struct mx_ioc_vmar_range a = {
		.vmar = vmar_handle,
		.flags = prot_flags,
		.addr = addr,
		.len = len,
	};

	return mx__ioctl(MX_IOC_VMAR_PROTECT, &a);
}

mx_status_t mx_vmar_destroy(mx_handle_t vmar_handle)
{
	return mx__ioctl_val(MX_IOC_VMAR_DESTROY, (unsigned int)vmar_handle);
}
