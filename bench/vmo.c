// SPDX-License-Identifier: MIT
/*
 * vmo: VMOs against the Linux memory object nearest to one, a memfd
 * (shmem pages behind a file), measured side by side (bench.h).
 *
 *   vmo-rw-<size>     mx_vmo_write then mx_vmo_read of 4 KiB and 1 MiB at
 *                     offset 0 of a VMO whose pages are all present;
 *                     against pwrite then pread on a memfd of the same
 *                     size, its pages present too
 *   vmo-map-1MiB      mmap of the VMO's descriptor (mx_handle_to_fd of a
 *                     duplicate, made once), a store to each of its 256
 *                     pages, munmap; against the same on the memfd. The
 *                     pages exist already, so this is the cost of mapping
 *                     and faulting them in, not of allocating them
 *   vmo-clone-1MiB    mx_vmo_clone of a 1 MiB VMO whose pages are all
 *                     present, mx_vmo_write of one page into the clone
 *                     (the clone's first write copies that page),
 *                     mx_handle_close; against two peers:
 *                     map-private  mmap(MAP_PRIVATE) of a 1 MiB memfd, a
 *                                  4 KiB memcpy into its first page (the
 *                                  copy-on-write fault copies it),
 *                                  munmap. This is Linux's own private
 *                                  copy-on-write view of shared pages,
 *                                  and like a clone it reads through to
 *                                  the file's current pages until it
 *                                  writes them: the fairest peer. fork()
 *                                  would copy the whole address space's
 *                                  page tables, and tmpfs has no reflink
 *                                  (FICLONE) to clone a file.
 *                     memfd-copy   what a program without clones does: a
 *                                  new memfd, ftruncate, pwrite of the
 *                                  1 MiB, pwrite of the page, close
 *
 * and kernel memory per object (MEM lines, as bench/memory.c prints):
 *
 *   vmo        N VMOs of 4 KiB, nothing written  / N memfds ftruncated to
 *                                                  4 KiB
 *   vmo+page   the same with their one page      / the same with their
 *              written                             one page written
 *
 * A kernel without VMOs (mx_vmo_create is MX_ERR_NOT_SUPPORTED) skips
 * every case.
 */
#include "bench.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE		4096
#define MAP_SIZE	(1u << 20)
#define N		20000

static char buf[MAP_SIZE];

static mx_handle_t vmo_new(uint64_t size)
{
	mx_handle_t h;

	check(mx_vmo_create(size, 0, &h), "mx_vmo_create");
	return h;
}

static int memfd_new(size_t size)
{
	int fd = memfd_create("bench", MFD_CLOEXEC);

	if (fd < 0)
		die("memfd_create", -1);
	if (ftruncate(fd, size))
		die("ftruncate", (long)size);
	return fd;
}

/* Write every byte of both, so that every page is present in each. */
static void fill(mx_handle_t vmo, int fd, size_t size)
{
	size_t n;

	memset(buf, 0x5a, size);
	check(mx_vmo_write(vmo, buf, 0, size, &n), "mx_vmo_write");
	if (n != size)
		die("mx_vmo_write length", (long)n);
	if (pwrite(fd, buf, size, 0) != (ssize_t)size)
		die("pwrite", (long)size);
}

/* ---- read and write */

struct rw {
	mx_handle_t vmo;
	int fd;
	size_t size;
};

static void mx_rw(void *arg, uint64_t n)
{
	struct rw *r = arg;
	size_t got;

	while (n--) {
		check(mx_vmo_write(r->vmo, buf, 0, r->size, &got),
		      "mx_vmo_write");
		check(mx_vmo_read(r->vmo, buf, 0, r->size, &got),
		      "mx_vmo_read");
	}
}

static void fd_rw(void *arg, uint64_t n)
{
	struct rw *r = arg;

	while (n--) {
		if (pwrite(r->fd, buf, r->size, 0) != (ssize_t)r->size)
			die("pwrite", (long)r->size);
		if (pread(r->fd, buf, r->size, 0) != (ssize_t)r->size)
			die("pread", (long)r->size);
	}
}

static void rw_case(size_t size, const char *name)
{
	struct rw r = { .vmo = vmo_new(size), .fd = memfd_new(size),
			.size = size };

	fill(r.vmo, r.fd, size);
	bench_pair(name, "memfd", mx_rw, &r, fd_rw, &r);
	check(mx_handle_close(r.vmo), "mx_handle_close");
	close(r.fd);
}

/* ---- map, touch every page, unmap */

static void map_touch(void *arg, uint64_t n)
{
	int fd = *(int *)arg;
	volatile char *p;
	size_t off;

	while (n--) {
		p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (p == MAP_FAILED)
			die("mmap", -1);
		for (off = 0; off < MAP_SIZE; off += PAGE)
			p[off] = (char)off;
		if (munmap((void *)p, MAP_SIZE))
			die("munmap", -1);
	}
}

static void map_case(void)
{
	mx_handle_t vmo = vmo_new(MAP_SIZE), dup;
	int vfd, mfd = memfd_new(MAP_SIZE);

	fill(vmo, mfd, MAP_SIZE);
	check(mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &dup),
	      "mx_handle_duplicate");
	check(mx_handle_to_fd(dup, O_CLOEXEC, &vfd), "mx_handle_to_fd");
	bench_pair("vmo-map-1MiB", "memfd", map_touch, &vfd, map_touch, &mfd);
	close(vfd);
	close(mfd);
	check(mx_handle_close(vmo), "mx_handle_close");
}

/* ---- clone and write one page */

