// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of VMOs: create, read, write, size, op_range, cache policy, clone.
 *
 * Each looks its handle up once (mx_ht_get()) and then acts on the VMO it
 * holds a reference to, whatever happens to the handle during the user
 * accesses that follow. Checks come in Magenta's order
 * (reference/magenta-api-2.md §2).
 *
 * Locking (the order of all: docs/architecture.md): none of its own; the
 * family lock of vmo.c is never held across a user access.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"
#include "vmo.h"

/* LOOKUP writes physical addresses out this many at a time. */
#define MX_VMO_LOOKUP_CHUNK	64

/**
 * mx_ioc_vmo_create() - MX_IOC_VMO_CREATE: mx_vmo_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options, reserved field, out
 * unwritable), MX_ERR_NO_MEMORY (size over MX_VMO_MAX_SIZE included),
 * MX_ERR_NO_RESOURCES.
 */
long mx_ioc_vmo_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_create a;
	struct mx_object *obj;
	struct mx_vmo *vmo;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_vmo_new(a.size, &vmo);
	if (ret)
		return ret;
	obj = mx_vmo_obj(vmo);
	return mx_sys_install_new(&p->table, &obj, &a.out, 1);
}

static size_t mx_vmo_copy_out(struct page *page, size_t off, size_t n,
			      void *ctx)
{
	char __user **up = ctx;
	char *va = kmap_local_page(page);
	size_t left;

	left = copy_to_user(*up, va + off, n);
	kunmap_local(va);
	*up += n;
	return left;
}

static size_t mx_vmo_copy_in(struct page *page, size_t off, size_t n,
			     void *ctx)
{
	char __user **up = ctx;
	char *va;
	size_t left;

	/*
	 * Not copy_from_user(), which fills what it could not copy with
	 * zeros: a source that faults must leave the VMO's bytes past it as
	 * they were.
	 */
	if (!access_ok(*up, n))
		return n;
	va = kmap_local_page(page);
	left = __copy_from_user(va + off, *up, n);
	kunmap_local(va);
	*up += n;
	return left;
}

/*
 * Trim [@offset, @offset + *@len) to a VMO of @size bytes, as read, write,
 * COMMIT and DECOMMIT do: MX_ERR_OUT_OF_RANGE if it wraps or starts
 * beyond the size.
 */
static int mx_vmo_trim(u64 size, u64 offset, u64 *len)
{
	if (offset + *len < offset || offset > size)
		return MX_ERR_OUT_OF_RANGE;
	*len = min(*len, size - offset);
	return 0;
}

static long mx_vmo_rw(struct mx_process *p, void __user *uarg, bool write)
{
	struct mx_ioc_vmo_rw a;
	struct mx_object *obj;
	struct mx_vmo *vmo;
	char __user *data;
	size_t done = 0;
	u64 len;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle,
			write ? MX_RIGHT_WRITE : MX_RIGHT_READ, &mx_vmo_ops,
			&obj, NULL);
	if (ret)
		return ret;
	vmo = mx_to_vmo(obj);
	len = a.len;
	ret = mx_vmo_trim(mx_vmo_size(vmo), a.offset, &len);
	if (ret)
		goto out;
	data = u64_to_user_ptr(a.data);
	ret = mx_vmo_xfer(vmo, a.offset, len, write,
			  write ? mx_vmo_copy_in : mx_vmo_copy_out, &data,
			  &done);
	if (!ret && mx_sys_put_size(a.actual, done))
		ret = MX_ERR_INVALID_ARGS;
out:
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmo_read() - MX_IOC_VMO_READ: mx_vmo_read()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_rw
 *
 * Needs MX_RIGHT_READ. The length is trimmed to the size; absent pages
 * read as zeros and are not allocated.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_OUT_OF_RANGE (the range wraps or starts beyond the size),
 * MX_ERR_INVALID_ARGS (data or actual unwritable: bytes already copied
 * stay copied).
 */
long mx_ioc_vmo_read(struct mx_process *p, void __user *uarg)
{
	return mx_vmo_rw(p, uarg, false);
}

/**
 * mx_ioc_vmo_write() - MX_IOC_VMO_WRITE: mx_vmo_write()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_rw
 *
 * Needs MX_RIGHT_WRITE. The length is trimmed to the size (a write never
 * grows a VMO); pages are allocated as they are written.
 *
 * Context: process context.
 * Return: as mx_ioc_vmo_read(), and MX_ERR_NO_MEMORY (no memory, or the
 * user's max_user_vmo_pages).
 */
