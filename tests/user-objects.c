// SPDX-License-Identifier: MIT
/*
 * The per-user object limit (module parameter max_user_objects): objects
 * made by create calls are charged to the caller's real uid until they are
 * freed; past the limit a create call fails with MX_ERR_NO_RESOURCES and
 * makes nothing. Other users are not affected.
 */
#include "mxtest.h"

#include <fcntl.h>

#define UL_PARAM	"/sys/module/mx/parameters/max_user_objects"
#define UL_UID		4244
#define UL_OTHER	4245
#define UL_THIRD	4246	/* each case a user of its own: a case's objects
				   go when its process's teardown has run */

static char ul_old[32];

static void ul_restore(void)
{
	if (ul_old[0])
		mxt_put_file(UL_PARAM, ul_old);
}

/* Set the limit (as root), then become @uid (real and effective). */
static void ul_setup(const char *limit, uid_t uid)
{
	int fd = open(UL_PARAM, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		FAIL("%s: %s", UL_PARAM, strerror(errno));
	n = read(fd, ul_old, sizeof(ul_old) - 1);
	close(fd);
	if (n <= 0)
		FAIL("reading %s", UL_PARAM);
	ul_old[n] = 0;
	mxt_put_file(UL_PARAM, limit);
	if (setresuid(uid, uid, 0))
		FAIL("setresuid: %s", strerror(errno));
}

static void ul_root(void)
{
	if (setresuid(0, 0, 0))
		FAIL("setresuid: %s", strerror(errno));
	ul_restore();
}

/*
 * Run @body in a child and put the limit back afterwards whatever became
 * of it, so that a failed case never leaves a limit for the next ones.
 */
static void ul_guarded(void (*body)(void))
{
	char old[32];
	int fd = open(UL_PARAM, O_RDONLY), status;
	ssize_t n = fd < 0 ? -1 : read(fd, old, sizeof(old) - 1);
	pid_t pid;

	if (n <= 0)
		FAIL("reading %s", UL_PARAM);
	close(fd);
	old[n] = 0;
	pid = mxt_fork();
	if (pid == 0) {
		body();
		fflush(NULL);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	mxt_put_file(UL_PARAM, old);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("case failed (status 0x%x)", status);
}

static void create_past_the_limit_is_no_resources_body(void)
{
	mx_handle_t h[10], a = 0x5a5a, b = 0x5a5a;

	ul_setup("10", UL_UID);
	for (int i = 0; i < 10; i++)
		ASSERT_OK(mx_event_create(0, &h[i]));
	ASSERT_STATUS(mx_event_create(0, &a), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_port_create(MX_PORT_OPT_V2, &a), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_channel_create(0, &a, &b), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_eventpair_create(0, &a, &b), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(a, (mx_handle_t)0x5a5a);
	ASSERT_EQ(b, (mx_handle_t)0x5a5a);
	/* duplicates are handles, not objects */
	ASSERT_OK(mx_handle_duplicate(h[0], MX_RIGHT_SAME_RIGHTS, &a));
	ASSERT_OK(mx_handle_close(a));
	/* a pair needs room for both: with one free slot, nothing is made */
	ASSERT_OK(mx_handle_close(h[9]));
	a = b = 0x5a5a;
	ASSERT_STATUS(mx_channel_create(0, &a, &b), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(a, (mx_handle_t)0x5a5a);
	ASSERT_OK(mx_event_create(0, &h[9]));
	ASSERT_STATUS(mx_event_create(0, &a), MX_ERR_NO_RESOURCES);
	for (int i = 0; i < 10; i++)
		ASSERT_OK(mx_handle_close(h[i]));
	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ul_root();
}

static void other_user(void *arg)
{
	mx_handle_t e;

	(void)arg;
	if (setresuid(UL_OTHER, UL_OTHER, 0))
		FAIL("setresuid: %s", strerror(errno));
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_handle_close(e));
}

static void the_limit_is_per_user_body(void)
{
	mx_handle_t e;

	ul_setup("1", UL_UID);
	ASSERT_OK(mx_event_create(0, &e));
	/* another uid, at the same time, still has its own */
	if (setresuid(0, 0, 0))
		FAIL("setresuid: %s", strerror(errno));
	mxt_in_child(other_user, NULL);
	if (setresuid(UL_UID, UL_UID, 0))
		FAIL("setresuid: %s", strerror(errno));
	ASSERT_STATUS(mx_event_create(0, &e), MX_ERR_NO_RESOURCES);
	ul_root();
}

static void objects_stay_charged_until_freed_body(void)
{
	mx_handle_t ch[2], e, got;
	uint32_t nb, nh;

	/* the channel is root's, made before the limit */
	ASSERT_OK(mx_channel_create(0, &ch[0], &ch[1]));
	ul_setup("1", UL_THIRD);
	/* one event, sent away through a channel */
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_channel_write(ch[0], 0, NULL, 0, &e, 1));
	/* still charged while it is in flight */
	ASSERT_STATUS(mx_event_create(0, &got), MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_channel_read(ch[1], 0, NULL, &got, 0, 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_STATUS(mx_event_create(0, &e), MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_handle_close(got));
	/* freed: room again */
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_handle_close(e));
	ul_root();
	ASSERT_OK(mx_handle_close(ch[0]));
	ASSERT_OK(mx_handle_close(ch[1]));
}

TEST(create_past_the_limit_is_no_resources)
{
	ul_guarded(create_past_the_limit_is_no_resources_body);
}

TEST(the_limit_is_per_user)
{
	ul_guarded(the_limit_is_per_user_body);
}

TEST(objects_stay_charged_until_freed)
{
	ul_guarded(objects_stay_charged_until_freed_body);
}
