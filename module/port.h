/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx ports v2 and asynchronous waits. See port.c for the locking rules.
 */
#ifndef MX_PORT_H
#define MX_PORT_H

#include <linux/poll.h>

#include "handle_table.h"
#include "object.h"

struct mx_user;

extern const struct mx_object_ops mx_port_ops;

struct mx_object *mx_port_new(void);
int mx_port_queue_packet(struct mx_object *obj, const struct mx_port_packet *pkt,
		  struct mx_user *user);
/* Gives a taken packet to its waiter: 0, or an MX_ERR_* that keeps it. */
typedef int (*mx_port_deliver_fn)(const struct mx_port_packet *pkt,
				  void *ctx);

int mx_port_wait_packet(struct mx_object *obj, u64 deadline,
			mx_port_deliver_fn deliver, void *ctx);
int mx_port_wait_async(struct mx_handle_table *t, s32 value,
		       struct mx_object *pobj, u64 key, u32 signals,
		       bool repeating, struct mx_user *user);
int mx_port_cancel_key(struct mx_handle_table *t, struct mx_object *pobj,
		   s32 value, u64 key);
__poll_t mx_port_poll(struct mx_object *obj, struct file *file,
		      poll_table *pt);

#ifdef MX_KUNIT_VISIBILITY
extern unsigned int mx_port_max_packets;
#endif

#endif /* MX_PORT_H */
