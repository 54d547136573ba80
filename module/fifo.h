/* SPDX-License-Identifier: GPL-2.0 */
/* Fifos (fifo.c). */
#ifndef MX_FIFO_H
#define MX_FIFO_H

#include "object.h"

struct mx_handle_table;
struct mx_user;

/* From the calls through a value: nothing done, take the general path. */
#define MX_FIFO_SLOW	1

extern const struct mx_object_ops mx_fifo_ops;

int mx_fifo_check(u32 elem_count, u32 elem_size);
int mx_fifo_new(u32 elem_count, u32 elem_size, struct mx_user *user,
		struct mx_object **side0, struct mx_object **side1);
u32 mx_fifo_elem_size(struct mx_object *obj);
u32 mx_fifo_elem_count(struct mx_object *obj);
int mx_fifo_write_room(struct mx_object *obj, u32 count, u32 *room);
int mx_fifo_write(struct mx_object *obj, const void *buf, u32 count,
		  u32 *written);
int mx_fifo_peek(struct mx_object *obj, void *buf, u32 count, u32 *copied,
		 u32 *tail);
bool mx_fifo_consume(struct mx_object *obj, u32 n, u32 tail);
int mx_fifo_write_value(struct mx_handle_table *t, s32 value,
			const void *buf, size_t len, u32 *written);
int mx_fifo_peek_value(struct mx_handle_table *t, s32 value, void *buf,
		       size_t len, size_t max_bytes, struct mx_object **obj,
		       u32 *copied, u32 *tail);

#endif /* MX_FIFO_H */
