// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites of the handle table (handle_table.c): the encoding of
 * values, rights arithmetic, reservation, growth, generations, limits,
 * holds and the checks of a transfer.
 *
 * The KUnit suites are one module of their own (mx_kunit.ko), built on
 * kernels with KUnit from the *_kunit.c files beside the code they test;
 * each file registers its own suites. They reach mx.ko's internals
 * through the symbols it exports to the EXPORTED_FOR_KUNIT_TESTING
 * namespace. This file also carries the module's own information.
 *
 * Locking: each case owns its tables; the table lock is taken as the
 * code under test requires.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "event.h"
#include "eventpair.h"
#include "handle_table.h"
#include "kunit_util.h"
#include "object.h"

/*
 * MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING), in the form every kernel
 * accepts: the macro took a bare name up to 6.12 and takes a string
 * literal from 6.13 on, and both expand to this modinfo tag.
 */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");

/* ---- mx_handle_value: the encoding of values --------------------------- */

static void mx_handle_value_odd_positive(struct kunit *test)
{
	u32 mixer, index, gen, i;
	s32 v;

	for (i = 0; i < 1000; i++) {
		mixer = mx_ht_new_mixer();
		KUNIT_EXPECT_EQ(test, mixer & 3, 0u);
		KUNIT_EXPECT_EQ(test, mixer & 0x80000000u, 0u);
		index = i * 257 % MX_HT_MAX_SLOTS;
		gen = i % (1u << MX_HT_GEN_BITS);
		v = mx_ht_encode(mixer, index, gen);
		KUNIT_EXPECT_GT(test, v, 0);
		KUNIT_EXPECT_EQ(test, v & 1, 1);
	}
}

static void mx_handle_value_round_trip(struct kunit *test)
{
	u32 mixer = mx_ht_new_mixer();
	u32 index, gen, gi, gg;

	for (index = 0; index < MX_HT_MAX_SLOTS; index += 4099) {
		for (gen = 0; gen < (1u << MX_HT_GEN_BITS); gen += 511) {
			s32 v = mx_ht_encode(mixer, index, gen);

			KUNIT_ASSERT_TRUE(test, mx_ht_decode(mixer, v, &gi, &gg));
			KUNIT_EXPECT_EQ(test, gi, index);
			KUNIT_EXPECT_EQ(test, gg, gen);
		}
	}
}

static void mx_handle_value_rejects_impossible(struct kunit *test)
{
	u32 index, gen;

	KUNIT_EXPECT_FALSE(test, mx_ht_decode(0, 0, &index, &gen));
	KUNIT_EXPECT_FALSE(test, mx_ht_decode(0, -1, &index, &gen));
	KUNIT_EXPECT_FALSE(test, mx_ht_decode(0, 2, &index, &gen));
	KUNIT_EXPECT_FALSE(test, mx_ht_decode(0, S32_MIN, &index, &gen));
}

static void mx_handle_value_mixer_differs(struct kunit *test)
{
	u32 a = mx_ht_new_mixer(), b = mx_ht_new_mixer();

	/* Two processes: the same slot gets unrelated values. */
	if (a == b)
		b = a ^ 0x40000000u;
	KUNIT_EXPECT_NE(test, mx_ht_encode(a, 5, 0), mx_ht_encode(b, 5, 0));
}

static struct kunit_case mx_handle_value_cases[] = {
	KUNIT_CASE(mx_handle_value_odd_positive),
	KUNIT_CASE(mx_handle_value_round_trip),
	KUNIT_CASE(mx_handle_value_rejects_impossible),
	KUNIT_CASE(mx_handle_value_mixer_differs),
	{}
};

static struct kunit_suite mx_handle_value_suite = {
	.name = "mx_handle_value",
	.test_cases = mx_handle_value_cases,
};

/* ---- mx_rights: duplicate/replace arithmetic ----------------------------- */

struct mx_rights_case {
	const char *desc;
	u32 have, want, out;
	int ret;
};

