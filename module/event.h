/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MX_EVENT_H
#define MX_EVENT_H

#include "object.h"

extern const struct mx_object_ops mx_event_ops;
extern const struct mx_object_ops mx_eventpair_ops;

struct mx_object *mx_event_create(void);
int mx_eventpair_create(struct mx_object **side0, struct mx_object **side1);

#endif /* MX_EVENT_H */
