// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of timers: mx_timer_create, mx_timer_start, mx_timer_cancel.
 *
 * Locking (the order of all: docs/architecture.md): none of its own; see
 * timer.c and handle_table.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "handle_table.h"
#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"
#include "timer.h"

/**
 * mx_ioc_timer_create() - MX_IOC_TIMER_CREATE: mx_timer_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_timer_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options not 0, a clock other than
 * MX_CLOCK_MONOTONIC, out unwritable), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES.
 */
long mx_ioc_timer_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_timer_create a;
	struct mx_object *obj;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.clock_id != MX_CLOCK_MONOTONIC)
		return MX_ERR_INVALID_ARGS;
	obj = mx_timer_new();
	if (!obj)
		return MX_ERR_NO_MEMORY;
	return mx_sys_install_new(&p->table, &obj, &a.out, 1);
}

/**
 * mx_ioc_timer_start() - MX_IOC_TIMER_START: mx_timer_start()
 * @p: the calling process
 * @uarg: struct mx_ioc_timer_start
 *
 * Needs MX_RIGHT_WRITE. In Magenta's order: a deadline of 0 is refused
 * before the handle is looked at, the rest after. Slack is accepted and
 * ignored, as Magenta.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (deadline 0, or below
 * MX_TIMER_MIN_DEADLINE), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE, MX_ERR_NOT_SUPPORTED (a period below
 * MX_TIMER_MIN_PERIOD).
 */
long mx_ioc_timer_start(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_timer_start a;
	struct mx_object *obj;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (!a.deadline)
		return MX_ERR_INVALID_ARGS;
	ret = mx_ht_get(&p->table, a.handle, MX_RIGHT_WRITE, &mx_timer_ops,
			&obj, NULL);
	if (ret)
		return ret;
	if (a.deadline < MX_TIMER_MIN_DEADLINE)
		ret = MX_ERR_INVALID_ARGS;
	else if (a.period && a.period < MX_TIMER_MIN_PERIOD)
		ret = MX_ERR_NOT_SUPPORTED;
	else
		mx_timer_start(obj, a.deadline, a.period);
	mx_object_put(obj);
	return ret;
}

/**
 * mx_ioc_timer_cancel() - MX_IOC_TIMER_CANCEL: mx_timer_cancel()
 * @p: the calling process
 * @arg: the handle value
 *
 * Needs MX_RIGHT_WRITE. Also MX_OK when the timer is not armed.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED,
 * MX_ERR_WRONG_TYPE.
 */
long mx_ioc_timer_cancel(struct mx_process *p, unsigned long arg)
{
	struct mx_object *obj;
	int ret;

	ret = mx_ht_get(&p->table, (s32)arg, MX_RIGHT_WRITE, &mx_timer_ops,
			&obj, NULL);
	if (ret)
		return ret;
	mx_timer_cancel(obj);
	mx_object_put(obj);
	return 0;
}