long mx_ioc_vmo_write(struct mx_process *p, void __user *uarg)
{
	return mx_vmo_rw(p, uarg, true);
}

/**
 * mx_ioc_vmo_get_size() - MX_IOC_VMO_GET_SIZE: mx_vmo_get_size()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_size, @size the address of the result
 *
 * No right is needed, as Magenta.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_INVALID_ARGS.
 */
long mx_ioc_vmo_get_size(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_size a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, 0, &mx_vmo_ops, &obj, NULL);
	if (ret)
		return ret;
	if (put_user(mx_vmo_size(mx_to_vmo(obj)),
		     (u64 __user *)u64_to_user_ptr(a.size)))
		ret = MX_ERR_INVALID_ARGS;
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmo_set_size() - MX_IOC_VMO_SET_SIZE: mx_vmo_set_size()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_size, @size the new size
 *
 * Needs MX_RIGHT_WRITE. See mx_vmo_set_size() for what mappings see.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_OUT_OF_RANGE (over MX_VMO_MAX_SIZE), MX_ERR_INVALID_ARGS.
 */
long mx_ioc_vmo_set_size(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_size a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, &mx_vmo_ops, &obj,
			NULL);
	if (ret)
		return ret;
	if (a.size > MX_VMO_MAX_SIZE)
		ret = MX_ERR_OUT_OF_RANGE;
	else
		ret = mx_vmo_set_size(mx_to_vmo(obj), a.size);
	mx_object_put(obj);
	return ret;
}

/*
 * MX_VMO_OP_LOOKUP: the physical address of every page the range
 * touches. Physical addresses are for the privileged on Linux (as in
 * /proc/pid/pagemap): without CAP_SYS_ADMIN, MX_ERR_ACCESS_DENIED.
 */
static int mx_vmo_op_lookup(struct mx_vmo *vmo, u64 offset, u64 size,
			    u64 ubuf, u64 ubuf_size)
{
	u64 first = offset >> PAGE_SHIFT, end, npages, i, n;
	u64 *chunk;
	int ret = 0;

	if (!ubuf)
		return MX_ERR_INVALID_ARGS;
	if (offset + size < offset || offset + size > MX_VMO_MAX_SIZE)
		return MX_ERR_OUT_OF_RANGE;
	end = (offset + size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	npages = end - first;
	if (npages > ubuf_size / sizeof(u64))
		return MX_ERR_BUFFER_TOO_SMALL;
	if (!size)
		return MX_ERR_INVALID_ARGS;
	if (offset + size > mx_vmo_size(vmo))
		return MX_ERR_OUT_OF_RANGE;
	if (!capable(CAP_SYS_ADMIN))
		return MX_ERR_ACCESS_DENIED;
	chunk = kmalloc_array(MX_VMO_LOOKUP_CHUNK, sizeof(u64), GFP_KERNEL);
	if (!chunk)
		return MX_ERR_NO_MEMORY;
	for (i = 0; i < npages && !ret; i += n) {
		n = min_t(u64, npages - i, MX_VMO_LOOKUP_CHUNK);
		ret = mx_vmo_lookup(vmo, first + i, n, chunk);
		if (!ret && copy_to_user(u64_to_user_ptr(ubuf + i * sizeof(u64)),
					 chunk, n * sizeof(u64)))
			ret = MX_ERR_INVALID_ARGS;
		cond_resched();
	}
	kfree(chunk);
	return ret;
}

/* The cache ops: checked, and nothing to do (caches are coherent). */
static int mx_vmo_op_cache(struct mx_vmo *vmo, u64 offset, u64 size)
{
	if (!size)
		return MX_ERR_INVALID_ARGS;
	if (offset + size < offset || offset + size > mx_vmo_size(vmo))
		return MX_ERR_OUT_OF_RANGE;
	return 0;
}

/**
 * mx_ioc_vmo_op_range() - MX_IOC_VMO_OP_RANGE: mx_vmo_op_range()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_op_range
 *
 * No right is checked, as Magenta. COMMIT and DECOMMIT trim the range to
 * the size; LOOKUP and the cache ops need it inside.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_INVALID_ARGS
 * (unknown op, size 0 for LOOKUP and cache ops, no LOOKUP buffer),
 * MX_ERR_OUT_OF_RANGE, MX_ERR_NOT_SUPPORTED (LOCK, UNLOCK),
 * MX_ERR_BUFFER_TOO_SMALL, MX_ERR_ACCESS_DENIED (LOOKUP without
 * CAP_SYS_ADMIN), MX_ERR_NO_MEMORY (COMMIT out of memory or over the
 * user's pages; LOOKUP of an absent page).
 */
long mx_ioc_vmo_op_range(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_op_range a;
	struct mx_object *obj;
	struct mx_vmo *vmo;
	u64 len;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, 0, &mx_vmo_ops, &obj, NULL);
	if (ret)
		return ret;
	vmo = mx_to_vmo(obj);
	len = a.size;
	switch (a.op) {
	case MX_VMO_OP_COMMIT:
		ret = mx_vmo_trim(mx_vmo_size(vmo), a.offset, &len);
		if (!ret)
			ret = mx_vmo_commit(vmo, a.offset, len);
		break;
	case MX_VMO_OP_DECOMMIT:
		ret = mx_vmo_trim(mx_vmo_size(vmo), a.offset, &len);
		if (!ret)
			ret = mx_vmo_decommit(vmo, a.offset, len);
		break;
	case MX_VMO_OP_LOCK:
	case MX_VMO_OP_UNLOCK:
		ret = MX_ERR_NOT_SUPPORTED;
		break;
	case MX_VMO_OP_LOOKUP:
		ret = mx_vmo_op_lookup(vmo, a.offset, a.size, a.buffer,
				       a.buffer_size);
		break;
	case MX_VMO_OP_CACHE_SYNC:
	case MX_VMO_OP_CACHE_INVALIDATE:
	case MX_VMO_OP_CACHE_CLEAN:
	case MX_VMO_OP_CACHE_CLEAN_INVALIDATE:
		ret = mx_vmo_op_cache(vmo, a.offset, a.size);
		break;
	default:
		ret = MX_ERR_INVALID_ARGS;
	}
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_vmo_set_cache_policy() - MX_IOC_VMO_SET_CACHE_POLICY
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_cache_policy
 *
 * As Magenta for the VMOs it gives user programs: the policy is checked,
 * then the handle (MX_RIGHT_MAP), then the call is not supported.
 *
 * Context: process context.
 * Return: MX_ERR_INVALID_ARGS, MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE,
 * MX_ERR_ACCESS_DENIED or MX_ERR_NOT_SUPPORTED.
 */
long mx_ioc_vmo_set_cache_policy(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_cache_policy a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.cache_policy & ~MX_CACHE_POLICY_MASK)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_MAP, &mx_vmo_ops, &obj,
			NULL);
	if (ret)
		return ret;
	mx_object_put(obj);
	return MX_ERR_NOT_SUPPORTED;
}

