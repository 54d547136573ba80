// SPDX-License-Identifier: GPL-2.0
/*
 * Handles carried by file descriptors: the way a first handle reaches a
 * process that shares none with the sender (a fork() child, which starts
 * with an empty table, or an unrelated program at the other end of an
 * AF_UNIX socket).
 *
 * mx_handle_to_fd() moves a handle out of the caller's table into a new
 * anonymous file; the handle is then in transit, exactly as in a channel
 * message. The fd travels by any Linux means (inheritance, SCM_RIGHTS).
 * mx_handle_from_fd() moves the handle into the caller's table, once; the
 * file is empty afterwards. Closing a file that still holds its handle
 * closes the handle. The fd is the capability: only a process that holds
 * it can take the handle.
 *
 * Locking: the handle is taken out of the file with xchg() on
 * file->private_data, so exactly one taker (or the file's release) gets it.
 * Table locks as in handle_table.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "process.h"

static int mx_handle_fd_release(struct inode *inode, struct file *file)
{
	struct mx_handle *h = xchg(&file->private_data, NULL);

	if (h)
		mx_handle_destroy(h);
	return 0;
}

static const struct file_operations mx_handle_fd_fops = {
	.owner = THIS_MODULE,
	.release = mx_handle_fd_release,
};

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
	file = anon_inode_getfile("[mx-handle]", &mx_handle_fd_fops, NULL,
				  O_RDWR);
	if (IS_ERR(file)) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_fd;
	}
	if (put_user(fd, (s32 __user *)u64_to_user_ptr(a.fd))) {
		ret = MX_ERR_INVALID_ARGS;
		goto out_fput;
	}
	spin_lock(&t->lock);
	mx_ht_release_hold_locked(t, &src);
	spin_unlock(&t->lock);
	/* In transit now: port registrations end, as for a channel. */
	mx_handle_cancel_async(src.h);
	file->private_data = src.h;
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

/**
 * mx_ioc_handle_from_fd() - MX_IOC_HANDLE_FROM_FD: mx_handle_from_fd()
 * @p: the calling process
 * @uarg: struct mx_ioc_handle_fd
 *
 * Moves the handle the fd carries into the caller's table. The fd stays
 * open (the caller closes it) but is empty afterwards.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (not an open fd, reserved fields,
 * out unwritable: the handle stays in the fd), MX_ERR_WRONG_TYPE (not an
 * fd made by mx_handle_to_fd()), MX_ERR_BAD_STATE (already taken),
 * MX_ERR_NO_RESOURCES, MX_ERR_NO_MEMORY.
 */
long mx_ioc_handle_from_fd(struct mx_process *p, void __user *uarg)
{
	struct mx_handle_table *t = &p->table;
	struct mx_ioc_handle_fd a;
	struct mx_handle *h;
	struct file *file;
	u32 index;
	s32 value;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.flags || a.pad)
		return MX_ERR_INVALID_ARGS;
	file = fget(a.fd_in);
	if (!file)
		return MX_ERR_INVALID_ARGS;
	if (file->f_op != &mx_handle_fd_fops) {
		ret = MX_ERR_WRONG_TYPE;
		goto out_fput;
	}
	ret = mx_ht_reserve(t, &index, &value);
	if (ret)
		goto out_fput;
	h = xchg(&file->private_data, NULL);
	if (!h) {
		ret = MX_ERR_BAD_STATE;
		goto out_unreserve;
	}
	if (put_user(value, (s32 __user *)u64_to_user_ptr(a.fd))) {
		/* Only takers empty the file, so the slot is still free. */
		WARN_ON_ONCE(cmpxchg(&file->private_data, NULL, h));
		ret = MX_ERR_INVALID_ARGS;
		goto out_unreserve;
	}
	mx_handle_cancel_waits(h);
	spin_lock(&t->lock);
	mx_ht_place_locked(t, index, h);
	spin_unlock(&t->lock);
	fput(file);
	return MX_OK;

out_unreserve:
	mx_ht_unreserve(t, index);
out_fput:
	fput(file);
	return ret;
}
