// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process handle tables.
 *
 * A table is an array of slots indexed by an 18-bit index. A handle value
 * is built from the slot index and the slot's 12-bit generation, as
 * Magenta does:
 *
 *	base  = gen << 18 | index			(30 bits)
 *	value = mixer ^ (base << 1 | 1)
 *
 * where mixer is a per-process random secret with bits 0, 1 and 31 clear.
 * Values are therefore odd and positive, unrelated between processes, and
 * a slot's generation moves on every time it is freed, so a closed value
 * comes back only after 4096 reuses of its slot. The free list is FIFO,
 * which spreads reuse over all free slots and makes repeats rarer still.
 *
 * Locking (the order of all: docs/architecture.md): mx_handle_table.lock
 * (spinlock) protects the slot array and every field of the table. Object
 * locks may be taken under it (to count a handle, or to register a waiter
 * atomically with the lookup); nothing sleeps under it, so the array is
 * grown with the lock dropped and the work retried. Handles removed from a
 * table are destroyed after the lock is released.
 *
 * Lookups without the lock (mx_ht_peek_rcu(), for the channel's small
 * paths): every change that makes a slot name a handle or stop naming one
 * (its handle or its generation), and the switch to
 * a grown slot array, is made under mx_handle_table.seq (a seqcount of the
 * lock) as well, so a reader sees whether the table changed while it
 * looked, and after (mx_ht_unchanged()). It reads under rcu_read_lock():
 * a replaced slot array is freed only after a grace period, handles come
 * from a SLAB_TYPESAFE_BY_RCU cache (object.c), so what it reads is
 * memory of the right kind even when stale, and the array only ever grows,
 * its new size published after the new array, so a size read is never
 * larger than the array read after it. The index is masked against
 * speculation as under the lock. The object a handle names is not
 * referenced: the reader may dereference it only if its type frees it
 * after a grace period, and relies on it only while the table is
 * unchanged.
 *
 * Reservation: an operation that hands out a new value reserves a slot,
 * writes the value to user memory (which may fault and sleep), then
 * commits the handle, or unreserves the slot if the write failed. A
 * reserved slot looks free to lookups, so nothing half-made is ever
 * visible.
 *
 * THE RULE: a value names a handle only while the table lock is held. A
 * user access may fault and sleep, and meanwhile another thread of the
 * process may close the value, and 4096 reuses of its slot later the same
 * value names another handle. So no handler may check a handle, touch user
 * memory, and then act on "whatever the value names now". Every handler
 * does one of these, and only through the helpers below:
 *
 *  - Check and act in one hold of the table lock, after every user read
 *    and before every user write (mx_ht_check_locked() and the *_locked
 *    helpers: channel writes, waits, port registrations).
 *  - Take a reference to the object and act on the object, never on the
 *    table again (mx_ht_get(): signal, info, duplicate, kill...).
 *  - Hold the handle (mx_ht_hold()): it is checked and taken out of its
 *    slot in one hold of the lock, and the slot stays reserved, so the
 *    value names nothing (a concurrent close gets MX_ERR_BAD_HANDLE) and
 *    no other handle can get it. Then the user access; then the holder
 *    either consumes the handle (mx_ht_release_slot_locked(): the value is
 *    gone for good) or puts it back in the same slot with the same value
 *    (mx_ht_unhold()). Used by every operation that moves or replaces a
 *    handle across a user access: replace, to_fd, process start.
 *  - A new handle's slot is reserved before its value is written out and
 *    committed after (mx_ht_reserve(), mx_ht_commit()).
 *
 * The checks themselves are made in one place, mx_ht_check_fields(), in
 * the reference's order: bad handle, then rights, then type.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "handle_table.h"
#include "mx_trace.h"
#include "user.h"

#define MX_HT_INDEX_MASK	(MX_HT_MAX_SLOTS - 1)
#define MX_HT_GEN_MASK		((1u << MX_HT_GEN_BITS) - 1)
#define MX_HT_MIN_SLOTS		64

/**
 * mx_ht_new_mixer() - a fresh per-process secret
 *
 * Return: a random value with bits 0, 1 and 31 clear.
 */
