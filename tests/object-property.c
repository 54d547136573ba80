// SPDX-License-Identifier: MIT
/*
 * mx_object_get_property / mx_object_set_property with MX_PROP_NAME on a
 * process: round trips, truncation to 31 characters, the check order
 * (NULL value before the handle, then rights, then the property) and
 * objects without names. Reference §3.15, Magenta's property suite.
 */
#include "mxtest.h"

#include <sys/mman.h>

static void get_name(mx_handle_t h, char name[MX_MAX_NAME_LEN])
{
	memset(name, 0x5a, MX_MAX_NAME_LEN);
	ASSERT_OK(mx_object_get_property(h, MX_PROP_NAME, name,
					 MX_MAX_NAME_LEN));
}

static void set_name(mx_handle_t h, const char *name, size_t size)
{
	ASSERT_OK(mx_object_set_property(h, MX_PROP_NAME, name, size));
}

TEST(ambient_process_named_after_its_task)
{
	char name[MX_MAX_NAME_LEN], comm[64] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(comm, sizeof(comm), f) != NULL);
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	get_name(mx_process_self(), name);
	ASSERT_TRUE(strcmp(name, comm) == 0);
}

TEST(empty_name_round_trip)
{
	mx_handle_t self = mx_process_self();
	char name[MX_MAX_NAME_LEN];
	int i;

	set_name(self, "", 0);
	get_name(self, name);
	/* Exactly 32 bytes come back, all NUL. */
	for (i = 0; i < MX_MAX_NAME_LEN; i++)
		ASSERT_EQ(name[i], 0);
	set_name(self, "", 1);
	get_name(self, name);
	ASSERT_EQ(name[0], 0);
}

TEST(name_of_31_chars_round_trips)
{
	mx_handle_t self = mx_process_self();
	char in[MX_MAX_NAME_LEN], name[MX_MAX_NAME_LEN];

	memset(in, 'x', 31);
	in[31] = '\0';
	set_name(self, in, 31);
	get_name(self, name);
	ASSERT_TRUE(memcmp(name, in, 32) == 0);
	/* With the NUL included in the size. */
	in[0] = 'y';
	set_name(self, in, 32);
	get_name(self, name);
	ASSERT_TRUE(memcmp(name, in, 32) == 0);
}

TEST(name_of_32_chars_is_cut_to_31)
{
	mx_handle_t self = mx_process_self();
	char in[64], name[MX_MAX_NAME_LEN];

	memset(in, 'x', sizeof(in));
	set_name(self, in, 32);
	get_name(self, name);
	ASSERT_EQ(strlen(name), 31);
	ASSERT_TRUE(strspn(name, "x") == 31);
	ASSERT_EQ(name[31], 0);
	/* Longer still: the same. */
	memset(in, 'z', sizeof(in));
	set_name(self, in, sizeof(in));
	get_name(self, name);
	ASSERT_EQ(strlen(name), 31);
	ASSERT_TRUE(strspn(name, "z") == 31);
}

TEST(size_bounds_the_name)
{
	mx_handle_t self = mx_process_self();
	char name[MX_MAX_NAME_LEN];
	int i;

	set_name(self, "abcdefgh", 3);
	get_name(self, name);
	ASSERT_TRUE(strcmp(name, "abc") == 0);
	/* The rest is zero-filled, not left from the previous name. */
	set_name(self, "0123456789", 10);
	set_name(self, "ab", 2);
	get_name(self, name);
	ASSERT_TRUE(strcmp(name, "ab") == 0);
	for (i = 2; i < MX_MAX_NAME_LEN; i++)
		ASSERT_EQ(name[i], 0);
}

TEST(get_copies_exactly_32_bytes)
{
	mx_handle_t self = mx_process_self();
	char buf[64];
	int i;

	set_name(self, "proc", 4);
	memset(buf, 0x5a, sizeof(buf));
	ASSERT_OK(mx_object_get_property(self, MX_PROP_NAME, buf, sizeof(buf)));
	ASSERT_TRUE(strcmp(buf, "proc") == 0);
	for (i = 4; i < MX_MAX_NAME_LEN; i++)
		ASSERT_EQ(buf[i], 0);
	for (i = MX_MAX_NAME_LEN; i < 64; i++)
		ASSERT_EQ((unsigned char)buf[i], 0x5a);
}

TEST(get_buffer_too_small)
{
	mx_handle_t self = mx_process_self();
	char buf[MX_MAX_NAME_LEN];
	size_t sizes[] = { 0, 1, 16, 31 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 0x5a, sizeof(buf));
		ASSERT_STATUS(mx_object_get_property(self, MX_PROP_NAME, buf,
						     sizes[i]),
			      MX_ERR_BUFFER_TOO_SMALL);
		ASSERT_EQ((unsigned char)buf[0], 0x5a);
	}
}

