/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Giving userspace the values of new handles, for every call that makes
 * some, and sizes of its ABI (sys_handle.c).
 */
#ifndef MX_SYS_HANDLE_H
#define MX_SYS_HANDLE_H

#include <linux/types.h>

struct mx_handle;
struct mx_handle_table;
struct mx_object;

int mx_sys_put_size(u64 uptr, u64 val);
int mx_sys_install(struct mx_handle_table *t, struct mx_handle **hs,
		   const u64 *uptrs, unsigned int n, s32 *values);
int mx_sys_install_new(struct mx_handle_table *t, struct mx_object **objs,
		       const u64 *uptrs, unsigned int n);
int mx_sys_install_new_rights(struct mx_handle_table *t,
			      struct mx_object *obj, u64 uptr, u32 rights);

#endif /* MX_SYS_HANDLE_H */