static const struct mx_rights_case mx_rights_cases_table[] = {
	{ "same rights", 0x0f, MX_RIGHT_SAME_RIGHTS, 0x0f, 0 },
	{ "subset", 0x0f, MX_RIGHT_READ, MX_RIGHT_READ, 0 },
	{ "no rights", 0x0f, 0, 0, 0 },
	{ "equal", 0x0e, 0x0e, 0x0e, 0 },
	{ "more rights", MX_RIGHT_READ, MX_RIGHT_READ | MX_RIGHT_WRITE, 0,
	  MX_ERR_INVALID_ARGS },
	{ "same rights bit mixed in", 0x0f, MX_RIGHT_SAME_RIGHTS | 1, 0,
	  MX_ERR_INVALID_ARGS },
};

static void mx_rights_case_desc(const struct mx_rights_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mx_rights, mx_rights_cases_table, mx_rights_case_desc);

static void mx_rights_reduce_table(struct kunit *test)
{
	const struct mx_rights_case *c = test->param_value;
	u32 out = 0xdead;

	KUNIT_EXPECT_EQ(test, mx_rights_reduce(c->have, c->want, &out), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, out, c->out);
}

static struct kunit_case mx_rights_cases[] = {
	KUNIT_CASE_PARAM(mx_rights_reduce_table, mx_rights_gen_params),
	{}
};

static struct kunit_suite mx_rights_suite = {
	.name = "mx_rights",
	.test_cases = mx_rights_cases,
};

/* ---- mx_handle_table ------------------------------------------------------ */

struct mx_ht_fixture {
	struct mx_handle_table t;
	struct mx_object *ev;
};

static int mx_ht_test_init(struct kunit *test)
{
	struct mx_ht_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mx_ht_init(&f->t, mx_ht_new_mixer(), 1000);
	f->ev = mx_event_new();
	if (!f->ev)
		return -ENOMEM;
	test->priv = f;
	return 0;
}

static void mx_ht_test_exit(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;

	mx_ht_close_all(&f->t);
	mx_ht_destroy(&f->t);
	mx_object_put(f->ev);
}

/* Install a new handle to the fixture's event; returns its value. */
static s32 mx_ht_test_add(struct kunit *test, u32 rights)
{
	struct mx_ht_fixture *f = test->priv;
	struct mx_handle *h = mx_handle_alloc(f->ev, rights);
	u32 index;
	s32 v;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, mx_ht_reserve(&f->t, &index, &v), 0);
	mx_ht_commit(&f->t, index, h);
	return v;
}

static void mx_ht_lookup_finds_installed(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ);
	struct mx_object *obj;
	u32 rights;

	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_READ, NULL, &obj,
					&rights), 0);
	KUNIT_EXPECT_PTR_EQ(test, obj, f->ev);
	KUNIT_EXPECT_EQ(test, rights, MX_RIGHT_READ);
	mx_object_put(obj);
}

static void mx_ht_get_check_order(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ);
	struct mx_object *obj;

	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v + 2, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
	/* Rights are checked before the type, as Magenta does. */
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_WRITE,
					&mx_eventpair_ops, &obj, NULL),
			MX_ERR_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_READ,
					&mx_eventpair_ops, &obj, NULL),
			MX_ERR_WRONG_TYPE);
}

static void mx_ht_removed_value_is_stale(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, 0);
	struct mx_handle *h;

	h = mx_ht_remove(&f->t, v);
	KUNIT_ASSERT_NOT_NULL(test, h);
	mx_handle_destroy(h);
	KUNIT_EXPECT_NULL(test, mx_ht_remove(&f->t, v));
}