u32 mx_ht_new_mixer(void)
{
	return (get_random_u32() << 2) & INT_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_new_mixer);

/**
 * mx_ht_encode() - the user-visible value of a slot
 * @mixer: the table's secret
 * @index: slot index, below MX_HT_MAX_SLOTS
 * @gen: slot generation, below 1 << MX_HT_GEN_BITS
 *
 * Return: an odd, positive handle value.
 */
s32 mx_ht_encode(u32 mixer, u32 index, u32 gen)
{
	u32 base = (gen << MX_HT_INDEX_BITS) | index;

	return (s32)(mixer ^ ((base << 1) | 1));
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_encode);

/**
 * mx_ht_decode() - split a value into slot index and generation
 * @mixer: the table's secret
 * @value: a value from userspace
 * @index: out: slot index
 * @gen: out: generation
 *
 * Return: false for values that can never be handles (zero, negative, even).
 */
bool mx_ht_decode(u32 mixer, s32 value, u32 *index, u32 *gen)
{
	u32 base;

	if (value <= 0 || !(value & 1))
		return false;
	base = ((u32)value ^ mixer) >> 1;
	*index = base & MX_HT_INDEX_MASK;
	*gen = base >> MX_HT_INDEX_BITS;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_decode);

/**
 * mx_ht_init() - initialise an empty table
 * @t: the table
 * @mixer: its secret, from mx_ht_new_mixer()
 * @limit: most handles it may hold, at most MX_HT_MAX_SLOTS
 */
void mx_ht_init(struct mx_handle_table *t, u32 mixer, u32 limit)
{
	spin_lock_init(&t->lock);
	seqcount_spinlock_init(&t->seq, &t->lock);
	t->mixer = mixer;
	t->slots = NULL;
	t->nr_slots = 0;
	t->free_head = MX_HT_NO_SLOT;
	t->free_tail = MX_HT_NO_SLOT;
	t->count = 0;
	/* One slot above the limit stays for mx_ht_reserve_replace(). */
	t->limit = min(limit, MX_HT_MAX_SLOTS - 1);
	t->closed = false;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_init);

/**
 * mx_ht_destroy() - free the memory of a table emptied by mx_ht_close_all()
 * @t: the table
 */
void mx_ht_destroy(struct mx_handle_table *t)
{
	WARN_ON_ONCE(t->count);
	kvfree(t->slots);
	t->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_destroy);

/**
 * mx_ht_count() - how many handles a table holds (reserved slots too)
 * @t: the table
 *
 * Context: takes @t->lock; the count may change as soon as it is dropped.
 */
u32 mx_ht_count(struct mx_handle_table *t)
{
	u32 count;

	spin_lock(&t->lock);
	count = t->count;
	spin_unlock(&t->lock);
	return count;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_count);

/* Set a slot's handle (and generation), for readers without the lock. */
static void mx_ht_set_slot_locked(struct mx_handle_table *t,
				  struct mx_ht_slot *s, struct mx_handle *h,
				  u32 gen)
{
	lockdep_assert_held(&t->lock);
	write_seqcount_begin(&t->seq);
	WRITE_ONCE(s->h, h);
	WRITE_ONCE(s->gen, gen);
	write_seqcount_end(&t->seq);
}

static void mx_ht_free_slot_locked(struct mx_handle_table *t, u32 index)
{
	struct mx_ht_slot *s = &t->slots[index];

	lockdep_assert_held(&t->lock);
	mx_ht_set_slot_locked(t, s, NULL, (s->gen + 1) & MX_HT_GEN_MASK);
	s->next_free = MX_HT_NO_SLOT;
	if (t->free_tail == MX_HT_NO_SLOT)
		t->free_head = index;
	else
		t->slots[t->free_tail].next_free = index;
	t->free_tail = index;
}

