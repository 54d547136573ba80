/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user limits (user.c).
 */
#ifndef MX_USER_H
#define MX_USER_H

#include <linux/compiler_types.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "compat.h"

struct mx_object;
struct mx_user;

extern unsigned int mx_max_user_objects;

struct mx_user *mx_user_get(kuid_t uid);
void mx_user_put(struct mx_user *u);
struct mx_user *mx_user_cached(struct mx_user __rcu **cache);
void mx_user_uncache(struct mx_user __rcu **cache);

int mx_user_charge(struct mx_object *obj);
void mx_user_uncharge(struct mx_object *obj);
int mx_user_charge_message(struct mx_user *u, size_t bytes, u32 handles);
void mx_user_uncharge_message(struct mx_user *u, size_t bytes, u32 handles);
int mx_user_charge_watch(struct mx_user *u);
void mx_user_uncharge_watch(struct mx_user *u);
int mx_user_charge_mappings(struct mx_user *u, unsigned int n);
void mx_user_uncharge_mappings(struct mx_user *u, unsigned int n);

int mx_user_charge_pages(struct mx_user *u, unsigned long n,
			 unsigned long limit);
void mx_user_uncharge_pages(struct mx_user *u, unsigned long n);

void mx_user_teardown(void);

#ifdef MX_KUNIT_VISIBILITY
extern unsigned long mx_max_user_message_bytes;
extern unsigned int mx_max_user_inflight_handles;
extern unsigned int mx_max_user_watches;
extern unsigned int mx_max_user_vmar_mappings;

/* What mx_user_usage() reports: struct mx_user's counters. */
struct mx_user_usage {
	unsigned int objects;
	long message_bytes;
	unsigned int inflight;
	unsigned int watches;
	unsigned int mappings;
	unsigned long vmo_pages;
	unsigned int refs;
};

void mx_user_usage(struct mx_user *u, struct mx_user_usage *out);
#endif

#endif /* MX_USER_H */
