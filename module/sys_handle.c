// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls on handles themselves: close, duplicate, replace, and moving a
 * handle into a file descriptor and back (the file: handle_fd.c).
 *
 * Locking (the order of all: docs/architecture.md): only the caller's
 * handle table lock (handle_table.c), never held across a user copy;
 * handles taken out of the table are destroyed after it is released. A
 * handle is acted on by identity across a user access (the rule at the top
 * of handle_table.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "handle_fd.h"
#include "ioctl.h"
#include "mx_trace.h"
#include "process.h"
#include "sys_handle.h"
#include "user.h"
#include "vmo.h"

/**
 * mx_sys_put_size() - write a size_t of the caller's ABI
 * @uptr: its user address
 * @val: the value
 *
 * Return: 0 or -EFAULT.
 */
int mx_sys_put_size(u64 uptr, u64 val)
{
	void __user *u = u64_to_user_ptr(uptr);

	if (in_compat_syscall())
		return put_user((u32)val, (u32 __user *)u);
	return put_user(val, (u64 __user *)u);
}

/**
 * mx_sys_install() - install new handles and tell userspace their values
 * @t: the caller's table
 * @hs: handles from mx_handle_alloc()
 * @uptrs: user addresses (of mx_handle_t) to write the values to
 * @n: how many, at most 2
 * @values: out (may be NULL): the values the handles got
 *
 * All or nothing: on failure no handle is installed and the handles stay
 * the caller's to free.
 *
 * Return: 0; MX_ERR_INVALID_ARGS if a value cannot be written; an error
 * of mx_ht_reserve().
 */
int mx_sys_install(struct mx_handle_table *t, struct mx_handle **hs,
		       const u64 *uptrs, unsigned int n, s32 *values)
{
	u32 index[2];
	s32 value[2];
	unsigned int i, reserved = 0;
	int ret;

	if (WARN_ON_ONCE(n > ARRAY_SIZE(index)))
		return MX_ERR_INTERNAL;
	for (i = 0; i < n; i++) {
		ret = mx_ht_reserve(t, &index[i], &value[i]);
		if (ret)
			goto out_unreserve;
		reserved++;
	}
	for (i = 0; i < n; i++) {
		if (put_user(value[i], (s32 __user *)u64_to_user_ptr(uptrs[i]))) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_unreserve;
		}
	}
	mx_ht_lock(t);
	for (i = 0; i < n; i++)
		mx_ht_commit_locked(t, index[i], hs[i]);
	mx_ht_unlock(t);
	if (values)
		memcpy(values, value, n * sizeof(*value));
	return 0;

out_unreserve:
	for (i = 0; i < reserved; i++)
		mx_ht_unreserve(t, index[i]);
	return ret;
}

/*
 * The first handles to new objects, with @rights, or each type's default
 * rights if @rights is NULL: see mx_sys_install_new().
 */
static int mx_sys_install_objs(struct mx_handle_table *t,
			       struct mx_object **objs, const u32 *rights,
			       const u64 *uptrs, unsigned int n)
{
	struct mx_handle *hs[2] = { NULL, NULL };
	s32 values[2];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		ret = mx_user_charge(objs[i]);
		if (ret)
			goto out;
	}
	for (i = 0; i < n; i++) {
		hs[i] = mx_handle_alloc(objs[i], rights ? rights[i] :
					objs[i]->ops->default_rights);
		if (!hs[i]) {
			ret = MX_ERR_NO_MEMORY;
			break;
		}
	}
	if (!ret)
		ret = mx_sys_install(t, hs, uptrs, n, values);
out:
	for (i = 0; i < n; i++) {
		if (ret && hs[i])
			mx_handle_free(hs[i]);
		else if (!ret)
			trace_mx_handle_create(values[i], objs[i]->koid,
					       objs[i]->ops->type,
					       hs[i]->rights);
		mx_object_put(objs[i]);
	}
	return ret;
}

