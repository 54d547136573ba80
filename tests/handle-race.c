// SPDX-License-Identifier: MIT
/*
 * A handle is acted on by identity across a user access: a call that
 * checks a handle, writes to user memory (which may fault and sleep) and
 * then moves or replaces the handle acts on the handle it checked, and
 * meanwhile its value names nothing, so no other thread can close it and
 * recycle the slot under another handle.
 *
 * Each case holds the call's user write with a userfaultfd page set up
 * as root, then runs as an unprivileged uid; while the call is held,
 * another thread tries the attack (close the value, cycle slots until a
 * value repeats).
 */
#include "held.h"

#define HR_UID		1000
#define HR_CYCLES	5000

struct hr_race {
	mx_handle_t src;	/* the value the held call works on */
	mx_status_t close_status;
	mx_status_t info_status;
	int reused;		/* a new handle got the held value */
};

/*
 * While the call is held: closing the value and reading its info fail,
 * and no new handle gets its value however often slots are reused.
 */
static void hr_attack(void *arg)
{
	struct hr_race *r = arg;
	mx_info_handle_basic_t info;
	mx_handle_t e;
	int i;

	r->close_status = mx_handle_close(r->src);
	r->info_status = mx_object_get_info(r->src, MX_INFO_HANDLE_BASIC,
					    &info, sizeof(info), NULL, NULL);
	for (i = 0; i < HR_CYCLES; i++) {
		if (mx_event_create(0, &e))
			FAIL("event_create in the attack");
		if (e == r->src)
			r->reused = 1;
		mx_handle_close(e);
	}
}

static void hr_check_attack(const struct hr_race *r)
{
	ASSERT_STATUS(r->close_status, MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(r->info_status, MX_ERR_BAD_HANDLE);
	ASSERT_EQ(r->reused, 0);
}

/* The value was replaced: it names nothing, the new value the object. */
TEST(replace_acts_on_the_handle_it_checked)
{
	struct hr_race r = { 0 };
	struct mxt_held hp;
	mx_handle_t ev, *out;
	uint64_t koid;

	out = mxt_held_page(&hp, hr_attack, &r, false);
	mxt_become(HR_UID);
	ev = mxt_event();
	koid = mxt_basic(ev).koid;
	r.src = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_WRITE |
			MX_RIGHT_TRANSFER | MX_RIGHT_DUPLICATE);
	ASSERT_OK(mx_handle_replace(r.src, MX_RIGHT_READ | MX_RIGHT_TRANSFER,
				    out));
	mxt_held_done(&hp);
	hr_check_attack(&r);
	ASSERT_NE(*out, r.src);
	ASSERT_EQ(mxt_basic(*out).koid, koid);
	ASSERT_EQ(mxt_basic(*out).rights, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ASSERT_STATUS(mx_handle_close(r.src), MX_ERR_BAD_HANDLE);
	/* Two handles counted (ev and the replacement), then one. */
	ASSERT_EQ(mxt_signals(ev) & MX_SIGNAL_LAST_HANDLE, 0);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_EQ(mxt_signals(*out) & MX_SIGNAL_LAST_HANDLE,
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(*out));
}

/* A replace whose out pointer fails gives the source back, same value. */
TEST(replace_failing_its_write_gives_the_source_back)
{
	struct hr_race r = { 0 };
	struct mxt_held hp;
	mx_handle_t ev, *out;
	uint64_t koid;

	out = mxt_held_page(&hp, hr_attack, &r, true);
	mxt_become(HR_UID);
	ev = mxt_event();
	koid = mxt_basic(ev).koid;
	r.src = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_STATUS(mx_handle_replace(r.src, MX_RIGHT_READ, out),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&hp);
	hr_check_attack(&r);
	ASSERT_EQ(mxt_basic(r.src).koid, koid);
	ASSERT_EQ(mxt_basic(r.src).rights,
		  MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_EQ(mxt_signals(r.src) & MX_SIGNAL_LAST_HANDLE,
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(r.src));
}

/*
 * A channel endpoint replaced while held: its peer still reaches it (the
 * object the replacement names), and a message written to the peer is
 * read through the replacement only.
 */
TEST(replace_of_a_channel_keeps_its_peer)
{
	struct hr_race r = { 0 };
	struct mxt_held hp;
	mx_handle_t a, *out;
	char buf[8] = { 0 };
	uint32_t nb = 0;

	out = mxt_held_page(&hp, hr_attack, &r, false);
	mxt_become(HR_UID);
	ASSERT_OK(mx_channel_create(0, &r.src, &a));
	ASSERT_OK(mx_handle_replace(r.src, MX_RIGHT_SAME_RIGHTS, out));
	mxt_held_done(&hp);
	hr_check_attack(&r);
	ASSERT_OK(mx_channel_write(a, 0, "ping", 4, NULL, 0));
	ASSERT_OK(mx_channel_read(*out, 0, buf, NULL, sizeof(buf), 0, &nb,
				  NULL));
	ASSERT_EQ(nb, 4);
	ASSERT_EQ(memcmp(buf, "ping", 4), 0);
	ASSERT_OK(mx_handle_close(*out));
	ASSERT_EQ(mxt_signals(a) & MX_CHANNEL_PEER_CLOSED,
		  MX_CHANNEL_PEER_CLOSED);
	ASSERT_OK(mx_handle_close(a));
}

/* to_fd moves the handle it checked for TRANSFER, and no other. */
TEST(to_fd_moves_the_handle_it_checked)
{
	struct hr_race r = { 0 };
	struct mxt_held hp;
	mx_handle_t ev, back = MX_HANDLE_INVALID;
	uint64_t koid;
	int *fd;

	fd = mxt_held_page(&hp, hr_attack, &r, false);
	mxt_become(HR_UID);
	ev = mxt_event();
	koid = mxt_basic(ev).koid;
	r.src = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ASSERT_OK(mx_handle_to_fd(r.src, O_CLOEXEC, fd));
	mxt_held_done(&hp);
	hr_check_attack(&r);
	ASSERT_TRUE(*fd >= 0);
	ASSERT_STATUS(mx_handle_close(r.src), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_handle_from_fd(*fd, &back));
	ASSERT_EQ(mxt_basic(back).koid, koid);
	ASSERT_EQ(mxt_basic(back).rights, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	close(*fd);
	ASSERT_OK(mx_handle_close(back));
	ASSERT_OK(mx_handle_close(ev));
}

/* A to_fd whose fd pointer fails leaves the handle where it was. */
TEST(to_fd_failing_its_write_gives_the_handle_back)
{
	struct hr_race r = { 0 };
	struct mxt_held hp;
	mx_handle_t ev;
	uint64_t koid;
	int *fd;

	fd = mxt_held_page(&hp, hr_attack, &r, true);
	mxt_become(HR_UID);
	ev = mxt_event();
	koid = mxt_basic(ev).koid;
	r.src = mxt_dup(ev, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ASSERT_STATUS(mx_handle_to_fd(r.src, O_CLOEXEC, fd),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&hp);
	hr_check_attack(&r);
	ASSERT_EQ(mxt_basic(r.src).koid, koid);
	ASSERT_OK(mx_handle_close(r.src));
	ASSERT_OK(mx_handle_close(ev));
}
