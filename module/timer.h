/* SPDX-License-Identifier: GPL-2.0 */
/* Timers (timer.c). */
#ifndef MX_TIMER_H
#define MX_TIMER_H

#include "object.h"

extern const struct mx_object_ops mx_timer_ops;

struct mx_object *mx_timer_new(void);
void mx_timer_start(struct mx_object *obj, u64 deadline, u64 period);
void mx_timer_cancel(struct mx_object *obj);

#endif /* MX_TIMER_H */
