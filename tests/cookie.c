// SPDX-License-Identifier: MIT
/*
 * Cookies: mx_object_set_cookie, mx_object_get_cookie (reference §6.1 and
 * Magenta's core/cookies suite: test_cookie_actions,
 * test_cookie_eventpair), plus the scope being a koid, cookies that travel
 * with their object, a held copy-out, and another user.
 */
#include "mxtest.h"
#include "held.h"

static void eventpair(mx_handle_t *a, mx_handle_t *b)
{
	ASSERT_OK(mx_eventpair_create(0, a, b));
}

/* test_cookie_actions */
TEST(cookie_actions)
{
	mx_handle_t ev = mxt_event(), scope = mxt_event(),
		    other = mxt_event();
	uint64_t c = 0xa5a5;

	/* Unset. */
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(c, 0xa5a5);
	/* Set, get. */
	ASSERT_OK(mx_object_set_cookie(ev, scope, 0x1234567812345678ull));
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 0x1234567812345678ull);
	/* A bad out pointer. */
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, (uint64_t *)4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	/* No jar. */
	ASSERT_STATUS(mx_object_set_cookie(mx_process_self(), scope, 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_get_cookie(mx_process_self(), scope, &c),
		      MX_ERR_NOT_SUPPORTED);
	/* Another scope. */
	c = 7;
	ASSERT_STATUS(mx_object_get_cookie(ev, other, &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(c, 7);
	ASSERT_STATUS(mx_object_set_cookie(ev, other, 2),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 0x1234567812345678ull);
	/* The same scope overwrites. */
	ASSERT_OK(mx_object_set_cookie(ev, scope, 0));
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 0);
	ASSERT_OK(mx_object_set_cookie(ev, scope, 99));
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 99);
	/* Bad handles, the scope first. */
	ASSERT_STATUS(mx_object_set_cookie(ev, MX_HANDLE_INVALID, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_cookie(ev, MX_HANDLE_INVALID, &c),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_set_cookie(MX_HANDLE_INVALID, scope, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_cookie(MX_HANDLE_INVALID, scope, &c),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_set_cookie(mx_process_self(),
					   MX_HANDLE_INVALID, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_cookie(mx_process_self(), 0x7ffffff1,
					   NULL), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 99);
}

/* Only events and eventpairs have a jar. */
TEST(no_jar_types)
{
	mx_handle_t scope = mxt_event(), a, b, vmo = 0;
	uint64_t c;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_STATUS(mx_object_set_cookie(a, scope, 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_get_cookie(a, scope, &c),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_set_cookie(vmo, scope, 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_get_cookie(vmo, scope, NULL),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_set_cookie(mx_thread_self(), scope, 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_object_set_cookie(mx_vmar_root_self(), scope, 1),
		      MX_ERR_NOT_SUPPORTED);
}

/* The scope is any object, known by its koid; no right is needed. */
TEST(scope_is_a_koid)
{
	mx_handle_t ev = mxt_event(), scope = mxt_event(), dup, bare, evbare;
	mx_handle_t ev2 = mxt_event();
	uint64_t c = 0;

	ASSERT_OK(mx_handle_duplicate(scope, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_handle_duplicate(scope, 0, &bare));
	ASSERT_OK(mx_handle_duplicate(ev, 0, &evbare));
	ASSERT_OK(mx_object_set_cookie(evbare, bare, 5));
	ASSERT_OK(mx_object_get_cookie(ev, dup, &c));
	ASSERT_EQ(c, 5);
	/* Scope closed: still reachable through another of its handles. */
	ASSERT_OK(mx_handle_close(scope));
	ASSERT_OK(mx_object_set_cookie(ev, dup, 6));
	ASSERT_OK(mx_object_get_cookie(ev, bare, &c));
	ASSERT_EQ(c, 6);
	/* The object itself, or a process, can be a scope. */
	ASSERT_OK(mx_object_set_cookie(dup, dup, 8));
	ASSERT_OK(mx_object_get_cookie(bare, bare, &c));
	ASSERT_EQ(c, 8);
	ASSERT_OK(mx_object_set_cookie(evbare, dup, 9));
	ASSERT_STATUS(mx_object_get_cookie(ev, mx_process_self(), &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_set_cookie(ev2, mx_process_self(), 10));
	ASSERT_OK(mx_object_get_cookie(ev2, mx_process_self(), &c));
	ASSERT_EQ(c, 10);
}

/* test_cookie_eventpair: the peer's last handle invalidates the jar */
static void eventpair_invalidates(int close_first)
{
	mx_handle_t side[2], scope = mxt_event(), dup;
	uint64_t c = 0;
	int keep = !close_first;

	eventpair(&side[0], &side[1]);
	ASSERT_OK(mx_object_set_cookie(side[0], scope, 100));
	ASSERT_OK(mx_object_set_cookie(side[1], scope, 101));
	ASSERT_OK(mx_object_get_cookie(side[0], scope, &c));
	ASSERT_EQ(c, 100);
	ASSERT_OK(mx_object_get_cookie(side[1], scope, &c));
	ASSERT_EQ(c, 101);
	/* Not the last handle: nothing happens. */
	ASSERT_OK(mx_handle_duplicate(side[close_first], MX_RIGHT_SAME_RIGHTS,
				      &dup));
	ASSERT_OK(mx_handle_close(side[close_first]));
	ASSERT_OK(mx_object_get_cookie(side[keep], scope, &c));
	ASSERT_EQ(c, 100 + keep);
	ASSERT_OK(mx_object_get_cookie(dup, scope, &c));
	ASSERT_EQ(c, 100 + close_first);
	/* The last. */
	ASSERT_OK(mx_handle_close(dup));
	c = 3;
	ASSERT_STATUS(mx_object_get_cookie(side[keep], scope, &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(c, 3);
	ASSERT_STATUS(mx_object_set_cookie(side[keep], scope, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_set_cookie(side[keep], mxt_event(), 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_cookie(side[keep], mx_process_self(), &c),
		      MX_ERR_ACCESS_DENIED);
}

TEST(cookie_eventpair_close_side0)
{
	eventpair_invalidates(0);
}

TEST(cookie_eventpair_close_side1)
{
	eventpair_invalidates(1);
}

/* An unset jar is invalidated as well. */
TEST(cookie_eventpair_unset_jar)
{
	mx_handle_t a, b, scope = mxt_event();
	uint64_t c;

	eventpair(&a, &b);
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(mx_object_set_cookie(a, scope, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_cookie(a, scope, &c),
		      MX_ERR_ACCESS_DENIED);
}

/* The cookie belongs to the object: it goes through a channel with it. */
TEST(cookie_travels_with_the_object)
{
	mx_handle_t ev = mxt_event(), scope = mxt_event(), a, b, got = 0;
	uint32_t nb = 0, nh = 0;
	uint64_t c = 0;

	mxt_channel(&a, &b);
	ASSERT_OK(mx_object_set_cookie(ev, scope, 0xfeed));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &ev, 1));
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_OK(mx_object_get_cookie(got, scope, &c));
	ASSERT_EQ(c, 0xfeed);
	ASSERT_EQ(mxt_basic(got).type, MX_OBJ_TYPE_EVENT);
}

/*
 * The copy out comes after the handles were looked up: closing them while
 * the copy is held changes nothing.
 */
struct close_pair {
	mx_handle_t ev, scope;
};

static void close_both(void *arg)
{
	struct close_pair *cp = arg;

	ASSERT_OK(mx_handle_close(cp->ev));
	ASSERT_OK(mx_handle_close(cp->scope));
}

TEST(get_held_while_handles_close)
{
	struct close_pair cp = { mxt_event(), mxt_event() };
	struct mxt_held hp;
	uint64_t *out;
	uint64_t c;

	ASSERT_OK(mx_object_set_cookie(cp.ev, cp.scope, 0x77));
	out = mxt_held_page(&hp, close_both, &cp, false);
	ASSERT_OK(mx_object_get_cookie(cp.ev, cp.scope, out));
	mxt_held_done(&hp);
	ASSERT_EQ(*out, 0x77);
	ASSERT_STATUS(mx_object_get_cookie(cp.ev, cp.scope, &c),
		      MX_ERR_BAD_HANDLE);
}

static void nothing(void *arg)
{
	(void)arg;
}

TEST(get_held_copy_fails)
{
	mx_handle_t ev = mxt_event(), scope = mxt_event();
	struct mxt_held hp;
	uint64_t *out;

	ASSERT_OK(mx_object_set_cookie(ev, scope, 0x77));
	out = mxt_held_page(&hp, nothing, NULL, true);
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, out),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&hp);
}

/* Another user: the same rules. */
static void other_user(void *arg)
{
	mx_handle_t ev = mxt_event(), scope = mxt_event(), a, b;
	uint64_t c = 0;

	(void)arg;
	ASSERT_OK(mx_object_set_cookie(ev, scope, 42));
	ASSERT_OK(mx_object_get_cookie(ev, scope, &c));
	ASSERT_EQ(c, 42);
	ASSERT_STATUS(mx_object_get_cookie(ev, scope, (uint64_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_set_cookie(ev, 12345, 1), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_set_cookie(mx_process_self(), scope, 1),
		      MX_ERR_NOT_SUPPORTED);
	eventpair(&a, &b);
	ASSERT_OK(mx_object_set_cookie(b, scope, 1));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_STATUS(mx_object_get_cookie(b, scope, &c),
		      MX_ERR_ACCESS_DENIED);
}

TEST(second_user)
{
	mxt_as_user(65534, other_user, NULL);
}
