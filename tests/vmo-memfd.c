// SPDX-License-Identifier: MIT
/*
 * VMOs made from Linux memory: mx_handle_from_fd() of a memfd gives a VMO
 * that is the memfd (docs/manual.md, "VMOs", From Linux). What one side
 * writes the other reads, sizes are shared, seals and the descriptor's
 * mode hold, and what such a VMO cannot do fails as documented.
 */
#define _GNU_SOURCE
#include "mxtest.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PG 4096

static int memfd(size_t size, unsigned int flags)
{
	int fd = memfd_create("mxt", flags);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(ftruncate(fd, (off_t)size), 0);
	return fd;
}

static mx_handle_t vmo_of(int fd)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_OK(mx_handle_from_fd(fd, &h));
	return h;
}

TEST(memfd_becomes_a_vmo_with_default_rights)
{
	int fd = memfd(3 * PG + 5, 0);
	mx_handle_t h = vmo_of(fd);
	mx_info_handle_basic_t b = mxt_basic(h);
	uint64_t size;

	ASSERT_EQ(b.type, MX_OBJ_TYPE_VMO);
	ASSERT_EQ(b.rights, MX_DEFAULT_VMO_RIGHTS);
	ASSERT_OK(mx_vmo_get_size(h, &size));
	ASSERT_EQ(size, 3 * PG + 5);
	ASSERT_EQ(mxt_signals(h), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(writes_show_both_ways)
{
	int fd = memfd(2 * PG, 0);
	mx_handle_t h = vmo_of(fd);
	char buf[16] = { 0 };
	size_t actual;

	ASSERT_OK(mx_vmo_write(h, "from mx", PG - 3, 7, &actual));
	ASSERT_EQ(actual, 7);
	ASSERT_EQ(pread(fd, buf, 7, PG - 3), 7);
	ASSERT_EQ(memcmp(buf, "from mx", 7), 0);
	ASSERT_EQ(pwrite(fd, "linux", 5, 100), 5);
	ASSERT_OK(mx_vmo_read(h, buf, 100, 5, &actual));
	ASSERT_EQ(actual, 5);
	ASSERT_EQ(memcmp(buf, "linux", 5), 0);
	/* Cut at the size, never grown; past it, out of range. */
	ASSERT_OK(mx_vmo_write(h, "abcdef", 2 * PG - 2, 6, &actual));
	ASSERT_EQ(actual, 2);
	ASSERT_OK(mx_vmo_read(h, buf, 2 * PG, 4, &actual));
	ASSERT_EQ(actual, 0);
	ASSERT_STATUS(mx_vmo_read(h, buf, 2 * PG + 1, 1, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(the_vmo_outlives_the_descriptor)
{
	int fd = memfd(PG, 0);
	mx_handle_t h = vmo_of(fd);
	char c = 0;
	size_t actual;

	ASSERT_EQ(pwrite(fd, "k", 1, 9), 1);
	close(fd);
	ASSERT_OK(mx_vmo_read(h, &c, 9, 1, &actual));
	ASSERT_EQ(c, 'k');
	ASSERT_OK(mx_handle_close(h));
}

TEST(sizes_are_the_files)
{
	int fd = memfd(PG, 0);
	mx_handle_t h = vmo_of(fd);
	struct stat st;
	uint64_t size;

	ASSERT_OK(mx_vmo_set_size(h, 5 * PG + 1));
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_size, 5 * PG + 1);
	ASSERT_EQ(ftruncate(fd, 7), 0);
	ASSERT_OK(mx_vmo_get_size(h, &size));
	ASSERT_EQ(size, 7);
	ASSERT_STATUS(mx_vmo_set_size(h, UINT64_MAX), MX_ERR_OUT_OF_RANGE);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(commit_and_decommit_act_on_the_file)
{
	int fd = memfd(4 * PG, 0);
	mx_handle_t h = vmo_of(fd);
	struct stat st;
	char c = 'x';
	size_t actual;

	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_TRUE(st.st_blocks >= 4 * PG / 512);
	ASSERT_EQ(pwrite(fd, "d", 1, PG + 10), 1);
	/* Whole pages touched by the range go. */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG + 5, 10, NULL,
				  0));
	ASSERT_OK(mx_vmo_read(h, &c, PG + 10, 1, &actual));
	ASSERT_EQ(c, 0);
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_size, 4 * PG);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(clone_and_lookup_not_supported)
{
	int fd = memfd(PG, 0);
	mx_handle_t h = vmo_of(fd), c = MX_HANDLE_INVALID;
	uint64_t pa[1];

	ASSERT_STATUS(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, 0, PG, &c),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(c, MX_HANDLE_INVALID);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, PG, pa,
				      sizeof(pa)),
		      geteuid() == 0 ? MX_ERR_NOT_SUPPORTED :
				       MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(mapping_through_the_vmo_maps_the_file)
{
	int fd = memfd(2 * PG, 0), vfd;
	mx_handle_t h = vmo_of(fd), dup = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	char *m, *mm;
	size_t actual;
	char c = 0;

	ASSERT_OK(mx_handle_to_fd(dup, O_CLOEXEC, &vfd));
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, vfd, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	mm = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(mm != MAP_FAILED);
	m[PG + 1] = 'v';
	ASSERT_EQ(mm[PG + 1], 'v');
	mm[3] = 'm';
	ASSERT_EQ(m[3], 'm');
	ASSERT_OK(mx_vmo_read(h, &c, 3, 1, &actual));
	ASSERT_EQ(c, 'm');
	/* A descriptor made from it is still the VMO: a new handle. */
	{
		mx_handle_t again = MX_HANDLE_INVALID;

		ASSERT_OK(mx_handle_from_fd(vfd, &again));
		ASSERT_EQ(mxt_basic(again).koid, mxt_basic(h).koid);
		ASSERT_OK(mx_handle_close(again));
	}
	ASSERT_EQ(munmap(m, 2 * PG), 0);
	ASSERT_EQ(munmap(mm, 2 * PG), 0);
	close(vfd);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(mapping_rights_are_checked_first)
{
	int fd = memfd(PG, 0), vfd;
	mx_handle_t h = vmo_of(fd), ro;

	ASSERT_OK(mx_handle_duplicate(h, MX_RIGHT_READ | MX_RIGHT_TRANSFER |
				      MX_RIGHT_MAP, &ro));
	ASSERT_OK(mx_handle_to_fd(ro, 0, &vfd));
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, vfd,
			 0) == MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	close(vfd);
	ASSERT_OK(mx_handle_duplicate(h, MX_RIGHT_READ | MX_RIGHT_TRANSFER,
				      &ro));
	ASSERT_OK(mx_handle_to_fd(ro, 0, &vfd));
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ, MAP_SHARED, vfd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	close(vfd);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(a_read_only_descriptor_gives_no_write_right)
{
	int fd = memfd(PG, 0), rfd;
	char path[64];
	mx_handle_t h;
	size_t actual;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rfd = open(path, O_RDONLY);
	ASSERT_TRUE(rfd >= 0);
	h = vmo_of(rfd);
	ASSERT_EQ(mxt_basic(h).rights,
		  MX_DEFAULT_VMO_RIGHTS & ~MX_RIGHT_WRITE);
	ASSERT_STATUS(mx_vmo_write(h, "x", 0, 1, &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_set_size(h, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(h));
	close(rfd);
	close(fd);
}

TEST(seals_hold)
{
	int fd = memfd(2 * PG, MFD_ALLOW_SEALING);
	mx_handle_t h = vmo_of(fd);
	size_t actual;

	ASSERT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	ASSERT_STATUS(mx_vmo_set_size(h, PG), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_set_size(h, 3 * PG), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmo_write(h, "ok", 0, 2, &actual));
	ASSERT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
	ASSERT_STATUS(mx_vmo_write(h, "no", 0, 2, &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}

TEST(each_import_is_a_new_vmo)
{
	int fd = memfd(PG, 0);
	mx_handle_t a = vmo_of(fd), b = vmo_of(fd);
	size_t actual;
	char c = 0;

	ASSERT_NE(mxt_basic(a).koid, mxt_basic(b).koid);
	ASSERT_OK(mx_vmo_write(a, "s", 0, 1, &actual));
	ASSERT_OK(mx_vmo_read(b, &c, 0, 1, &actual));
	ASSERT_EQ(c, 's');
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	close(fd);
}

TEST(other_descriptors_are_the_wrong_type)
{
	int p[2], f;
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_EQ(pipe(p), 0);
	ASSERT_STATUS(mx_handle_from_fd(p[0], &h), MX_ERR_WRONG_TYPE);
	f = open("/proc/self/status", O_RDONLY);
	ASSERT_TRUE(f >= 0);
	ASSERT_STATUS(mx_handle_from_fd(f, &h), MX_ERR_WRONG_TYPE);
	ASSERT_EQ(h, MX_HANDLE_INVALID);
	close(f);
	close(p[0]);
	close(p[1]);
}

static size_t handles_held(void)
{
	mx_debug_handle_t tab[64];
	size_t actual = 0, avail = 0;

	ASSERT_OK(mx_object_get_info(mx_process_self(), MX_INFO_HANDLE_TABLE,
				     tab, sizeof(tab), &actual, &avail));
	return avail;
}

TEST(bad_out_pointer_leaves_no_handle)
{
	int fd = memfd(PG, 0);
	size_t before = handles_held();

	/* The handle's value cannot be written: no handle is left. */
	ASSERT_STATUS(mx_handle_from_fd(fd, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_from_fd(fd, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(handles_held(), before);
	close(fd);
}

TEST(as_a_second_user)
{
	int fd;
	mx_handle_t h;
	size_t actual;
	char c = 0;

	mxt_become(4321);
	fd = memfd(PG, 0);
	h = vmo_of(fd);
	ASSERT_OK(mx_vmo_write(h, "u", 1, 1, &actual));
	ASSERT_EQ(pread(fd, &c, 1, 1), 1);
	ASSERT_EQ(c, 'u');
	ASSERT_OK(mx_handle_close(h));
	close(fd);
}
