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
 * The call itself is in sys_object.c; this file holds the watch and its
 * file.
 *
 * Locking (the order of all: docs/architecture.md): the observer's notify
 * runs under the object's lock and only wakes the fd's wait queue (whose
 * own lock nests inside). The observer is added at creation and removed at
 * release, each under the object's lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "port.h"
#include "process.h"
#include "user.h"
#include "wait.h"
#include "waitfd.h"

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
 * mx_waitfd_new() - a watch of an object's signals, or of a port's queue,
 * for a wait fd
 * @p: the calling process, charged for the watch (max_user_watches)
 * @obj: the object, referenced by the caller; the watch takes the
 *	reference over when it is made
 * @signals: the signals; MX_PORT_READABLE alone on a port
 * @out: out: the watch
 *
 * Return: 0; MX_ERR_INVALID_ARGS (a port with other signals),
 * MX_ERR_NOT_SUPPORTED (neither waitable nor a port), MX_ERR_NO_RESOURCES
 * (the user's max_user_watches), MX_ERR_NO_MEMORY.
 */
int mx_waitfd_new(struct mx_process *p, struct mx_object *obj, u32 signals,
		  struct mx_waitfd **out)
{
	struct mx_user *user;
	struct mx_waitfd *w;
	int ret;

	if (obj->ops == &mx_port_ops) {
		if (signals != MX_PORT_READABLE)
			return MX_ERR_INVALID_ARGS;
	} else if (!obj->ops->waitable) {
		return MX_ERR_NOT_SUPPORTED;
	}

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return MX_ERR_NO_MEMORY;
	w->obj = obj;
	w->signals = signals;
	w->is_port = obj->ops == &mx_port_ops;
	init_waitqueue_head(&w->wq);
	if (!w->is_port) {
		/* An observer that every signal change walks: a watch. */
		user = mx_user_cached(&p->user);
		ret = user ? mx_user_charge_watch(user) : MX_ERR_NO_MEMORY;
		if (ret) {
			mx_user_put(user);
			kfree(w);
			return ret;
		}
		/* The charge holds a reference of its own. */
		mx_user_put(user);
		w->user = user;
		/* A watch of the object, not of the handle it was found by. */
		mx_observer_init(&w->obs, NULL, signals, mx_waitfd_notify,
				 false);
		mx_object_add_observer(obj, &w->obs);
	}
	*out = w;
	return 0;
}

/**
 * mx_waitfd_free() - undo mx_waitfd_new() before a file holds the watch
 * @w: the watch; its object's reference goes back to the caller
 */
void mx_waitfd_free(struct mx_waitfd *w)
{
	if (!w->is_port) {
		mx_object_remove_observer(w->obj, &w->obs);
		mx_user_uncharge_watch(w->user);
	}
	kfree(w);
}

/**
 * mx_waitfd_file() - the file of a watch
 * @w: from mx_waitfd_new(); the file owns it (and its object's
 *	reference) once made, and frees them on its release
 * @flags: O_NONBLOCK or 0
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *mx_waitfd_file(struct mx_waitfd *w, unsigned int flags)
{
	return anon_inode_getfile("[mx-waitfd]", &mx_waitfd_fops, w,
				  O_RDWR | (flags & O_NONBLOCK));
}