/**
 * mx_ioc_vmo_clone() - MX_IOC_VMO_CLONE: mx_vmo_clone()
 * @p: the calling process
 * @uarg: struct mx_ioc_vmo_clone
 *
 * Needs MX_RIGHT_DUPLICATE and MX_RIGHT_READ. The clone's handle has the
 * source handle's rights and GET_PROPERTY, SET_PROPERTY and WRITE; it
 * takes the name only if the source handle may read it.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_WRONG_TYPE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_INVALID_ARGS (no MX_VMO_CLONE_COPY_ON_WRITE, offset not page
 * aligned, out unwritable), MX_ERR_OUT_OF_RANGE (size over the largest,
 * offset + size wraps), MX_ERR_NO_RESOURCES (clones nested too deep, or
 * the user's objects), MX_ERR_NO_MEMORY.
 */
long mx_ioc_vmo_clone(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_vmo_clone a;
	struct mx_object *obj, *clone_obj;
	struct mx_vmo *clone;
	u32 have;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle,
			MX_RIGHT_DUPLICATE | MX_RIGHT_READ, &mx_vmo_ops, &obj,
			&have);
	if (ret)
		return ret;
	if (!(a.options & MX_VMO_CLONE_COPY_ON_WRITE))
		ret = MX_ERR_INVALID_ARGS;
	else if (a.size > MX_VMO_MAX_SIZE)
		ret = MX_ERR_OUT_OF_RANGE;
	else if (a.offset & ~PAGE_MASK)
		ret = MX_ERR_INVALID_ARGS;
	else if (a.offset + a.size < a.offset)
		ret = MX_ERR_OUT_OF_RANGE;
	else
		ret = mx_vmo_clone(mx_to_vmo(obj), a.offset, a.size,
				   have & MX_RIGHT_GET_PROPERTY, &clone);
	mx_object_put(obj);
	if (ret)
		return ret;
	clone_obj = mx_vmo_obj(clone);
	return mx_sys_install_new_rights(&p->table, clone_obj, a.out,
					 have | MX_RIGHT_GET_PROPERTY |
					 MX_RIGHT_SET_PROPERTY | MX_RIGHT_WRITE);
}
