/* SPDX-License-Identifier: GPL-2.0 */
/* Sockets (socket.c) and their ioctls (sys_socket.c). */
#ifndef MX_SOCKET_H
#define MX_SOCKET_H

#include <linux/compiler_types.h>

#include "object.h"

/* The most bytes (of data) one endpoint's receive queue holds. */
#define MX_SOCKET_CAPACITY	257024u

/* Rights of a new socket handle: DUPLICATE, TRANSFER, READ, WRITE. */
#define MX_SOCKET_DEFAULT_RIGHTS	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | \
					 MX_RIGHT_READ | MX_RIGHT_WRITE)

/* A write of at most this many bytes passes through the stack. */
#define MX_SOCKET_SMALL_BYTES	256u

struct mx_handle_table;
struct mx_process;
struct mx_user;

extern const struct mx_object_ops mx_socket_ops;

int mx_socket_new(bool datagram, struct mx_object **side0,
		  struct mx_object **side1);
int mx_socket_half_close(struct mx_object *obj);
int mx_socket_write_small(struct mx_handle_table *t, s32 value,
			  struct mx_user __rcu **cache, const void *buf,
			  u32 size, u32 *actual);
int mx_socket_write(struct mx_object *obj, struct mx_user __rcu **cache,
		    const void __user *buf, u64 size, u32 *actual);
int mx_socket_read(struct mx_handle_table *t, s32 value, void __user *buf,
		   u64 size, u32 *actual);

long mx_ioc_socket_create(struct mx_process *p, void __user *uarg);
long mx_ioc_socket_write(struct mx_process *p, void __user *uarg);
long mx_ioc_socket_read(struct mx_process *p, void __user *uarg);

#endif /* MX_SOCKET_H */
