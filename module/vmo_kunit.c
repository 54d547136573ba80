// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of VMOs (vmo.c): pages made on first write and only then,
 * reads of absent pages, clones reading through to their parent's current
 * pages and copying on their first write, commit all or nothing at the
 * user's bound, decommit and shrink freeing pages, the bound on a chain
 * of clones, and what each leaves charged. Part of mx_kunit.ko (see
 * handle_table_kunit.c).
 *
 * Bytes move through mx_vmo_xfer() with a copy function of the suite's,
 * to and from kernel buffers. The VMOs are charged to the case's own user
 * (root's); cases look at the difference in what is charged. The
 * max_user_vmo_pages a case lowers is put back by the suite's exit.
 *
 * Locking: each case owns its VMOs; the family lock is taken by the code
 * under test.
 */
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "kunit_util.h"
#include "vmo.h"

static size_t mx_vmo_kt_out(struct page *page, size_t off, size_t n,
			    void *ctx)
{
	char **buf = ctx;

	memcpy_from_page(*buf, page, off, n);
	*buf += n;
	return 0;
}

static size_t mx_vmo_kt_in(struct page *page, size_t off, size_t n,
			   void *ctx)
{
	char **buf = ctx;

	memcpy_to_page(page, off, *buf, n);
	*buf += n;
	return 0;
}

static void mx_vmo_kt_write(struct kunit *test, struct mx_vmo *vmo, u64 pos,
			    const char *s)
{
	char *p = (char *)s;
	size_t done;

	KUNIT_ASSERT_EQ(test, mx_vmo_xfer(vmo, pos, strlen(s), true,
					  mx_vmo_kt_in, &p, &done), 0);
	KUNIT_ASSERT_EQ(test, done, strlen(s));
}

/* One byte of @vmo at @pos. */
static char mx_vmo_kt_byte(struct kunit *test, struct mx_vmo *vmo, u64 pos)
{
	char c = 0x5a, *p = &c;
	size_t done;

	KUNIT_ASSERT_EQ(test, mx_vmo_xfer(vmo, pos, 1, false, mx_vmo_kt_out,
					  &p, &done), 0);
	KUNIT_ASSERT_EQ(test, done, 1);
	return c;
}

static u64 mx_vmo_kt_committed(struct mx_vmo *vmo)
{
	struct mx_info_vmo rec;

	mx_vmo_info(vmo, &rec);
	return rec.committed_bytes >> PAGE_SHIFT;
}

static struct mx_vmo *mx_vmo_kt_new(struct kunit *test, u64 size)
{
	struct mx_vmo *vmo = NULL;

	KUNIT_ASSERT_EQ(test, mx_vmo_new(size, &vmo), 0);
	return vmo;
}

static void mx_vmo_kt_put(struct mx_vmo *vmo)
{
	mx_object_put(mx_vmo_obj(vmo));
}

static int mx_vmo_test_init(struct kunit *test)
{
	unsigned long *saved;

	saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	*saved = READ_ONCE(mx_max_user_vmo_pages);
	test->priv = saved;
	return 0;
}

static void mx_vmo_test_exit(struct kunit *test)
{
	WRITE_ONCE(mx_max_user_vmo_pages, *(unsigned long *)test->priv);
}

/* The size is kept as given; reads give zeros and make no page. */
static void mx_vmo_reads_make_no_page(struct kunit *test)
{
	struct mx_vmo *vmo = mx_vmo_kt_new(test, 3 * PAGE_SIZE + 5);

	KUNIT_EXPECT_EQ(test, mx_vmo_size(vmo), 3 * PAGE_SIZE + 5);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, 0), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, 3 * PAGE_SIZE + 4), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 0);
	/* A write makes the one page it touches. */
	mx_vmo_kt_write(test, vmo, PAGE_SIZE + 7, "ab");
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 1);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, PAGE_SIZE + 8), 'b');
	mx_vmo_kt_put(vmo);
	KUNIT_EXPECT_EQ(test, mx_vmo_new(MX_VMO_MAX_SIZE + 1, &vmo),
			MX_ERR_NO_MEMORY);
}

/* A size lowered under a copy ends it at the new size. */
static void mx_vmo_xfer_stops_at_size(struct kunit *test)
{
	struct mx_vmo *vmo = mx_vmo_kt_new(test, 2 * PAGE_SIZE);
	char buf[8], *p = buf;
	size_t done;

	KUNIT_ASSERT_EQ(test, mx_vmo_set_size(vmo, 3), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_xfer(vmo, 0, sizeof(buf), false,
					  mx_vmo_kt_out, &p, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 3);
	mx_vmo_kt_put(vmo);
}

/*
 * A clone reads its parent's page as it is now, copies it on its first
 * write, and then keeps its own; beyond the parent's size it reads zeros.
 */
static void mx_vmo_clone_reads_through(struct kunit *test)
{
	struct mx_vmo *p = mx_vmo_kt_new(test, 2 * PAGE_SIZE), *c = NULL;

	mx_vmo_kt_write(test, p, PAGE_SIZE, "p1");
	KUNIT_ASSERT_EQ(test, mx_vmo_clone(p, PAGE_SIZE, 3 * PAGE_SIZE, false,
					   &c), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, 0), 'p');
	mx_vmo_kt_write(test, p, PAGE_SIZE, "q");
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, 0), 'q');
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(c), 0);
	mx_vmo_kt_write(test, c, 1, "z");
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(c), 1);
	/* The copy took the parent's page as it was. */
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, 0), 'q');
	mx_vmo_kt_write(test, p, PAGE_SIZE, "r");
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, 0), 'q');
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, p, PAGE_SIZE + 1), '1');
	/* Past the parent's end: zeros, until the parent grows there. */
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, mx_vmo_set_size(p, 3 * PAGE_SIZE), 0);
	mx_vmo_kt_write(test, p, 2 * PAGE_SIZE, "g");
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, PAGE_SIZE), 'g');
	/* The clone keeps its parent: put the parent first. */
	mx_vmo_kt_put(p);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, c, PAGE_SIZE), 'g');
	mx_vmo_kt_put(c);
}

