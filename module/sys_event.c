// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls that create events and eventpairs.
 *
 * Locking (the order of all: docs/architecture.md): none of its own; see
 * handle_table.c and eventpair.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>

#include "event.h"
#include "eventpair.h"
#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"

/**
 * mx_ioc_event_create() - MX_IOC_EVENT_CREATE: mx_event_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (options not 0, or out unwritable),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES.
 */
long mx_ioc_event_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_create a;
	struct mx_object *obj;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.options || a.pad)
		return MX_ERR_INVALID_ARGS;
	obj = mx_event_new();
	if (!obj)
		return MX_ERR_NO_MEMORY;
	return mx_sys_install_new(&p->table, &obj, &a.out0, 1);
}

/**
 * mx_ioc_eventpair_create() - MX_IOC_EVENTPAIR_CREATE: mx_eventpair_create()
 * @p: the calling process
 * @uarg: struct mx_ioc_create
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_NOT_SUPPORTED (options not 0, as Magenta),
 * MX_ERR_NO_MEMORY, MX_ERR_NO_RESOURCES, MX_ERR_INVALID_ARGS (an out
 * unwritable: neither handle is made).
 */
long mx_ioc_eventpair_create(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_create a;
	struct mx_object *objs[2];
	u64 uptrs[2];
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.pad)
		return MX_ERR_INVALID_ARGS;
	if (a.options)
		return MX_ERR_NOT_SUPPORTED;
	ret = mx_eventpair_new(&objs[0], &objs[1]);
	if (ret)
		return ret;
	uptrs[0] = a.out0;
	uptrs[1] = a.out1;
	return mx_sys_install_new(&p->table, objs, uptrs, 2);
}