TEST(null_value_before_handle)
{
	ASSERT_STATUS(mx_object_get_property(MX_HANDLE_INVALID, MX_PROP_NAME,
					     NULL, MX_MAX_NAME_LEN),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_set_property(MX_HANDLE_INVALID, MX_PROP_NAME,
					     NULL, 4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_property(mx_process_self(), MX_PROP_NAME,
					     NULL, MX_MAX_NAME_LEN),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_set_property(mx_process_self(), MX_PROP_NAME,
					     NULL, 0),
		      MX_ERR_INVALID_ARGS);
}

TEST(bad_handle)
{
	char name[MX_MAX_NAME_LEN] = "n";

	ASSERT_STATUS(mx_object_get_property(MX_HANDLE_INVALID, MX_PROP_NAME,
					     name, sizeof(name)),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_set_property(MX_HANDLE_INVALID, MX_PROP_NAME,
					     name, 1),
		      MX_ERR_BAD_HANDLE);
	/* Before the property and the size. */
	ASSERT_STATUS(mx_object_get_property(MX_HANDLE_INVALID, 12345, name,
					     0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_set_property(MX_HANDLE_INVALID, 12345, name,
					     0), MX_ERR_BAD_HANDLE);
}

TEST(events_have_no_property_rights)
{
	mx_handle_t ev = 0, a = 0, b = 0;
	char name[MX_MAX_NAME_LEN] = "n";

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_eventpair_create(0, &a, &b));
	ASSERT_STATUS(mx_object_get_property(ev, MX_PROP_NAME, name,
					     sizeof(name)),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_set_property(ev, MX_PROP_NAME, name, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_property(a, MX_PROP_NAME, name,
					     sizeof(name)),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_set_property(b, MX_PROP_NAME, name, 1),
		      MX_ERR_ACCESS_DENIED);
	/* Rights come before the size and the property. */
	ASSERT_STATUS(mx_object_get_property(ev, MX_PROP_NAME, name, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_property(ev, 12345, name, sizeof(name)),
		      MX_ERR_ACCESS_DENIED);
}

TEST(process_handle_without_property_rights)
{
	mx_handle_t self = mx_process_self(), g = 0, s = 0;
	char name[MX_MAX_NAME_LEN];

	set_name(self, "before", 6);
	ASSERT_OK(mx_handle_duplicate(self, MX_RIGHT_GET_PROPERTY, &g));
	ASSERT_OK(mx_handle_duplicate(self, MX_RIGHT_SET_PROPERTY, &s));
	ASSERT_STATUS(mx_object_set_property(g, MX_PROP_NAME, "after", 5),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_property(s, MX_PROP_NAME, name,
					     sizeof(name)),
		      MX_ERR_ACCESS_DENIED);
	get_name(g, name);
	ASSERT_TRUE(strcmp(name, "before") == 0);
	set_name(s, "after", 5);
	get_name(g, name);
	ASSERT_TRUE(strcmp(name, "after") == 0);
}

TEST(unknown_property_invalid_args)
{
	mx_handle_t self = mx_process_self();
	char name[MX_MAX_NAME_LEN];
	static const uint32_t props[] = { 0, 1, 1000, 0xffffffffu };
	size_t i;

	set_name(self, "kept", 4);
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		ASSERT_STATUS(mx_object_get_property(self, props[i], name,
						     sizeof(name)),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_object_set_property(self, props[i], "x", 1),
			      MX_ERR_INVALID_ARGS);
	}
	get_name(self, name);
	ASSERT_TRUE(strcmp(name, "kept") == 0);
}

TEST(bad_value_pointers)
{
	mx_handle_t self = mx_process_self();
	char name[MX_MAX_NAME_LEN];
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);

	ASSERT_TRUE(ro != MAP_FAILED);
	set_name(self, "kept", 4);
	ASSERT_STATUS(mx_object_get_property(self, MX_PROP_NAME, (void *)1,
					     MX_MAX_NAME_LEN),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_property(self, MX_PROP_NAME, ro,
					     MX_MAX_NAME_LEN),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_set_property(self, MX_PROP_NAME, (void *)1, 8),
		      MX_ERR_INVALID_ARGS);
	get_name(self, name);
	ASSERT_TRUE(strcmp(name, "kept") == 0);
	/* A read-only value is fine for set. */
	set_name(self, ro, 8);
	get_name(self, name);
	ASSERT_EQ(name[0], 0);
}

static void child_renames_itself(void *arg)
{
	char name[MX_MAX_NAME_LEN];

	(void)arg;
	/*
	 * A fork() child is a process of its own, named after its Linux
	 * task, whose name it inherited: the parent's mx name, which the
	 * parent's task shows.
	 */
	get_name(mx_process_self(), name);
	ASSERT_TRUE(strcmp(name, "parent") == 0);
	set_name(mx_process_self(), "child", 5);
	get_name(mx_process_self(), name);
	ASSERT_TRUE(strcmp(name, "child") == 0);
}

TEST(names_are_per_process)
{
	char name[MX_MAX_NAME_LEN];

	set_name(mx_process_self(), "parent", 6);
	mxt_in_child(child_renames_itself, NULL);
	get_name(mx_process_self(), name);
	ASSERT_TRUE(strcmp(name, "parent") == 0);
}
