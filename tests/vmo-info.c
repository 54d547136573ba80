// SPDX-License-Identifier: MIT
/*
 * MX_INFO_PROCESS_VMOS: the VMOs another running process holds and maps,
 * a record per VMO handle, then a record per mapping, no duplicates
 * removed (reference/magenta-api-2.md §3.12), and its failures.
 */
#include "mxtest.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PG 4096

/*
 * Run in the started process: take the VMO the parent sends, make one of
 * its own ("mine", 3 pages, one written), map it twice, keep a handle to
 * it and a clone of it, say "ok", then wait to be killed.
 */
static void entry_holds_and_maps(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, got = 0, mine = 0, dup = 0, cl = 0;
	uint32_t nb = 0, nh = 0;
	size_t actual;
	int fd;

	(void)arg2;
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, NULL, &got, 0, 1, &nb, &nh);
	mx_vmo_create(3 * PG, 0, &mine);
	mx_object_set_property(mine, MX_PROP_NAME, "mine", 4);
	mx_vmo_write(mine, "w", PG, 1, &actual);
	mx_vmo_clone(mine, MX_VMO_CLONE_COPY_ON_WRITE, 0, PG, &cl);
	mx_handle_duplicate(mine, MX_RIGHT_SAME_RIGHTS, &dup);
	mx_handle_to_fd(dup, 0, &fd);
	mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	mxt_entry_ready(ch, 0);
}

static mx_handle_t start(void (*entry)(uintptr_t, uintptr_t),
			 mx_handle_t *ch)
{
	mx_handle_t p = 0, t = 0, c1 = 0;

	ASSERT_OK(mx_process_create(mx_job_default(), "vmos", 4, 0, &p,
				    NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	ASSERT_OK(mx_channel_create(0, ch, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry, mxt_stack(NULL), c1,
				   0));
	return p;
}

static size_t vmos_of(mx_handle_t p, mx_info_vmo_t *recs, size_t n,
		      size_t *avail)
{
	size_t actual = 99;

	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, recs,
				     n * sizeof(*recs), &actual, avail));
	return actual;
}

TEST(records_of_handles_then_mappings)
{
	mx_handle_t ch = 0, sent, p, ro = 0;
	mx_info_vmo_t r[8];
	size_t n, avail = 0, i;
	char buf[2];
	uint32_t nb = 0;
	mx_koid_t mine_koid;

	ASSERT_EQ(sizeof(mx_info_vmo_t), 104);
	p = start(entry_holds_and_maps, &ch);
	ASSERT_OK(mx_vmo_create(5 * PG + 1, 0, &sent));
	ASSERT_OK(mx_object_set_property(sent, MX_PROP_NAME, "sent", 4));
	ASSERT_OK(mx_handle_duplicate(sent, MX_RIGHT_TRANSFER | MX_RIGHT_READ,
				      &ro));
	ASSERT_OK(mx_channel_write(ch, 0, NULL, 0, &ro, 1));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, NULL, 2, 0, &nb, NULL));

	memset(r, 0x5a, sizeof(r));
	n = vmos_of(p, r, 8, &avail);
	/* sent, mine, the clone; then mine mapped twice. */
	ASSERT_EQ(n, 5);
	ASSERT_EQ(avail, 5);

	ASSERT_EQ(r[0].koid, mxt_basic(sent).koid);
	ASSERT_EQ(strcmp(r[0].name, "sent"), 0);
	ASSERT_EQ(r[0].size_bytes, 5 * PG + 1);
	ASSERT_EQ(r[0].parent_koid, 0);
	ASSERT_EQ(r[0].num_children, 0);
	ASSERT_EQ(r[0].num_mappings, 0);
	ASSERT_EQ(r[0].share_count, 0);
	ASSERT_EQ(r[0].committed_bytes, 0);
	ASSERT_EQ(r[0].flags, MX_INFO_VMO_TYPE_PAGED | MX_INFO_VMO_VIA_HANDLE);
	ASSERT_EQ(r[0].handle_rights, MX_RIGHT_TRANSFER | MX_RIGHT_READ);
	ASSERT_EQ(r[0].pad0, 0);
	ASSERT_EQ(r[0].pad1, 0);

	mine_koid = r[1].koid;
	ASSERT_EQ(strcmp(r[1].name, "mine"), 0);
	ASSERT_EQ(r[1].size_bytes, 3 * PG);
	ASSERT_EQ(r[1].num_children, 1);
	ASSERT_EQ(r[1].num_mappings, 2);
	ASSERT_EQ(r[1].share_count, 2);
	ASSERT_EQ(r[1].committed_bytes, PG);
	ASSERT_EQ(r[1].flags, MX_INFO_VMO_TYPE_PAGED | MX_INFO_VMO_VIA_HANDLE);
	ASSERT_EQ(r[1].handle_rights, MX_DEFAULT_VMO_RIGHTS);

	/* The clone: named after "mine", its parent. */
	ASSERT_EQ(r[2].parent_koid, mine_koid);
	ASSERT_EQ(strcmp(r[2].name, "mine"), 0);
	ASSERT_EQ(r[2].size_bytes, PG);
	ASSERT_EQ(r[2].committed_bytes, 0);
	ASSERT_EQ(r[2].flags, MX_INFO_VMO_TYPE_PAGED |
		  MX_INFO_VMO_IS_COW_CLONE | MX_INFO_VMO_VIA_HANDLE);
	ASSERT_EQ(MX_INFO_VMO_TYPE(r[2].flags), MX_INFO_VMO_TYPE_PAGED);

	for (i = 3; i < 5; i++) {
		ASSERT_EQ(r[i].koid, mine_koid);
		ASSERT_EQ(r[i].flags, MX_INFO_VMO_TYPE_PAGED |
			  MX_INFO_VMO_VIA_MAPPING);
		ASSERT_EQ(r[i].handle_rights, 0);
		ASSERT_EQ(r[i].num_mappings, 2);
	}
	/* The untouched tail of the buffer stays as it was. */
	ASSERT_EQ(r[5].koid, 0x5a5a5a5a5a5a5a5aull);

	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r,
					 sizeof(r), NULL, NULL),
		      MX_ERR_BAD_STATE);
}