static void mx_ht_values_not_reused_soon(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 *seen;
	int i, j;

	seen = kunit_kcalloc(test, 4096, sizeof(*seen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < 4096; i++) {
		s32 v = mx_ht_test_add(test, 0);
		struct mx_handle *h = mx_ht_remove(&f->t, v);

		KUNIT_ASSERT_NOT_NULL(test, h);
		mx_handle_destroy(h);
		seen[i] = v;
	}
	for (i = 0; i < 4096; i++)
		for (j = i + 1; j < 4096; j++)
			if (seen[i] == seen[j])
				KUNIT_FAIL(test, "value %d repeated after %d reuses",
					   seen[i], j - i);
}

static void mx_ht_limit_is_no_resources(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	u32 index;
	s32 v;
	int i;

	for (i = 0; i < 1000; i++)
		mx_ht_test_add(test, 0);
	KUNIT_EXPECT_EQ(test, mx_ht_reserve(&f->t, &index, &v),
			MX_ERR_NO_RESOURCES);
	KUNIT_EXPECT_EQ(test, f->t.count, 1000u);
}

static void mx_ht_reserved_slot_invisible(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	struct mx_object *obj;
	u32 index;
	s32 v;

	KUNIT_ASSERT_EQ(test, mx_ht_reserve(&f->t, &index, &v), 0);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
	mx_ht_unreserve(&f->t, index);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
}

static void mx_ht_closed_table_refuses(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	u32 index;
	s32 v;

	mx_ht_test_add(test, 0);
	mx_ht_close_all(&f->t);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_EXPECT_EQ(test, mx_ht_reserve(&f->t, &index, &v),
			MX_ERR_BAD_STATE);
}

/* A held value names nothing, and its slot goes to no other handle. */
static void mx_ht_held_value_names_nothing(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ), w;
	struct mx_ht_hold hold;
	struct mx_object *obj;
	struct mx_handle *h;
	int i;

	KUNIT_ASSERT_EQ(test, mx_ht_hold(&f->t, v, MX_RIGHT_READ, NULL, &hold),
			0);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
	KUNIT_EXPECT_NULL(test, mx_ht_remove(&f->t, v));
	/* More reuses than a generation has values never give out @v. */
	for (i = 0; i < 4200; i++) {
		w = mx_ht_test_add(test, 0);
		KUNIT_EXPECT_NE(test, w, v);
		h = mx_ht_remove(&f->t, w);
		KUNIT_ASSERT_NOT_NULL(test, h);
		mx_handle_destroy(h);
	}
	KUNIT_EXPECT_EQ(test, f->t.count, 1u);
	mx_ht_unhold(&f->t, &hold);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_READ, NULL, &obj,
					NULL), 0);
	mx_object_put(obj);
}

/* A hold checks as mx_ht_get() does, and takes nothing when it fails. */
static void mx_ht_hold_check_order(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ);
	struct mx_ht_hold hold;
	struct mx_object *obj;

	KUNIT_EXPECT_EQ(test, mx_ht_hold(&f->t, v + 2, 0, NULL, &hold),
			MX_ERR_BAD_HANDLE);
	KUNIT_EXPECT_EQ(test, mx_ht_hold(&f->t, v, MX_RIGHT_TRANSFER,
					 &mx_eventpair_ops, &hold),
			MX_ERR_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, mx_ht_hold(&f->t, v, MX_RIGHT_READ,
					 &mx_eventpair_ops, &hold),
			MX_ERR_WRONG_TYPE);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_READ, NULL, &obj,
					NULL), 0);
	mx_object_put(obj);
}

/* Released, the held handle is the holder's and the value is gone. */
static void mx_ht_released_hold_frees_the_value(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, 0);
	struct mx_ht_hold hold;
	struct mx_object *obj;

	KUNIT_ASSERT_EQ(test, mx_ht_hold(&f->t, v, 0, NULL, &hold), 0);
	spin_lock(&f->t.lock);
	mx_ht_release_hold_locked(&f->t, &hold);
	spin_unlock(&f->t.lock);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_EXPECT_PTR_EQ(test, hold.h->obj, f->ev);
	mx_handle_destroy(hold.h);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
}

/* A hold whose table is closed meanwhile closes its handle. */
static void mx_ht_unhold_after_close_destroys(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, 0);
	struct mx_ht_hold hold;

	KUNIT_ASSERT_EQ(test, mx_ht_hold(&f->t, v, 0, NULL, &hold), 0);
	mx_ht_close_all(&f->t);
	KUNIT_EXPECT_EQ(test, f->t.count, 1u);
	mx_ht_unhold(&f->t, &hold);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 0u);
}