struct cl {
	mx_handle_t parent;
	int fd;
};

static void mx_clone(void *arg, uint64_t n)
{
	struct cl *c = arg;
	mx_handle_t h;
	size_t got;

	while (n--) {
		check(mx_vmo_clone(c->parent, MX_VMO_CLONE_COPY_ON_WRITE, 0,
				   MAP_SIZE, &h), "mx_vmo_clone");
		check(mx_vmo_write(h, buf, 0, PAGE, &got), "mx_vmo_write");
		check(mx_handle_close(h), "mx_handle_close");
	}
}

static void private_map(void *arg, uint64_t n)
{
	struct cl *c = arg;
	char *p;

	while (n--) {
		p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 c->fd, 0);
		if (p == MAP_FAILED)
			die("mmap", -1);
		memcpy(p, buf, PAGE);
		if (munmap(p, MAP_SIZE))
			die("munmap", -1);
	}
}

static void memfd_copy(void *arg, uint64_t n)
{
	int fd;

	(void)arg;
	while (n--) {
		fd = memfd_new(MAP_SIZE);
		if (pwrite(fd, buf, MAP_SIZE, 0) != MAP_SIZE)
			die("pwrite", MAP_SIZE);
		if (pwrite(fd, buf, PAGE, 0) != PAGE)
			die("pwrite", PAGE);
		close(fd);
	}
}

static void clone_case(void)
{
	struct cl c = { .parent = vmo_new(MAP_SIZE), .fd = memfd_new(MAP_SIZE) };

	fill(c.parent, c.fd, MAP_SIZE);
	bench_pair("vmo-clone-1MiB", "map-private", mx_clone, &c, private_map,
		   &c);
	bench_pair("vmo-clone-1MiB", "memfd-copy", mx_clone, &c, memfd_copy,
		   &c);
	check(mx_handle_close(c.parent), "mx_handle_close");
	close(c.fd);
}

/* ---- kernel memory per VMO and per memfd */

static mx_handle_t hs[N];
static int fds[N];

static void memory_case(int written)
{
	const char *obj = written ? "vmo+page" : "vmo";
	size_t got;
	int i;

	bench_mem_begin();
	for (i = 0; i < N; i++) {
		hs[i] = vmo_new(PAGE);
		if (written)
			check(mx_vmo_write(hs[i], buf, 0, PAGE, &got),
			      "mx_vmo_write");
	}
	bench_mem_end(obj, "mx", N);
	for (i = 0; i < N; i++)
		check(mx_handle_close(hs[i]), "mx_handle_close");

	bench_mem_begin();
	for (i = 0; i < N; i++) {
		fds[i] = memfd_new(PAGE);
		if (written && pwrite(fds[i], buf, PAGE, 0) != PAGE)
			die("pwrite", i);
	}
	bench_mem_end(obj, "memfd", N);
	for (i = 0; i < N; i++)
		close(fds[i]);
}

/*
 * ---- kernel memory per mapping: N one-page mappings of one VMO, each
 * read once (so each has its page table entry), against the same of one
 * memfd. Both pages are written first.
 */
static void *maps[N];

static void map_memory_side(int fd, const char *impl)
{
	volatile char sink;
	int i;

	bench_mem_begin();
	for (i = 0; i < N; i++) {
		maps[i] = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
		if (maps[i] == MAP_FAILED)
			die("mmap", i);
		sink = *(volatile char *)maps[i];
	}
	(void)sink;
	bench_mem_end("mapping", impl, N);
	for (i = 0; i < N; i++)
		if (munmap(maps[i], PAGE))
			die("munmap", i);
}

static void map_memory_case(void)
{
	mx_handle_t v = vmo_new(PAGE);
	size_t got;
	int vfd, mfd = memfd_new(PAGE);

	check(mx_vmo_write(v, buf, 0, PAGE, &got), "mx_vmo_write");
	check(mx_handle_to_fd(v, O_CLOEXEC, &vfd), "mx_handle_to_fd");
	if (pwrite(mfd, buf, PAGE, 0) != PAGE)
		die("pwrite", 0);
	map_memory_side(vfd, "mx");
	map_memory_side(mfd, "memfd");
	close(vfd);
	close(mfd);
}

int main(void)
{
	struct rlimit rl = { N + 64, N + 64 };
	mx_handle_t probe;
	mx_status_t s;

	bench_init("vmo");
	s = mx_vmo_create(PAGE, 0, &probe);
	if (s == MX_ERR_NOT_SUPPORTED) {
		bench_skip("vmo-rw-4KiB", "memfd", "no-VMOs-in-this-module");
		bench_skip("vmo-rw-1MiB", "memfd", "no-VMOs-in-this-module");
		bench_skip("vmo-map-1MiB", "memfd", "no-VMOs-in-this-module");
		bench_skip("vmo-clone-1MiB", "map-private",
			   "no-VMOs-in-this-module");
		bench_skip("vmo-clone-1MiB", "memfd-copy",
			   "no-VMOs-in-this-module");
		return 0;
	}
	check(s, "mx_vmo_create");
	check(mx_handle_close(probe), "mx_handle_close");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", -1);
	/* Touch what the program itself uses, before any measurement. */
	memset(hs, 0, sizeof(hs));
	memset(fds, 0, sizeof(fds));
	memset(buf, 0x5a, sizeof(buf));

	rw_case(PAGE, "vmo-rw-4KiB");
	rw_case(MAP_SIZE, "vmo-rw-1MiB");
	map_case();
	clone_case();
	memory_case(0);
	memory_case(1);
	map_memory_case();
	return 0;
}