/* A commit past the user's bound makes no page at all. */
static void mx_vmo_commit_all_or_nothing(struct kunit *test)
{
	struct mx_vmo *vmo = mx_vmo_kt_new(test, 8 * PAGE_SIZE);
	u64 pa[2];

	mx_vmo_kt_write(test, vmo, 2 * PAGE_SIZE, "x");
	/* The user has a page already: a bound of 0 leaves no room. */
	WRITE_ONCE(mx_max_user_vmo_pages, 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_commit(vmo, 0, PAGE_SIZE),
			MX_ERR_NO_MEMORY);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 1);
	WRITE_ONCE(mx_max_user_vmo_pages, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, mx_vmo_commit(vmo, 1, 3 * PAGE_SIZE), 0);
	/* Bytes 1 to 3 pages + 1 touch pages 0 to 3; page 2 was there. */
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 4);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, 2 * PAGE_SIZE), 'x');
	KUNIT_EXPECT_EQ(test, mx_vmo_lookup(vmo, 0, 2, pa), 0);
	KUNIT_EXPECT_NE(test, pa[0], pa[1]);
	KUNIT_EXPECT_EQ(test, mx_vmo_lookup(vmo, 3, 2, pa), MX_ERR_NO_MEMORY);
	mx_vmo_kt_put(vmo);
}

/*
 * Decommit frees the whole pages a range touches; a shrink frees the
 * pages past the new size and keeps the tail of the last.
 */
static void mx_vmo_decommit_and_shrink_free(struct kunit *test)
{
	struct mx_vmo *vmo = mx_vmo_kt_new(test, 4 * PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, mx_vmo_commit(vmo, 0, 4 * PAGE_SIZE), 0);
	mx_vmo_kt_write(test, vmo, PAGE_SIZE + 100, "d");
	mx_vmo_kt_write(test, vmo, 20, "t");
	KUNIT_EXPECT_EQ(test, mx_vmo_decommit(vmo, PAGE_SIZE + 50, 60), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 3);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, PAGE_SIZE + 100), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_set_size(vmo, 10), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_committed(vmo), 1);
	KUNIT_EXPECT_EQ(test, mx_vmo_set_size(vmo, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, vmo, 20), 't');
	mx_vmo_kt_put(vmo);
}

/* A chain of clones is bounded; its end still reads the first VMO. */
static void mx_vmo_clone_depth_bounded(struct kunit *test)
{
	struct mx_vmo *chain[MX_VMO_MAX_DEPTH + 1], *c = NULL;
	int i;

	chain[0] = mx_vmo_kt_new(test, PAGE_SIZE);
	mx_vmo_kt_write(test, chain[0], 0, "0");
	for (i = 1; i <= MX_VMO_MAX_DEPTH; i++)
		KUNIT_ASSERT_EQ(test, mx_vmo_clone(chain[i - 1], 0, PAGE_SIZE,
						   false, &chain[i]), 0);
	KUNIT_EXPECT_EQ(test, mx_vmo_clone(chain[MX_VMO_MAX_DEPTH], 0,
					   PAGE_SIZE, false, &c),
			MX_ERR_NO_RESOURCES);
	KUNIT_EXPECT_EQ(test, mx_vmo_kt_byte(test, chain[MX_VMO_MAX_DEPTH], 0),
			'0');
	for (i = MX_VMO_MAX_DEPTH; i >= 0; i--)
		mx_vmo_kt_put(chain[i]);
}

static struct kunit_case mx_vmo_cases[] = {
	KUNIT_CASE(mx_vmo_reads_make_no_page),
	KUNIT_CASE(mx_vmo_xfer_stops_at_size),
	KUNIT_CASE(mx_vmo_clone_reads_through),
	KUNIT_CASE(mx_vmo_commit_all_or_nothing),
	KUNIT_CASE(mx_vmo_decommit_and_shrink_free),
	KUNIT_CASE(mx_vmo_clone_depth_bounded),
	{}
};

static struct kunit_suite mx_vmo_suite = {
	.name = "mx_vmo",
	.init = mx_vmo_test_init,
	.exit = mx_vmo_test_exit,
	.test_cases = mx_vmo_cases,
};

kunit_test_suite(mx_vmo_suite);