/* mx_ht_check_transfer_locked() under the table lock, for the tests. */
static int mx_ht_test_transfer(struct mx_ht_fixture *f, const s32 *vals,
			       u32 n, const struct mx_object *exclude,
			       struct mx_handle **hs)
{
	int ret;

	spin_lock(&f->t.lock);
	ret = mx_ht_check_transfer_locked(&f->t, vals, n, MX_RIGHT_TRANSFER,
					  exclude, hs);
	spin_unlock(&f->t.lock);
	return ret;
}

/* The handles a call moves: bad, excluded, rights, twice, in that order. */
static void mx_ht_transfer_check_order(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 a = mx_ht_test_add(test, MX_RIGHT_TRANSFER);
	s32 b = mx_ht_test_add(test, 0);
	struct mx_handle *hs[2];
	s32 vals[2];

	vals[0] = a;
	/* Another generation of a's slot: a value that names nothing. */
	vals[1] = a ^ (1 << 30);
	KUNIT_EXPECT_EQ(test, mx_ht_test_transfer(f, vals, 2, NULL, hs),
			MX_ERR_BAD_HANDLE);
	vals[1] = b;
	KUNIT_EXPECT_EQ(test, mx_ht_test_transfer(f, vals, 2, f->ev, hs),
			MX_ERR_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, mx_ht_test_transfer(f, vals, 2, NULL, hs),
			MX_ERR_ACCESS_DENIED);
	vals[1] = a;
	KUNIT_EXPECT_EQ(test, mx_ht_test_transfer(f, vals, 2, NULL, hs),
			MX_ERR_INVALID_ARGS);
	KUNIT_EXPECT_EQ(test, mx_ht_test_transfer(f, vals, 1, NULL, hs), 0);
	KUNIT_EXPECT_PTR_EQ(test, hs[0]->obj, f->ev);
}

/* The first array has 64 slots; the 65th handle doubles it, values stay. */
static void mx_ht_grows_keeping_values(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	struct mx_object *obj;
	s32 v[65];
	int i;

	for (i = 0; i < 64; i++)
		v[i] = mx_ht_test_add(test, MX_RIGHT_READ);
	KUNIT_EXPECT_EQ(test, f->t.nr_slots, 64u);
	v[64] = mx_ht_test_add(test, MX_RIGHT_READ);
	KUNIT_EXPECT_EQ(test, f->t.nr_slots, 128u);
	KUNIT_EXPECT_EQ(test, f->t.count, 65u);
	for (i = 0; i < 65; i++) {
		KUNIT_ASSERT_EQ(test, mx_ht_get(&f->t, v[i], MX_RIGHT_READ,
						NULL, &obj, NULL), 0);
		KUNIT_EXPECT_PTR_EQ(test, obj, f->ev);
		mx_object_put(obj);
	}
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 65u);
}

/*
 * Slots are reused first in, first out, and a freed slot's generation
 * moves on: the slot of the first value comes back after the other 63
 * slots of the first array, one generation later.
 */
static void mx_ht_reuse_moves_generation(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 first = mx_ht_test_add(test, 0), v;
	u32 index, gen, i0, g0;
	int i;

	KUNIT_ASSERT_TRUE(test, mx_ht_decode(f->t.mixer, first, &i0, &g0));
	KUNIT_EXPECT_EQ(test, i0, 0u);
	KUNIT_EXPECT_EQ(test, g0, 0u);
	mx_kt_close(test, &f->t, first);
	for (i = 1; i < 64; i++) {
		v = mx_ht_test_add(test, 0);
		KUNIT_ASSERT_TRUE(test, mx_ht_decode(f->t.mixer, v, &index,
						     &gen));
		KUNIT_EXPECT_EQ(test, index, (u32)i);
		KUNIT_EXPECT_EQ(test, gen, 0u);
	}
	v = mx_ht_test_add(test, 0);
	KUNIT_ASSERT_TRUE(test, mx_ht_decode(f->t.mixer, v, &index, &gen));
	KUNIT_EXPECT_EQ(test, index, 0u);
	KUNIT_EXPECT_EQ(test, gen, 1u);
	KUNIT_EXPECT_NE(test, v, first);
	KUNIT_EXPECT_EQ(test, f->t.nr_slots, 64u);
}

