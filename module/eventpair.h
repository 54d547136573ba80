/* SPDX-License-Identifier: GPL-2.0 */
/* Eventpairs (eventpair.c). */
#ifndef MX_EVENTPAIR_H
#define MX_EVENTPAIR_H

#include "object.h"

extern const struct mx_object_ops mx_eventpair_ops;

int mx_eventpair_new(struct mx_object **side0, struct mx_object **side1);

#endif /* MX_EVENTPAIR_H */