/**
 * mx_sys_install_new() - install the first handles to new objects
 * @t: the caller's table
 * @objs: new objects, each with its creation reference
 * @uptrs: user addresses to write the values to
 * @n: how many, at most 2
 *
 * Each object is charged to the calling user (user.c) and gets one handle
 * with its type's default rights; the creation references are dropped
 * either way, so on failure the objects are freed (and uncharged). All or
 * nothing.
 *
 * Return: 0, MX_ERR_NO_RESOURCES (the user's object limit), MX_ERR_NO_MEMORY
 * or an error of mx_sys_install().
 */
int mx_sys_install_new(struct mx_handle_table *t, struct mx_object **objs,
		       const u64 *uptrs, unsigned int n)
{
	return mx_sys_install_objs(t, objs, NULL, uptrs, n);
}

/**
 * mx_sys_install_new_rights() - mx_sys_install_new() of one object, with
 * the rights of its handle given (a clone's)
 * @t: the caller's table
 * @obj: the new object, with its creation reference (dropped either way)
 * @uptr: the user address to write the value to
 * @rights: the handle's rights
 *
 * Return: as mx_sys_install_new().
 */
int mx_sys_install_new_rights(struct mx_handle_table *t,
			      struct mx_object *obj, u64 uptr, u32 rights)
{
	return mx_sys_install_objs(t, &obj, &rights, &uptr, 1);
}

/**
 * mx_ioc_handle_close() - MX_IOC_HANDLE_CLOSE: mx_handle_close()
 * @p: the calling process
 * @arg: the handle value
 *
 * No right is needed. Closing cancels the waits made through the handle.
 *
 * Context: process context.
 * Return: MX_OK or MX_ERR_BAD_HANDLE (MX_HANDLE_INVALID included).
 */
long mx_ioc_handle_close(struct mx_process *p, unsigned long arg)
{
	struct mx_handle *h;

	h = mx_ht_remove(&p->table, (s32)arg);
	if (!h)
		return MX_ERR_BAD_HANDLE;
	trace_mx_handle_close((s32)arg, h->obj->koid, h->obj->ops->type);
	mx_handle_destroy(h);
	return MX_OK;
}

/*
 * Look up the source of a duplicate and compute the new rights. The
 * duplicate is made from the object and the rights read here.
 */
static int mx_handle_dup_source(struct mx_process *p,
				const struct mx_ioc_handle_dup *a,
				struct mx_object **obj, u32 *rights)
{
	u32 have;
	int ret;

	ret = mx_ht_get(&p->table, a->handle, MX_RIGHT_DUPLICATE, NULL, obj,
			&have);
	if (ret)
		return ret;
	/* A handle's rights never change: the snapshot is the handle's. */
	ret = mx_rights_reduce(have, a->rights, rights);
	if (ret)
		mx_object_put(*obj);
	return ret;
}

/**
 * mx_ioc_handle_duplicate() - MX_IOC_HANDLE_DUPLICATE: mx_handle_duplicate()
 * @p: the calling process
 * @uarg: struct mx_ioc_handle_dup
 *
 * Needs MX_RIGHT_DUPLICATE. The new rights are MX_RIGHT_SAME_RIGHTS or a
 * subset of the source's.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_INVALID_ARGS (rights not a subset), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES (table full), MX_ERR_INVALID_ARGS (out unwritable:
 * no handle is made).
 */