/* A slot given back unused moves to the end of the line, a generation on. */
static void mx_ht_unreserve_moves_generation(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	struct mx_object *obj;
	u32 index, again;
	s32 v, w;

	KUNIT_ASSERT_EQ(test, mx_ht_reserve(&f->t, &index, &v), 0);
	KUNIT_EXPECT_EQ(test, f->t.count, 1u);
	mx_ht_unreserve(&f->t, index);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_EXPECT_EQ(test, f->t.slots[index].gen, 1u);
	KUNIT_ASSERT_EQ(test, mx_ht_reserve(&f->t, &again, &w), 0);
	KUNIT_EXPECT_NE(test, again, index);
	mx_ht_unreserve(&f->t, again);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
}

/* A replacement may take the one slot above the limit, and only that one. */
static void mx_ht_replace_reserves_above_limit(struct kunit *test)
{
	struct mx_handle_table *t = mx_kt_table(test, 2);
	struct mx_ht_fixture *f = test->priv;
	u32 index, spare;
	s32 v;

	mx_kt_install(test, t, f->ev, 0);
	mx_kt_install(test, t, f->ev, 0);
	KUNIT_EXPECT_EQ(test, mx_ht_reserve(t, &index, &v),
			MX_ERR_NO_RESOURCES);
	KUNIT_ASSERT_EQ(test, mx_ht_reserve_replace(t, &spare, &v), 0);
	KUNIT_EXPECT_EQ(test, t->count, 3u);
	KUNIT_EXPECT_EQ(test, mx_ht_reserve_replace(t, &index, &v),
			MX_ERR_NO_RESOURCES);
	mx_ht_unreserve(t, spare);
	KUNIT_EXPECT_EQ(test, t->count, 2u);
}

/* A limit above what values can name is cut to the slots there are. */
static void mx_ht_limit_clamped(struct kunit *test)
{
	struct mx_handle_table t;

	mx_ht_init(&t, 0, U32_MAX);
	KUNIT_EXPECT_EQ(test, t.limit, MX_HT_MAX_SLOTS - 1);
	mx_ht_init(&t, 0, 7);
	KUNIT_EXPECT_EQ(test, t.limit, 7u);
	mx_ht_destroy(&t);
}

/* Commit counts a new handle; placing one moved from elsewhere does not. */
static void mx_ht_commit_counts_place_moves(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ), w;
	struct mx_object *obj;
	struct mx_handle *h;
	u32 index;

	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 1u);
	h = mx_ht_remove(&f->t, v);
	KUNIT_ASSERT_NOT_NULL(test, h);
	/* Out of the table but not closed: still counted. */
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_ASSERT_EQ(test, mx_ht_reserve(&f->t, &index, &w), 0);
	spin_lock(&f->t.lock);
	mx_ht_place_locked(&f->t, index, h);
	spin_unlock(&f->t.lock);
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 1u);
	KUNIT_EXPECT_EQ(test, f->t.count, 1u);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
	KUNIT_ASSERT_EQ(test, mx_ht_get(&f->t, w, MX_RIGHT_READ, NULL, &obj,
					NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, obj, f->ev);
	mx_object_put(obj);
}

/* Closing a table closes every handle: counts and references go back. */
static void mx_ht_close_all_releases_objects(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	unsigned int refs = kref_read(&f->ev->ref);
	int i;

	for (i = 0; i < 3; i++)
		mx_ht_test_add(test, 0);
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 3u);
	KUNIT_EXPECT_EQ(test, kref_read(&f->ev->ref), refs + 3);
	KUNIT_EXPECT_EQ(test, mx_object_signals(f->ev), 0u);
	mx_ht_close_all(&f->t);
	KUNIT_EXPECT_EQ(test, f->t.count, 0u);
	KUNIT_EXPECT_EQ(test, f->ev->handle_count, 0u);
	KUNIT_EXPECT_EQ(test, kref_read(&f->ev->ref), refs);
}

