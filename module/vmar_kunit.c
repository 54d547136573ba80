// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of VMAR placement (vmar.c): the places a walk of gaps
 * counts, which one a pick lands on, gaps that fit exactly or not at all,
 * and the root VMAR's range without overflow. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * Locking: none; the function under test is pure.
 */
#include <kunit/test.h>

#include "vmar.h"

#define PG	PAGE_SIZE

/* A walk over @n gaps [starts[i], ends[i]): the count, and *@addr. */
static u64 mx_kt_walk(const unsigned long *starts, const unsigned long *ends,
		      unsigned int n, unsigned long size, u64 pick,
		      unsigned long *addr)
{
	u64 slots = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		mx_vmar_gap_places(starts[i], ends[i], size, pick, &slots,
				   addr);
	return slots;
}

static const unsigned long mx_kt_starts[] = { 0x10000, 0x20000, 0x30000 };
static const unsigned long mx_kt_ends[] = { 0x14000, 0x21000, 0x30000 };

/* Every page-aligned start that fits is one place, in address order. */
static void mx_vmar_places_in_order(struct kunit *test)
{
	unsigned long addr = 0;

	KUNIT_EXPECT_EQ(test, mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, PG,
					 U64_MAX, &addr), 5);
	KUNIT_EXPECT_EQ(test, addr, 0UL);
	mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, PG, 0, &addr);
	KUNIT_EXPECT_EQ(test, addr, 0x10000UL);
	mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, PG, 3, &addr);
	KUNIT_EXPECT_EQ(test, addr, 0x13000UL);
	mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, PG, 4, &addr);
	KUNIT_EXPECT_EQ(test, addr, 0x20000UL);
}

/* A gap of exactly the size is one place; a smaller one none. */
static void mx_vmar_places_exact_and_none(struct kunit *test)
{
	unsigned long addr = 0;

	KUNIT_EXPECT_EQ(test, mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, 4 * PG,
					 0, &addr), 1);
	KUNIT_EXPECT_EQ(test, addr, 0x10000UL);
	addr = 0;
	KUNIT_EXPECT_EQ(test, mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, 5 * PG,
					 0, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, 0UL);
	/* Two pages: three places in the first gap, none in the others. */
	KUNIT_EXPECT_EQ(test, mx_kt_walk(mx_kt_starts, mx_kt_ends, 3, 2 * PG,
					 2, &addr), 3);
	KUNIT_EXPECT_EQ(test, addr, 0x12000UL);
}

/* The root VMAR's whole range counts without overflow. */
static void mx_vmar_places_root(struct kunit *test)
{
	unsigned long start = MX_VMAR_ROOT_BASE, end = MX_VMAR_ROOT_END;
	unsigned long addr = 0;
	u64 n = (end - start) / PG;

	KUNIT_EXPECT_EQ(test, mx_kt_walk(&start, &end, 1, PG, n - 1, &addr),
			n);
	KUNIT_EXPECT_EQ(test, addr, end - PG);
	KUNIT_EXPECT_EQ(test, mx_kt_walk(&start, &end, 1, end - start, 0,
					 &addr), 1);
	KUNIT_EXPECT_EQ(test, addr, start);
}

static struct kunit_case mx_vmar_cases[] = {
	KUNIT_CASE(mx_vmar_places_in_order),
	KUNIT_CASE(mx_vmar_places_exact_and_none),
	KUNIT_CASE(mx_vmar_places_root),
	{}
};

static struct kunit_suite mx_vmar_suite = {
	.name = "mx_vmar_placement",
	.test_cases = mx_vmar_cases,
};

kunit_test_suite(mx_vmar_suite);
