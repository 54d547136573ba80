// SPDX-License-Identifier: GPL-2.0
/*
 * Wait file descriptors: an object's signals, or a port's queue, as a
 * file that poll(), select() and epoll understand, so that mx objects and
 * ordinary fds share one Linux event loop.
 *
 * mx_waitfd_create(handle, signals) makes an fd that is readable (EPOLLIN)
 * while any of @signals is asserted on the object: level-triggered, like
 * the object's state itself. On a port (which has no signals) the only
 * signal allowed is MX_PORT_READABLE: readable while a packet is queued.
 * read() returns the current state as a u32 and never blocks. The fd keeps
 * its own reference to the object, not a handle: closing the handle it
 * was made from leaves the fd working (it watches the object); closing the
 * fd ends the watch.
 *
 * Locking: the observer's notify runs under the object's lock and only
 * wakes the fd's wait queue (whose own lock nests inside). The observer is
 * added at creation and removed at release, each under the object's lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioctl.h"
#include "port.h"
#include "process.h"
#include "user.h"
#include "wait.h"

/**
 * struct mx_waitfd - the file's private data
 * @obj: the object, referenced
 * @signals: what makes the fd readable
 * @is_port: @obj is a port (no observer; its queue is polled)
 * @wq: poll()ers (objects other than ports)
 * @obs: the observer on @obj (objects other than ports)
 * @user: the user the observer is charged to (user.c), referenced; NULL
 *	for a port
 */
struct mx_waitfd {
	struct mx_object *obj;
	u32 signals;
	bool is_port;
	wait_queue_head_t wq;
	struct mx_observer obs;
	struct mx_user *user;
};

static void mx_waitfd_notify(struct mx_observer *obs, u32 state)
{
	struct mx_waitfd *w = container_of(obs, struct mx_waitfd, obs);

	if (state & w->signals)
		wake_up_interruptible_poll(&w->wq, EPOLLIN | EPOLLRDNORM);
}

static u32 mx_waitfd_state(struct mx_waitfd *w, struct file *file,
			   poll_table *pt)
{
	if (w->is_port)
		return mx_port_poll(w->obj, file, pt) ? MX_PORT_READABLE : 0;
	if (pt)
		poll_wait(file, &w->wq, pt);
	return mx_object_signals(w->obj);
}

static __poll_t mx_waitfd_poll(struct file *file, poll_table *pt)
{
	struct mx_waitfd *w = file->private_data;

	return (mx_waitfd_state(w, file, pt) & w->signals) ?
	       EPOLLIN | EPOLLRDNORM : 0;
}

static ssize_t mx_waitfd_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct mx_waitfd *w = file->private_data;
	u32 state;

	if (count < sizeof(state))
		return -EINVAL;
	state = mx_waitfd_state(w, file, NULL);
	if (put_user(state, (u32 __user *)buf))
		return -EFAULT;
	return sizeof(state);
}

static int mx_waitfd_release(struct inode *inode, struct file *file)
{
	struct mx_waitfd *w = file->private_data;

	if (!w->is_port)
		mx_object_remove_observer(w->obj, &w->obs);
	if (w->user)
		mx_user_uncharge_watch(w->user);
	mx_object_put(w->obj);
	kfree(w);
	return 0;
}

static const struct file_operations mx_waitfd_fops = {
	.owner = THIS_MODULE,
	.poll = mx_waitfd_poll,
	.read = mx_waitfd_read,
	.release = mx_waitfd_release,
	.llseek = noop_llseek,
};

/**
 * mx_ioc_waitfd_create() - MX_IOC_WAITFD_CREATE: mx_waitfd_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_waitfd
 *
 * Needs MX_RIGHT_READ on the handle.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (flags other than O_CLOEXEC and
 * O_NONBLOCK, reserved fields, a port with signals other than
 * MX_PORT_READABLE, fd unwritable), MX_ERR_BAD_HANDLE,
 * MX_ERR_ACCESS_DENIED, MX_ERR_NOT_SUPPORTED (neither waitable nor a
 * port), MX_ERR_NO_RESOURCES (the user's max_user_watches; no fd free),
 * MX_ERR_NO_MEMORY.
 */
long mx_ioc_waitfd_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_waitfd a;
	struct mx_user *user;
	struct mx_waitfd *w;
	struct mx_object *obj;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if ((a.flags & ~(O_CLOEXEC | O_NONBLOCK)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_READ, NULL, &obj, NULL);
	if (ret)
		return ret;
	if (obj->ops == &mx_port_ops) {
		if (a.signals != MX_PORT_READABLE) {
			ret = MX_ERR_INVALID_ARGS;
			goto out_put;
		}
	} else if (!obj->ops->waitable) {
		ret = MX_ERR_NOT_SUPPORTED;
		goto out_put;
	}

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put;
	}
	w->obj = obj;
	w->signals = a.signals;
	w->is_port = obj->ops == &mx_port_ops;
	init_waitqueue_head(&w->wq);
	if (!w->is_port) {
		/* An observer that every signal change walks: a watch. */
		user = mx_user_cached(&p->user);
		ret = user ? mx_user_charge_watch(user) : MX_ERR_NO_MEMORY;
		if (ret) {
			mx_user_put(user);
			kfree(w);
			goto out_put;
		}
		/* The charge holds a reference of its own. */
		mx_user_put(user);
		w->user = user;
		/* A watch of the object, not of the handle it was found by. */
		mx_observer_init(&w->obs, NULL, a.signals, mx_waitfd_notify,
				 false);
		mx_object_add_observer(obj, &w->obs);
	}

	fd = get_unused_fd_flags(O_RDWR | a.flags);
	if (fd < 0) {
		ret = fd == -EMFILE ? MX_ERR_NO_RESOURCES : MX_ERR_NO_MEMORY;
		goto out_free;
	}
	file = anon_inode_getfile("[mx-waitfd]", &mx_waitfd_fops, w,
				  O_RDWR | (a.flags & O_NONBLOCK));
	if (IS_ERR(file)) {
		ret = MX_ERR_NO_MEMORY;
		goto out_put_fd;
	}
	if (put_user(fd, (s32 __user *)u64_to_user_ptr(a.fd))) {
		/* The file owns @w and the reference now: fput frees them. */
		fput(file);
		put_unused_fd(fd);
		return MX_ERR_INVALID_ARGS;
	}
	fd_install(fd, file);
	return MX_OK;

out_put_fd:
	put_unused_fd(fd);
out_free:
	if (!w->is_port) {
		mx_object_remove_observer(obj, &w->obs);
		mx_user_uncharge_watch(w->user);
	}
	kfree(w);
out_put:
	mx_object_put(obj);
	return ret;
}