/* mx_ht_get() hands out a reference of its own; a failed one none. */
static void mx_ht_get_references(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	s32 v = mx_ht_test_add(test, MX_RIGHT_READ);
	unsigned int refs = kref_read(&f->ev->ref);
	struct mx_object *obj;
	u32 rights = 0;

	KUNIT_ASSERT_EQ(test, mx_ht_get(&f->t, v, 0, NULL, &obj, &rights), 0);
	KUNIT_EXPECT_EQ(test, rights, MX_RIGHT_READ);
	KUNIT_EXPECT_EQ(test, kref_read(&f->ev->ref), refs + 1);
	mx_object_put(obj);
	KUNIT_EXPECT_EQ(test, mx_ht_get(&f->t, v, MX_RIGHT_WRITE, NULL, &obj,
					NULL), MX_ERR_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, kref_read(&f->ev->ref), refs);
}

/* A value of one table names nothing in another (another mixer). */
static void mx_ht_value_of_other_table(struct kunit *test)
{
	struct mx_ht_fixture *f = test->priv;
	struct mx_handle_table *a = mx_kt_table(test, 8);
	struct mx_handle_table *b = mx_kt_table(test, 8);
	struct mx_object *obj;
	s32 va, vb;

	/* Fixed mixers: the two values of slot 0 differ by generation. */
	a->mixer = 0;
	b->mixer = 0x40000000;
	va = mx_kt_install(test, a, f->ev, 0);
	vb = mx_kt_install(test, b, f->ev, 0);
	KUNIT_EXPECT_EQ(test, va, 1);
	KUNIT_EXPECT_EQ(test, vb, 0x40000001);
	KUNIT_EXPECT_EQ(test, mx_ht_get(b, va, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
	KUNIT_EXPECT_EQ(test, mx_ht_get(a, vb, 0, NULL, &obj, NULL),
			MX_ERR_BAD_HANDLE);
}

static struct kunit_case mx_handle_table_cases[] = {
	KUNIT_CASE(mx_ht_lookup_finds_installed),
	KUNIT_CASE(mx_ht_get_check_order),
	KUNIT_CASE(mx_ht_removed_value_is_stale),
	KUNIT_CASE(mx_ht_values_not_reused_soon),
	KUNIT_CASE(mx_ht_limit_is_no_resources),
	KUNIT_CASE(mx_ht_reserved_slot_invisible),
	KUNIT_CASE(mx_ht_closed_table_refuses),
	KUNIT_CASE(mx_ht_held_value_names_nothing),
	KUNIT_CASE(mx_ht_hold_check_order),
	KUNIT_CASE(mx_ht_released_hold_frees_the_value),
	KUNIT_CASE(mx_ht_unhold_after_close_destroys),
	KUNIT_CASE(mx_ht_transfer_check_order),
	KUNIT_CASE(mx_ht_grows_keeping_values),
	KUNIT_CASE(mx_ht_reuse_moves_generation),
	KUNIT_CASE(mx_ht_unreserve_moves_generation),
	KUNIT_CASE(mx_ht_replace_reserves_above_limit),
	KUNIT_CASE(mx_ht_limit_clamped),
	KUNIT_CASE(mx_ht_commit_counts_place_moves),
	KUNIT_CASE(mx_ht_close_all_releases_objects),
	KUNIT_CASE(mx_ht_get_references),
	KUNIT_CASE(mx_ht_value_of_other_table),
	{}
};

static struct kunit_suite mx_handle_table_suite = {
	.name = "mx_handle_table",
	.init = mx_ht_test_init,
	.exit = mx_ht_test_exit,
	.test_cases = mx_handle_table_cases,
};

kunit_test_suites(&mx_handle_value_suite, &mx_rights_suite,
		  &mx_handle_table_suite);

MODULE_DESCRIPTION("KUnit tests for mx");
MODULE_LICENSE("GPL");
