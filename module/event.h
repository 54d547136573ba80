/* SPDX-License-Identifier: GPL-2.0 */
/* Events (event.c). */
#ifndef MX_EVENT_H
#define MX_EVENT_H

#include "object.h"

extern const struct mx_object_ops mx_event_ops;

struct mx_object *mx_event_new(void);

#endif /* MX_EVENT_H */
