// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of VMARs: root_self, allocate, map, unmap, protect, destroy.
 *
 * Each looks its handles up once (mx_ht_get()), leaves the checks and the
 * work to vmar.c, and writes the results out to user memory afterwards,
 * undoing the work if it cannot. Checks come in Magenta's order
 * (reference/magenta-api-2.md §3).
 *
 * Locking (the order of all: docs/architecture.md): none of its own; no
 * lock of vmar.c is held across a user access.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"
#include "vmar.h"
#include "vmo.h"

/**
 * mx_ioc_vmar_root_self() - MX_IOC_VMAR_ROOT_SELF: mx_vmar_root_self()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmar_root
 *
 * The handle, with MX_VMAR_ROOT_RIGHTS, is made on the first call and
 * given again while it names the root VMAR.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (out unwritable: no handle is made),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_vmar_root_self(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmar_root a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	return mx_vmar_root_handle(p, a.out);
}

/* MX_RIGHT_READ/WRITE/EXECUTE for the PERM_* or CAN_MAP_* bits @bits. */
static u32 mx_vm_rights(u32 bits)
{
	u32 perms = bits | bits >> 7;

	return ((perms & MX_VM_FLAG_PERM_READ) ? MX_RIGHT_READ : 0) |
	       ((perms & MX_VM_FLAG_PERM_WRITE) ? MX_RIGHT_WRITE : 0) |
	       ((perms & MX_VM_FLAG_PERM_EXECUTE) ? MX_RIGHT_EXECUTE : 0);
}

/**
 * mx_ioc_vmar_allocate() - MX_IOC_VMAR_ALLOCATE: mx_vmar_allocate()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmar_allocate
 *
 * Needs MX_RIGHT_READ, _WRITE, _EXECUTE on the parent for each of
 * CAN_MAP_READ, _WRITE, _EXECUTE asked for the child. The new VMAR is
 * charged to the calling user as an object.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED,
 * then the errors of mx_vmar_allocate(), then MX_ERR_INVALID_ARGS
 * (child_addr or child_vmar unwritable), MX_ERR_NO_RESOURCES,
 * MX_ERR_NO_MEMORY: the new VMAR is destroyed again on these.
 */
long mx_ioc_vmar_allocate(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmar_allocate a;
	struct mx_object *obj;
	struct mx_vmar *child;
	u32 rights;
	u64 addr;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.parent,
			mx_vm_rights(a.flags & (MX_VM_FLAG_CAN_MAP_READ |
						MX_VM_FLAG_CAN_MAP_WRITE |
						MX_VM_FLAG_CAN_MAP_EXECUTE)),
			&mx_vmar_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_vmar_allocate(mx_to_vmar(obj), a.offset, a.size, a.flags,
			       &child, &rights, &addr);
	mx_object_put(obj);
	if (ret)
		return ret;
	obj = mx_vmar_obj(child);
	if (mx_sys_put_size(a.child_addr, addr)) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_destroy;
	}
	/* The install drops this reference; the other is for the undo. */
	mx_object_get(obj);
	ret = mx_sys_install_new_rights(&p->table, obj, a.child_vmar, rights);
	if (!ret) {
		mx_object_put(obj);
		return MX_OK;
	}
out_destroy:
	mx_vmar_destroy(child);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmar_map() - MX_IOC_VMAR_MAP: mx_vmar_map()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmar_map
 *
 * Needs no right on the VMAR handle to look it up; the permissions asked
 * for need the matching rights on both handles, and MX_RIGHT_MAP on the
 * VMO's (mx_vmar_map()).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE (the VMAR, then the
 * VMO), then the errors of mx_vmar_map(), then MX_ERR_INVALID_ARGS
 * (@mapped_addr unwritable: the mapping is undone; also @pad not 0).
 */
long mx_ioc_vmar_map(struct mx_process *p, void __user *uarg)
{
	struct mx_object *vobj, *mobj;
	struct mx_ioc_vmar_map a;
	u32 vrights, mrights;
	u64 addr;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.vmar, 0, &mx_vmar_ops, &vobj, &vrights);
	if (ret)
		return ret;
	ret = mx_ht_get(&p->table, a.vmo, 0, &mx_vmo_ops, &mobj, &mrights);
	if (ret)
		goto out_vmar;
	ret = mx_vmar_map(mx_to_vmar(vobj), vrights, mx_to_vmo(mobj), mrights,
			  a.vmar_offset, a.vmo_offset, a.len, a.flags, &addr);
	mx_object_put(mobj);
	if (ret)
		goto out_vmar;
	if (mx_sys_put_size(a.mapped_addr, addr)) {
		mx_vmar_unmap(mx_to_vmar(vobj), addr, a.len);
		ret = MX_ERR_INVALID_ARGS;
	}
out_vmar:
	mx_object_put(vobj);
	return ret;
}

/**
 * mx_ioc_vmar_unmap() - MX_IOC_VMAR_UNMAP: mx_vmar_unmap()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmar_range, @flags 0
 *
 * No right is needed.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (@flags), MX_ERR_BAD_HANDLE,
 * MX_ERR_WRONG_TYPE, then the errors of mx_vmar_unmap().
 */
long mx_ioc_vmar_unmap(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmar_range a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.flags)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.vmar, 0, &mx_vmar_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_vmar_unmap(mx_to_vmar(obj), a.addr, a.len);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmar_protect() - MX_IOC_VMAR_PROTECT: mx_vmar_protect()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmar_range, @flags the new MX_VM_FLAG_PERM_*
 *
 * Needs MX_RIGHT_READ, _WRITE, _EXECUTE for each PERM_* asked for.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED,
 * then the errors of mx_vmar_protect().
 */
long mx_ioc_vmar_protect(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmar_range a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.vmar,
			mx_vm_rights(a.flags & (MX_VM_FLAG_PERM_READ |
						MX_VM_FLAG_PERM_WRITE |
						MX_VM_FLAG_PERM_EXECUTE)),
			&mx_vmar_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_vmar_protect(mx_to_vmar(obj), a.addr, a.len, a.flags);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmar_destroy() - MX_IOC_VMAR_DESTROY: mx_vmar_destroy()
 * @p: the calling process
 * @arg: the handle value
 *
 * No right is needed.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, then the errors of
 * mx_vmar_destroy().
 */
long mx_ioc_vmar_destroy(struct mx_process *p, unsigned long arg)
{
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, (s32)arg, 0, &mx_vmar_ops, &obj, NULL);
	if (ret)
		return ret;
	ret = mx_vmar_destroy(mx_to_vmar(obj));
	mx_object_put(obj);
	return ret;
}