/* Grow the slot array; called and returns with @t->lock held. */
static int mx_ht_grow_locked(struct mx_handle_table *t)
	__must_hold(&t->lock)
{
	u32 old_nr = t->nr_slots;
	u32 new_nr = old_nr ? old_nr * 2 : MX_HT_MIN_SLOTS;
	struct mx_ht_slot *slots, *old;
	u32 i;

	lockdep_assert_held(&t->lock);
	new_nr = min(new_nr, MX_HT_MAX_SLOTS);
	if (new_nr <= old_nr)
		return MX_ERR_NO_RESOURCES;

	spin_unlock(&t->lock);
	slots = kvcalloc(new_nr, sizeof(*slots), GFP_KERNEL_ACCOUNT);
	spin_lock(&t->lock);
	if (!slots)
		return MX_ERR_NO_MEMORY;
	if (t->nr_slots != old_nr) {
		/* Another thread grew it meanwhile. */
		spin_unlock(&t->lock);
		kvfree(slots);
		spin_lock(&t->lock);
		return 0;
	}
	if (old_nr)
		memcpy(slots, t->slots, old_nr * sizeof(*slots));
	old = t->slots;
	write_seqcount_begin(&t->seq);
	WRITE_ONCE(t->slots, slots);
	/* Pairs with mx_ht_peek_rcu(): the array is seen before its size. */
	smp_store_release(&t->nr_slots, new_nr);
	write_seqcount_end(&t->seq);
	for (i = old_nr; i < new_nr; i++) {
		slots[i].gen = 0;
		mx_ht_free_slot_locked(t, i);
		slots[i].gen = 0;
	}
	spin_unlock(&t->lock);
	if (old) {
		/* Lookups without the lock may still be reading it. */
		synchronize_rcu();
		kvfree(old);
	}
	spin_lock(&t->lock);
	return 0;
}

static int mx_ht_reserve_upto(struct mx_handle_table *t, u32 limit,
			      u32 *index, s32 *value)
{
	struct mx_ht_slot *s;
	int ret;
	u32 i;

	spin_lock(&t->lock);
	for (;;) {
		if (t->closed) {
			ret = MX_ERR_BAD_STATE;
			goto out_unlock;
		}
		if (t->count >= limit) {
			ret = MX_ERR_NO_RESOURCES;
			goto out_unlock;
		}
		if (t->free_head != MX_HT_NO_SLOT)
			break;
		ret = mx_ht_grow_locked(t);
		if (ret)
			goto out_unlock;
	}
	i = t->free_head;
	s = &t->slots[i];
	t->free_head = s->next_free;
	if (t->free_head == MX_HT_NO_SLOT)
		t->free_tail = MX_HT_NO_SLOT;
	s->h = MX_HT_RESERVED;
	t->count++;
	*index = i;
	*value = mx_ht_encode(t->mixer, i, s->gen);
	ret = 0;
out_unlock:
	spin_unlock(&t->lock);
	return ret;
}

/**
 * mx_ht_reserve() - reserve a slot for a handle about to be installed
 * @t: the table
 * @index: out: the slot
 * @value: out: the value the handle will have
 *
 * Return: 0; MX_ERR_NO_RESOURCES at the table's limit; MX_ERR_NO_MEMORY;
 * MX_ERR_BAD_STATE if the table was closed (its process died).
 */
int mx_ht_reserve(struct mx_handle_table *t, u32 *index, s32 *value)
{
	return mx_ht_reserve_upto(t, t->limit, index, value);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_reserve);

/**
 * mx_ht_reserve_replace() - reserve a slot for a handle that replaces one
 * @t: the table
 * @index: out: the slot
 * @value: out: the value the handle will have
 *
 * As mx_ht_reserve(), but the slot may be one above the table's limit:
 * the handle it replaces frees one, so replacing works on a full table.
 *
 * Return: as mx_ht_reserve().
 */
int mx_ht_reserve_replace(struct mx_handle_table *t, u32 *index, s32 *value)
{
	return mx_ht_reserve_upto(t, t->limit + 1, index, value);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_reserve_replace);

/**
 * mx_ht_commit_locked() - install a handle in a reserved slot
 * @t: the table
 * @index: a slot from mx_ht_reserve()
 * @h: the handle; it becomes live and counted
 *
 * Context: @t->lock held.
 */