long mx_ioc_handle_duplicate(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_handle_dup a;
	struct mx_object *obj;
	struct mx_handle *h;
	u32 rights;
	s32 value;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_handle_dup_source(p, &a, &obj, &rights);
	if (ret)
		return ret;
	h = mx_handle_alloc(obj, rights);
	if (!h) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	ret = mx_sys_install(&p->table, &h, &a.out, 1, &value);
	if (ret)
		mx_handle_free(h);
	else
		trace_mx_handle_duplicate(a.handle, value, obj->koid, rights, 0);
out_put:
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_handle_replace() - MX_IOC_HANDLE_REPLACE: mx_handle_replace()
 * @p: the calling process
 * @uarg: struct mx_ioc_handle_dup
 *
 * No right is needed. The source is held (handle_table.c) while the new
 * value is written out, so the handle replaced is the one checked, and
 * its value names nothing meanwhile (a concurrent close gets
 * MX_ERR_BAD_HANDLE). On success the source is gone (its waits
 * cancelled) and the new handle takes its place in one step under the
 * table lock; on any failure the source is back with its value.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_INVALID_ARGS (rights not a
 * subset), MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES, MX_ERR_INVALID_ARGS (out
 * unwritable).
 */
long mx_ioc_handle_replace(struct mx_process *p, void __user *uarg)
{
	struct mx_handle_table *t = &p->table;
	struct mx_ioc_handle_dup a;
	struct mx_ht_hold src;
	struct mx_handle *h;
	u32 rights, index;
	s32 value;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_hold(t, a.handle, 0, NULL, &src);
	if (ret)
		return ret;
	/* A handle's rights never change: the snapshot is the handle's. */
	ret = mx_rights_reduce(src.h->rights, a.rights, &rights);
	if (ret)
		goto out_unhold;
	h = mx_handle_alloc(src.h->obj, rights);
	if (!h) {
		ret = MX_ERR_NO_MEMORY;
		goto out_unhold;
	}
	ret = mx_ht_reserve_replace(t, &index, &value);
	if (ret)
		goto out_free;
	if (put_user(value, (s32 __user *)u64_to_user_ptr(a.out))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_unreserve;
	}

	/* The new handle inherits the source's place in the handle count. */
	mx_ht_lock(t);
	mx_ht_place_locked(t, index, h);
	mx_ht_release_hold_locked(t, &src);
	mx_ht_unlock(t);
	mx_handle_retire(src.h);
	return MX_OK;

out_unreserve:
	mx_ht_unreserve(t, index);
out_free:
	mx_handle_free(h);
out_unhold:
	mx_ht_unhold(t, &src);
	return ret;
}

/**
 * mx_ioc_handle_to_fd() - MX_IOC_HANDLE_TO_FD: mx_handle_to_fd()
 * @p: the calling process
 * @uarg: struct mx_ioc_handle_fd
 *
 * Needs MX_RIGHT_TRANSFER. The handle is held (handle_table.c) while the
 * fd number is written out, and leaves the caller's table only on success,
 * when the fd is installed; on failure it is back with its value.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags other than O_CLOEXEC, reserved
 * fields, fd unwritable), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_NO_RESOURCES (no fd free), MX_ERR_NO_MEMORY.
 */
long mx_ioc_handle_to_fd(struct mx_process *p, void __user *uarg)
{
	struct mx_handle_table *t = &p->table;
	struct mx_ioc_handle_fd a;
	struct mx_ht_hold src;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if ((a.flags & ~O_CLOEXEC) || a.pad)
		return MX_ERR_INVALID_ARGS;

	/* Held, not looked up: the handle moved is the handle checked. */
	ret = mx_ht_hold(t, a.handle, MX_RIGHT_TRANSFER, NULL, &src);
	if (ret)
		return ret;

	fd = get_unused_fd_flags(O_RDWR | a.flags);
	if (fd < 0) {
		ret = fd == -EMFILE ? MX_ERR_NO_RESOURCES : MX_ERR_NO_MEMORY;
		goto out_unhold;
	}
	/* A VMO's fd is the VMO: it reads, writes and maps its pages. */
	if (src.h->type == MX_OBJ_TYPE_VMO)
		file = mx_vmo_file_new(mx_to_vmo(src.h->obj), src.h->rights,
				       0);
	else
		file = mx_handle_file_new();
	if (IS_ERR(file)) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_fd;
	}
	if (put_user(fd, (s32 __user *)u64_to_user_ptr(a.fd))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_fput;
	}
	mx_ht_lock(t);
	mx_ht_release_hold_locked(t, &src);
	mx_ht_unlock(t);
	if (src.h->type == MX_OBJ_TYPE_VMO) {
		/* The file holds the VMO and the rights: the handle goes. */
		mx_handle_destroy(src.h);
	} else {
		/* In transit now: port registrations end, as a channel's. */
		mx_handle_cancel_async(src.h);
		mx_handle_file_fill(file, src.h);
	}
	fd_install(fd, file);
	return MX_OK;

out_fput:
	fput(file);
out_put_fd:
	put_unused_fd(fd);
out_unhold:
	mx_ht_unhold(t, &src);
	return ret;
}

