/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process handle tables. See handle_table.c for the value encoding and
 * the locking rules.
 */
#ifndef MX_HANDLE_TABLE_H
#define MX_HANDLE_TABLE_H

#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "object.h"

#define MX_HT_INDEX_BITS	18
#define MX_HT_GEN_BITS		12
#define MX_HT_MAX_SLOTS		(1u << MX_HT_INDEX_BITS)
#define MX_HT_NO_SLOT		U32_MAX

/* A slot reserved by mx_ht_reserve() and not yet committed. */
#define MX_HT_RESERVED		((struct mx_handle *)1UL)

/**
 * struct mx_ht_slot - one entry of a handle table
 * @h: the handle, NULL when free, MX_HT_RESERVED while reserved
 * @gen: generation, bumped every time the slot is freed
 * @next_free: next slot on the free list, MX_HT_NO_SLOT at the end
 */
struct mx_ht_slot {
	struct mx_handle *h;
	u32 gen;
	u32 next_free;
};

/**
 * struct mx_handle_table - the handles of one process
 * @lock: protects every field below and the slots
 * @seq: bumped by every change of a slot's handle or generation and of
 *	the slot array, for lookups made without @lock (mx_ht_peek_rcu())
 * @mixer: per-process secret XORed into every value (invariant after init)
 * @slots: the slot array, grown by doubling
 * @nr_slots: slots allocated
 * @free_head: first free slot (FIFO, to spread reuse over the slots)
 * @free_tail: last free slot
 * @count: handles installed plus slots reserved
 * @limit: most handles this table may hold (invariant after init)
 * @closed: the table was emptied for good; nothing may be added
 */
struct mx_handle_table {
	spinlock_t lock;
	seqcount_spinlock_t seq;
	u32 mixer;
	struct mx_ht_slot *slots;
	u32 nr_slots;
	u32 free_head;
	u32 free_tail;
	u32 count;
	u32 limit;
	bool closed;
};

void mx_ht_init(struct mx_handle_table *t, u32 mixer, u32 limit);
u32 mx_ht_new_mixer(void);
void mx_ht_destroy(struct mx_handle_table *t);
u32 mx_ht_count(struct mx_handle_table *t);

s32 mx_ht_encode(u32 mixer, u32 index, u32 gen);
bool mx_ht_decode(u32 mixer, s32 value, u32 *index, u32 *gen);

struct mx_handle *mx_ht_lookup_locked(struct mx_handle_table *t, s32 value);

/**
 * struct mx_ht_peek - what mx_ht_peek_rcu() saw of a handle
 * @seq: the table's sequence count when it looked
 * @found: a handle had the value
 * @rights: its rights
 * @type: its object's MX_OBJ_TYPE_*
 * @obj: its object, not referenced: valid only while the table has not
 *	changed since @seq (mx_ht_unchanged()), and its memory only as long
 *	as its type keeps it (RCU) and the reader is in an RCU read section
 */
struct mx_ht_peek {
	unsigned int seq;
	bool found;
	u32 rights;
	u32 type;
	struct mx_object *obj;
};

bool mx_ht_peek_rcu(struct mx_handle_table *t, s32 value,
		    struct mx_ht_peek *pk);

/* Has no slot of @t changed since mx_ht_peek_rcu() returned @seq? */
static inline bool mx_ht_unchanged(struct mx_handle_table *t,
				   unsigned int seq)
{
	return !read_seqcount_retry(&t->seq, seq);
}

int mx_ht_reserve(struct mx_handle_table *t, u32 *index, s32 *value);
int mx_ht_reserve_replace(struct mx_handle_table *t, u32 *index, s32 *value);
void mx_ht_commit(struct mx_handle_table *t, u32 index, struct mx_handle *h);
void mx_ht_commit_locked(struct mx_handle_table *t, u32 index,
			 struct mx_handle *h);
void mx_ht_place_locked(struct mx_handle_table *t, u32 index,
			struct mx_handle *h);
void mx_ht_unreserve(struct mx_handle_table *t, u32 index);
struct mx_handle *mx_ht_remove_locked(struct mx_handle_table *t, s32 value);
struct mx_handle *mx_ht_remove(struct mx_handle_table *t, s32 value);
struct mx_handle *mx_ht_remove_if(struct mx_handle_table *t, s32 value,
				  const struct mx_object *obj);
u32 mx_ht_iterate_locked(struct mx_handle_table *t,
			 void (*fn)(s32 value, struct mx_handle *h, void *ctx),
			 void *ctx);

/* The table lock, for a check and an act in one hold (see handle_table.c). */
static inline void mx_ht_lock(struct mx_handle_table *t)
	__acquires(&t->lock)
{
	spin_lock(&t->lock);
}

static inline void mx_ht_unlock(struct mx_handle_table *t)
	__releases(&t->lock)
{
	spin_unlock(&t->lock);
}

/* For a _locked function outside the handle layer: @t's lock is held. */
static inline void mx_ht_assert_held(struct mx_handle_table *t)
{
	lockdep_assert_held(&t->lock);
}

/* Whether the table was closed for good (its process ended). */
static inline bool mx_ht_closed_locked(struct mx_handle_table *t)
{
	lockdep_assert_held(&t->lock);
	return t->closed;
}
int mx_ht_check_fields(bool found, u32 have, u32 type, u32 rights,
		       u32 want_type);
int mx_ht_check_locked(struct mx_handle_table *t, s32 value, u32 rights,
		       const struct mx_object_ops *ops, struct mx_handle **out);
int mx_ht_check_waitable_locked(struct mx_handle_table *t, s32 value,
				u32 rights, struct mx_handle **out);
int mx_ht_check_transfer_locked(struct mx_handle_table *t, const s32 *values,
				u32 n, u32 rights,
				const struct mx_object *exclude,
				struct mx_handle **hs);
int mx_ht_get(struct mx_handle_table *t, s32 value, u32 rights,
	      const struct mx_object_ops *ops, struct mx_object **obj,
	      u32 *have);

/**
 * struct mx_ht_hold - a handle taken out of its slot, the slot kept
 * @index: the slot, reserved while the hold lasts
 * @h: the handle, still counted
 */
struct mx_ht_hold {
	u32 index;
	struct mx_handle *h;
};

int mx_ht_hold_locked(struct mx_handle_table *t, s32 value, u32 rights,
		      const struct mx_object_ops *ops, struct mx_ht_hold *hold);
int mx_ht_hold(struct mx_handle_table *t, s32 value, u32 rights,
	       const struct mx_object_ops *ops, struct mx_ht_hold *hold);
void mx_ht_unhold(struct mx_handle_table *t, struct mx_ht_hold *hold);
void mx_ht_release_hold_locked(struct mx_handle_table *t,
			       struct mx_ht_hold *hold);
void mx_ht_close_all(struct mx_handle_table *t);

#endif /* MX_HANDLE_TABLE_H */