void mx_ht_commit_locked(struct mx_handle_table *t, u32 index,
			 struct mx_handle *h)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(t->slots[index].h != MX_HT_RESERVED);
	mx_handle_count_inc(h);
	mx_ht_set_slot_locked(t, &t->slots[index], h, t->slots[index].gen);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_commit_locked);

/**
 * mx_ht_place_locked() - put an already counted handle in a reserved slot
 * @t: the table
 * @index: a slot from mx_ht_reserve()
 * @h: a live handle taken from another slot or out of a message; its
 *	object's handle count does not change
 *
 * Context: @t->lock held.
 */
void mx_ht_place_locked(struct mx_handle_table *t, u32 index,
			struct mx_handle *h)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(t->slots[index].h != MX_HT_RESERVED);
	mx_ht_set_slot_locked(t, &t->slots[index], h, t->slots[index].gen);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_place_locked);

void mx_ht_commit(struct mx_handle_table *t, u32 index, struct mx_handle *h)
{
	spin_lock(&t->lock);
	mx_ht_commit_locked(t, index, h);
	spin_unlock(&t->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_commit);

/**
 * mx_ht_unreserve() - give back a reserved slot unused
 * @t: the table
 * @index: a slot from mx_ht_reserve()
 */
void mx_ht_unreserve(struct mx_handle_table *t, u32 index)
{
	spin_lock(&t->lock);
	WARN_ON_ONCE(t->slots[index].h != MX_HT_RESERVED);
	mx_ht_free_slot_locked(t, index);
	t->count--;
	spin_unlock(&t->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_unreserve);

static struct mx_ht_slot *mx_ht_slot_locked(struct mx_handle_table *t,
					    s32 value)
{
	struct mx_ht_slot *s;
	u32 index, gen;

	lockdep_assert_held(&t->lock);
	if (!mx_ht_decode(t->mixer, value, &index, &gen))
		return NULL;
	if (index >= t->nr_slots)
		return NULL;
	index = array_index_nospec(index, t->nr_slots);
	s = &t->slots[index];
	if (!s->h || s->h == MX_HT_RESERVED || s->gen != gen)
		return NULL;
	return s;
}

/**
 * mx_ht_lookup_locked() - find the handle a value names
 * @t: the table
 * @value: the value
 *
 * Context: @t->lock held; the handle is valid only while it is.
 * Return: the handle, or NULL if @value names none in this table.
 */
struct mx_handle *mx_ht_lookup_locked(struct mx_handle_table *t, s32 value)
{
	struct mx_ht_slot *s;

	lockdep_assert_held(&t->lock);
	s = mx_ht_slot_locked(t, value);
	return s ? s->h : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_lookup_locked);

/**
 * mx_ht_peek_rcu() - look a value up without the table lock
 * @t: the caller's table
 * @value: the value
 * @pk: out: what was seen, as of @pk->seq
 *
 * See the locking rules above for what the caller may do with @pk.
 *
 * Context: rcu_read_lock() held.
 * Return: true if @pk is a consistent view of the table as of @pk->seq;
 * false if the table was changing: take the lock instead.
 */
bool mx_ht_peek_rcu(struct mx_handle_table *t, s32 value,
		    struct mx_ht_peek *pk)
{
	struct mx_ht_slot *slots;
	struct mx_handle *h;
	u32 index, gen, nr;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "table lookup without RCU");
	pk->found = false;
	pk->seq = read_seqcount_begin(&t->seq);
	if (!mx_ht_decode(t->mixer, value, &index, &gen))
		goto out;
	/* Pairs with mx_ht_grow_locked(): no size above the array's. */
	nr = smp_load_acquire(&t->nr_slots);
	slots = READ_ONCE(t->slots);
	if (index >= nr)
		goto out;
	index = array_index_nospec(index, nr);
	h = READ_ONCE(slots[index].h);
	if (!h || h == MX_HT_RESERVED || READ_ONCE(slots[index].gen) != gen)
		goto out;
	pk->rights = READ_ONCE(h->rights);
	pk->type = READ_ONCE(h->type);
	pk->obj = READ_ONCE(h->obj);
	pk->found = true;
out:
	return mx_ht_unchanged(t, pk->seq);
}

/**
 * mx_ht_remove_locked() - take a handle out of the table
 * @t: the table
 * @value: its value
 *
 * The caller owns the handle and must destroy it (or move it elsewhere)
 * after releasing @t->lock.
 *
 * Context: @t->lock held.
 * Return: the handle, or NULL if @value names none.
 */
struct mx_handle *mx_ht_remove_locked(struct mx_handle_table *t, s32 value)
{
	struct mx_ht_slot *s;
	struct mx_handle *h;

	lockdep_assert_held(&t->lock);
	s = mx_ht_slot_locked(t, value);
	if (!s)
		return NULL;
	h = s->h;
	mx_ht_free_slot_locked(t, s - t->slots);
	t->count--;
	return h;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_remove_locked);

struct mx_handle *mx_ht_remove(struct mx_handle_table *t, s32 value)
{
	struct mx_handle *h;

	spin_lock(&t->lock);
	h = mx_ht_remove_locked(t, value);
	spin_unlock(&t->lock);
	return h;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_remove);

/**
 * mx_ht_remove_if() - remove the handle a value names, if it names @obj
 * @t: the table
 * @value: the value
 * @obj: the object the handle must be to
 *
 * Return: the handle, now the caller's to destroy; NULL if @value names
 * none, or one to another object.
 */
struct mx_handle *mx_ht_remove_if(struct mx_handle_table *t, s32 value,
				  const struct mx_object *obj)
{
	struct mx_handle *h;

	spin_lock(&t->lock);
	h = mx_ht_lookup_locked(t, value);
	if (h && h->obj == obj)
		mx_ht_remove_locked(t, value);
	else
		h = NULL;
	spin_unlock(&t->lock);
	return h;
}

/**
 * mx_ht_iterate_locked() - call a function for each handle of a table
 * @t: the table
 * @fn: called with each handle's value and the handle, in slot order;
 *	it may not sleep or take @t->lock
 * @ctx: for @fn
 *
 * Reserved slots are skipped.
 *
 * Context: @t->lock held.
 * Return: how many handles @fn was called for.
 */
u32 mx_ht_iterate_locked(struct mx_handle_table *t,
			 void (*fn)(s32 value, struct mx_handle *h, void *ctx),
			 void *ctx)
{
	struct mx_handle *h;
	u32 i, n = 0;

	lockdep_assert_held(&t->lock);
	for (i = 0; i < t->nr_slots; i++) {
		h = t->slots[i].h;
		if (!h || h == MX_HT_RESERVED)
			continue;
		fn(mx_ht_encode(t->mixer, i, t->slots[i].gen), h, ctx);
		n++;
	}
	return n;
}

/**
 * mx_ht_check_fields() - the checks every lookup by value makes
 * @found: a handle had the value
 * @have: its rights
 * @type: its object's MX_OBJ_TYPE_*
 * @rights: rights the handle must have
 * @want_type: the type it must name, or MX_OBJ_TYPE_NONE for any
 *
 * The one place for the reference's order: bad handle, then rights, then
 * type. Callers that cannot dereference the handle (lookups without the
 * table lock) pass what they read of it.
 *
 * Return: 0, MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED or MX_ERR_WRONG_TYPE.
 */
int mx_ht_check_fields(bool found, u32 have, u32 type, u32 rights,
		       u32 want_type)
{
	if (!found)
		return MX_ERR_BAD_HANDLE;
	if ((have & rights) != rights)
		return MX_ERR_ACCESS_DENIED;
	if (want_type != MX_OBJ_TYPE_NONE && type != want_type)
		return MX_ERR_WRONG_TYPE;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_check_fields);

/**
 * mx_ht_check_locked() - find the handle a value names and check it
 * @t: the table
 * @value: the value
 * @rights: rights the handle must have
 * @ops: the type it must name, or NULL for any type
 * @out: out: the handle, valid only while @t->lock is held
 *
 * Context: @t->lock held.
 * Return: as mx_ht_check_fields().
 */
int mx_ht_check_locked(struct mx_handle_table *t, s32 value, u32 rights,
		       const struct mx_object_ops *ops, struct mx_handle **out)
{
	struct mx_handle *h;
	int ret;

	lockdep_assert_held(&t->lock);
	h = mx_ht_lookup_locked(t, value);
	ret = mx_ht_check_fields(h, h ? h->rights : 0, h ? h->type : 0,
				 rights, ops ? ops->type : MX_OBJ_TYPE_NONE);
	if (!ret)
		*out = h;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_check_locked);

/**
 * mx_ht_check_waitable_locked() - mx_ht_check_locked() for a wait
 * @t: the table
 * @value: the value
 * @rights: rights the handle must have
 * @out: out: the handle, valid only while @t->lock is held
 *
 * Context: @t->lock held.
 * Return: as mx_ht_check_fields(), then MX_ERR_NOT_SUPPORTED for an object
 * with no signal state.
 */
int mx_ht_check_waitable_locked(struct mx_handle_table *t, s32 value,
				u32 rights, struct mx_handle **out)
{
	int ret;

	lockdep_assert_held(&t->lock);
	ret = mx_ht_check_locked(t, value, rights, NULL, out);
	if (!ret && !(*out)->obj->ops->waitable)
		ret = MX_ERR_NOT_SUPPORTED;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_check_waitable_locked);

/**
 * mx_ht_check_transfer_locked() - check the handles one call moves
 * @t: the table
 * @values: their values
 * @n: how many
 * @rights: rights each must have (MX_RIGHT_TRANSFER, or 0)
 * @exclude: an object none may name (a channel's own endpoint), or NULL
 * @hs: out: the handles, valid only while @t->lock is held
 *
 * In the reference's order: for each in turn a bad handle, @exclude
 * (MX_ERR_NOT_SUPPORTED), a missing right; then the same handle twice.
 * The caller moves them (mx_ht_remove_locked() or mx_ht_hold_locked())
 * in the same hold of the lock.
 *
 * Context: @t->lock held.
 * Return: 0, MX_ERR_BAD_HANDLE, MX_ERR_NOT_SUPPORTED, MX_ERR_ACCESS_DENIED
 * or MX_ERR_INVALID_ARGS.
 */
int mx_ht_check_transfer_locked(struct mx_handle_table *t, const s32 *values,
				u32 n, u32 rights,
				const struct mx_object *exclude,
				struct mx_handle **hs)
{
	struct mx_handle *h;
	u32 i, j;

	lockdep_assert_held(&t->lock);
	for (i = 0; i < n; i++) {
		h = mx_ht_lookup_locked(t, values[i]);
		if (!h)
			return MX_ERR_BAD_HANDLE;
		if (exclude && h->obj == exclude)
			return MX_ERR_NOT_SUPPORTED;
		if ((h->rights & rights) != rights)
			return MX_ERR_ACCESS_DENIED;
		hs[i] = h;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (hs[i] == hs[j])
				return MX_ERR_INVALID_ARGS;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_check_transfer_locked);

/**
 * mx_ht_get() - look up a handle's object, checking rights and type
 * @t: the table
 * @value: the handle value
 * @rights: rights the handle must have
 * @ops: the type it must name, or NULL for any type
 * @obj: out: the object, with a reference the caller must put
 * @have: out (may be NULL): the handle's rights
 *
 * The caller acts on the object from then on, never on the table by
 * @value again (see the rule at the top of the file).
 *
 * Return: as mx_ht_check_fields().
 */
int mx_ht_get(struct mx_handle_table *t, s32 value, u32 rights,
	      const struct mx_object_ops *ops, struct mx_object **obj,
	      u32 *have)
{
	struct mx_handle *h;
	int ret;

	spin_lock(&t->lock);
	ret = mx_ht_check_locked(t, value, rights, ops, &h);
	if (!ret) {
		mx_object_get(h->obj);
		*obj = h->obj;
		if (have)
			*have = h->rights;
	}
	spin_unlock(&t->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_get);

/**
 * mx_ht_hold_locked() - check a handle and take it out of its slot, keeping
 *	the slot
 * @t: the table
 * @value: the value
 * @rights: rights the handle must have
 * @ops: the type it must name, or NULL for any type
 * @hold: out: the handle and its slot
 *
 * The slot stays reserved: @value names nothing until the hold ends, and
 * no other handle can take the slot, so the holder may touch user memory
 * and then act on exactly the handle it checked. The handle stays counted
 * (its object's handle count does not change) and its waits go on. End
 * the hold with mx_ht_unhold() (back in place, same value) or
 * mx_ht_release_hold_locked() (the holder keeps the handle).
 *
 * Context: @t->lock held.
 * Return: as mx_ht_check_fields().
 */
int mx_ht_hold_locked(struct mx_handle_table *t, s32 value, u32 rights,
		      const struct mx_object_ops *ops, struct mx_ht_hold *hold)
{
	struct mx_ht_slot *s;
	struct mx_handle *h;
	int ret;

	lockdep_assert_held(&t->lock);
	ret = mx_ht_check_locked(t, value, rights, ops, &h);
	if (ret)
		return ret;
	s = mx_ht_slot_locked(t, value);
	hold->index = s - t->slots;
	hold->h = h;
	mx_ht_set_slot_locked(t, s, MX_HT_RESERVED, s->gen);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_hold_locked);

int mx_ht_hold(struct mx_handle_table *t, s32 value, u32 rights,
	       const struct mx_object_ops *ops, struct mx_ht_hold *hold)
{
	int ret;

	spin_lock(&t->lock);
	ret = mx_ht_hold_locked(t, value, rights, ops, hold);
	spin_unlock(&t->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_hold);

/**
 * mx_ht_unhold() - put a held handle back, with the value it had
 * @t: the table
 * @hold: from mx_ht_hold()
 *
 * If the table was closed meanwhile (its process is gone), the handle is
 * closed instead.
 *
 * Context: process context, no mx lock held.
 */
void mx_ht_unhold(struct mx_handle_table *t, struct mx_ht_hold *hold)
{
	struct mx_ht_slot *s;
	bool closed;

	spin_lock(&t->lock);
	s = &t->slots[hold->index];
	WARN_ON_ONCE(s->h != MX_HT_RESERVED);
	closed = t->closed;
	if (closed) {
		mx_ht_free_slot_locked(t, hold->index);
		t->count--;
	} else {
		mx_ht_set_slot_locked(t, s, hold->h, s->gen);
	}
	spin_unlock(&t->lock);
	if (closed)
		mx_handle_destroy(hold->h);
	hold->h = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_unhold);

/**
 * mx_ht_release_hold_locked() - end a hold, keeping the handle
 * @t: the table
 * @hold: from mx_ht_hold(); @hold->h is the caller's from now on (still
 *	counted: to be moved elsewhere or destroyed)
 *
 * The slot is freed: the value is gone for good.
 *
 * Context: @t->lock held.
 */
void mx_ht_release_hold_locked(struct mx_handle_table *t,
			       struct mx_ht_hold *hold)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(t->slots[hold->index].h != MX_HT_RESERVED);
	mx_ht_free_slot_locked(t, hold->index);
	t->count--;
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_release_hold_locked);

/**
 * mx_ht_close_all() - close every handle, for good
 * @t: the table of a process that is gone
 *
 * Later reservations fail with MX_ERR_BAD_STATE, so nothing can be added
 * back while or after the table is emptied.
 *
 * Context: process context, no mx lock held.
 */
void mx_ht_close_all(struct mx_handle_table *t)
{
	struct mx_handle *h, *tmp;
	LIST_HEAD(dead);
	u32 i;

	spin_lock(&t->lock);
	t->closed = true;
	for (i = 0; i < t->nr_slots; i++) {
		h = t->slots[i].h;
		if (!h || h == MX_HT_RESERVED)
			continue;
		list_add_tail(&h->node, &dead);
		mx_ht_free_slot_locked(t, i);
		t->count--;
	}
	spin_unlock(&t->lock);

	list_for_each_entry_safe(h, tmp, &dead, node) {
		list_del_init(&h->node);
		mx_handle_destroy(h);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mx_ht_close_all);