/*
 * mx_handle_from_fd() of a VMO's file: a new handle to the VMO with the
 * rights the file stands for, each time; the file stays as it was.
 */
static int mx_sys_vmo_from_file(struct mx_handle_table *t, struct mx_vmo *vmo,
				u32 rights, u64 uptr)
{
	struct mx_handle *h;
	int ret;

	h = mx_handle_alloc(mx_vmo_obj(vmo), rights);
	if (!h)
		return MX_ERR_NO_MEMORY;
	ret = mx_sys_install(t, &h, &uptr, 1, NULL);
	if (ret)
		mx_handle_free(h);
	return ret;
}

/**
 * mx_ioc_handle_from_fd() - MX_IOC_HANDLE_FROM_FD: mx_handle_from_fd()
 * @p: the calling process
 * @uarg: struct mx_ioc_handle_fd
 *
 * Moves the handle the fd carries into the caller's table. The fd stays
 * open (the caller closes it) but is empty afterwards. The fd of a VMO
 * instead gives a new handle to it at every call, and a memfd or tmpfs
 * file a handle to a new VMO that is that file (vmo.c).
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (not an open fd, reserved fields,
 * out unwritable: the handle stays in the fd), MX_ERR_WRONG_TYPE (not an
 * fd made by mx_handle_to_fd(), nor a memfd or tmpfs file), MX_ERR_BAD_STATE (already taken),
 * MX_ERR_NO_RESOURCES, MX_ERR_NO_MEMORY.
 */
long mx_ioc_handle_from_fd(struct mx_process *p, void __user *uarg)
{
	struct mx_handle_table *t = &p->table;
	struct mx_ioc_handle_fd a;
	struct mx_handle *h;
	struct mx_vmo *vmo;
	struct file *file;
	u32 index, rights;
	s32 value;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.flags || a.pad)
		return MX_ERR_INVALID_ARGS;
	file = fget(a.fd_in);
	if (!file)
		return MX_ERR_INVALID_ARGS;
	vmo = mx_vmo_file_vmo(file, &rights);
	if (vmo) {
		ret = mx_sys_vmo_from_file(t, vmo, rights, a.fd);
		goto out_fput;
	}
	if (!mx_handle_file_is(file)) {
		/* A memfd or tmpfs file becomes a VMO. */
		ret = mx_vmo_new_file(file, &vmo, &rights);
		if (!ret)
			ret = mx_sys_install_new_rights(t, mx_vmo_obj(vmo),
							a.fd, rights);
		goto out_fput;
	}
	ret = mx_ht_reserve(t, &index, &value);
	if (ret)
		goto out_fput;
	ret = mx_handle_file_take(file, &h);
	if (ret)
		goto out_unreserve;
	if (put_user(value, (s32 __user *)u64_to_user_ptr(a.fd))) {
		mx_handle_file_put_back(file, h);
		ret = MX_ERR_INVALID_ARGS;
		goto out_unreserve;
	}
	mx_handle_cancel_waits(h);
	mx_ht_lock(t);
	mx_ht_place_locked(t, index, h);
	mx_ht_unlock(t);
	fput(file);
	return MX_OK;

out_unreserve:
	mx_ht_unreserve(t, index);
out_fput:
	fput(file);
	return ret;
}