TEST(as_many_as_fit)
{
	mx_handle_t ch = 0, p, v = 0;
	mx_info_vmo_t r[2];
	size_t avail = 0, actual = 9;
	char buf[2];

	p = start(entry_holds_and_maps, &ch);
	ASSERT_OK(mx_vmo_create(PG, 0, &v));
	ASSERT_OK(mx_channel_write(ch, 0, NULL, 0, &v, 1));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, NULL, 2, 0, NULL, NULL));
	ASSERT_EQ(vmos_of(p, r, 0, &avail), 0);
	ASSERT_EQ(avail, 5);
	ASSERT_EQ(vmos_of(p, r, 1, &avail), 1);
	ASSERT_EQ(avail, 5);
	/* A buffer size that is not a whole record: the whole ones. */
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r,
				     sizeof(r[0]) * 2 - 1, &actual, NULL));
	ASSERT_EQ(actual, 1);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r, sizeof(r),
				     NULL, NULL));
	/* Unwritable buffer, actual or avail. */
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, (void *)8,
					 sizeof(r), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r, sizeof(r),
					 (size_t *)8, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r, sizeof(r),
					 NULL, (size_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_task_kill(p));
}

TEST(failures)
{
	mx_handle_t p = 0, t = 0, nr = 0, ev = mxt_event();
	mx_info_vmo_t r[1];

	ASSERT_STATUS(mx_object_get_info(mx_process_self(),
					 MX_INFO_PROCESS_VMOS, r, sizeof(r),
					 NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(mx_job_default(),
					 MX_INFO_PROCESS_VMOS, r, sizeof(r),
					 NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(ev, MX_INFO_PROCESS_VMOS, r,
					 sizeof(r), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(MX_HANDLE_INVALID,
					 MX_INFO_PROCESS_VMOS, r, sizeof(r),
					 NULL, NULL),
		      MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_process_create(mx_job_default(), "idle", 4, 0, &p,
				    NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	/* Never started: not running. */
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r,
					 sizeof(r), NULL, NULL),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_object_get_info(t, MX_INFO_PROCESS_VMOS, r,
					 sizeof(r), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_OK(mx_handle_duplicate(p, MX_RIGHT_DUPLICATE, &nr));
	ASSERT_STATUS(mx_object_get_info(nr, MX_INFO_PROCESS_VMOS, r,
					 sizeof(r), NULL, NULL),
		      MX_ERR_ACCESS_DENIED);
}

/* A VMO's file is named for its koid, in /proc/PID/maps and fd links. */
TEST(maps_name_the_vmo)
{
	mx_handle_t v = 0, dup = 0;
	char want[64], link[64], line[512], path[64];
	int fd, found = 0;
	void *m;
	FILE *f;

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_handle_to_fd(dup, 0, &fd));
	snprintf(want, sizeof(want), "mx-vmo:[%llu]",
		 (unsigned long long)mxt_basic(v).koid);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(link, 0, sizeof(link));
	ASSERT_TRUE(readlink(path, link, sizeof(link) - 1) > 0);
	ASSERT_EQ(strcmp(link, want), 0);
	m = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	f = fopen("/proc/self/maps", "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (strtoull(line, NULL, 16) == (uintptr_t)m &&
		    strstr(line, want) && strstr(line, " r--s "))
			found = 1;
	fclose(f);
	ASSERT_TRUE(found);
	munmap(m, 2 * PG);
	close(fd);
}

/* mxls lists a process's mappings of VMOs after its handles. */
TEST(mxls_lists_mappings)
{
	mx_handle_t v = 0, dup = 0;
	char cmd[128], out[8192], want[128];
	int fd;
	char *m;
	FILE *p;
	size_t n;

	if (access("/examples/mxls", X_OK))
		SKIP("no /examples/mxls");
	ASSERT_OK(mx_vmo_create(PG, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_handle_to_fd(dup, 0, &fd));
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	snprintf(cmd, sizeof(cmd),
		 "/examples/mxls -rn -o HANDLE,TYPE,KOID,RIGHTS -p %d",
		 getpid());
	fflush(NULL);
	p = popen(cmd, "r");
	ASSERT_TRUE(p != NULL);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ASSERT_EQ(pclose(p), 0);
	/* Raw output escapes the blank within a cell, as for "msg N". */
	snprintf(want, sizeof(want),
		 "map\\x20%#lx-%#lx vmo %llu --rw--------\n",
		 (unsigned long)m, (unsigned long)m + PG,
		 (unsigned long long)mxt_basic(v).koid);
	if (!strstr(out, want))
		FAIL("want a line\n%sin\n%s", want, out);
	munmap(m, PG);
	close(fd);
}
