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
 * The calls themselves are in sys_handle.c; this file holds the file.
 *
 * Locking (the order of all: docs/architecture.md): the handle is taken
 * out of the file with xchg() on file->private_data, so exactly one taker
 * (or the file's release) gets it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/fs.h>

#include "handle_fd.h"
#include "object.h"

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

/* Whether @file is a handle file (made by mx_handle_file_new()). */
bool mx_handle_file_is(struct file *file)
{
	return file->f_op == &mx_handle_fd_fops;
}

/**
 * mx_handle_file_new() - a new, empty handle file
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *mx_handle_file_new(void)
{
	return anon_inode_getfile("[mx-handle]", &mx_handle_fd_fops, NULL,
				  O_RDWR);
}

/**
 * mx_handle_file_fill() - put a handle in a new handle file
 * @file: from mx_handle_file_new(), not installed yet
 * @h: the handle, in transit; the file owns it from now on
 */
void mx_handle_file_fill(struct file *file, struct mx_handle *h)
{
	file->private_data = h;
}

/**
 * mx_handle_file_take() - take the handle out of a handle file
 * @file: any file
 * @h: out: the handle, which the caller owns
 *
 * Return: 0; MX_ERR_WRONG_TYPE (not a handle file), MX_ERR_BAD_STATE
 * (taken already).
 */
int mx_handle_file_take(struct file *file, struct mx_handle **h)
{
	if (!mx_handle_file_is(file))
		return MX_ERR_WRONG_TYPE;
	*h = xchg(&file->private_data, NULL);
	return *h ? 0 : MX_ERR_BAD_STATE;
}

/**
 * mx_handle_file_put_back() - undo mx_handle_file_take()
 * @file: the file it was taken from
 * @h: the handle
 *
 * Only takers empty a file, and it was emptied by the caller: it is
 * still empty.
 */
void mx_handle_file_put_back(struct file *file, struct mx_handle *h)
{
	WARN_ON_ONCE(cmpxchg(&file->private_data, NULL, h));
}
