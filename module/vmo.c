// SPDX-License-Identifier: GPL-2.0
/*
 * mx VMOs: memory objects of real Linux pages.
 *
 * A VMO is a byte size and a sparse array of its own pages, allocated
 * zero-filled on first write (a write call, a write fault, COMMIT) and
 * charged to the creating user (max_user_vmo_pages) and to the creator's
 * memory cgroup. A clone has a parent and a page offset in it: where the
 * clone has no page of its own, it sees its parent's page at that offset,
 * the page the parent holds now (or its parent's, up the chain), or
 * zeros; its first write to a page copies that page into a page of its
 * own. A VMO and all its clones are one family, with one lock.
 *
 * Mappings. A VMO gets an inode on a private pseudo filesystem when its
 * first file is made (a VMO never mapped costs no inode); the files on it (mx_handle_to_fd(), mx_vmo_file_new()) read, write and map
 * the VMO. A VMO made from a memfd or tmpfs file by mx_handle_from_fd()
 * is that file: its calls act on the file and its mappings are the
 * file's own. A mapping of any other VMO is VM_PFNMAP: this file installs every page table
 * entry itself, in its fault handlers, with the family lock held, and
 * takes every entry that could name a page away (unmap_mapping_pages(),
 * through the inode of the VMO and of every clone below it) with the
 * family lock held, before the page is freed or stops being the page
 * that offset shows. No entry holds a page reference, no page lock is
 * ever taken, and no entry can outlive the page it names. An entry is
 * writable only for a page the VMO owns: a read fault maps a parent's
 * page or the zero page read-only, and the write that follows comes to
 * mx_vmo_pfn_mkwrite(), which makes the page the VMO's own first.
 *
 * Locking (the order of all: docs/architecture.md): the family's mutex
 * (struct mx_vmo_family.lock) protects every member's @size, @pages,
 * @committed and @children, and is held across each page table change;
 * it nests inside mmap_lock (faults) and outside the inode's i_mmap_rwsem
 * and page table locks (zaps), and is never held across a user access,
 * which could fault on a mapping of the same family. @name has its own
 * spinlock. @inode is set once under the family lock, and read without
 * it only by the holder of a file (which implies it is set). @parent,
 * @parent_pgoff, @depth and @family are
 * invariant.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pfn.h>
#include <linux/pseudo_fs.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include "user.h"
#include "vmo.h"

#define MX_VMO_FS_MAGIC	0x6d78766d	/* "mxvm" */

unsigned long mx_max_user_vmo_pages = 262144;
module_param_named(max_user_vmo_pages, mx_max_user_vmo_pages, ulong, 0644);
MODULE_PARM_DESC(max_user_vmo_pages,
		 "Most VMO pages the processes of one user may have committed");
EXPORT_SYMBOL_IF_KUNIT(mx_max_user_vmo_pages);

/**
 * struct mx_vmo_family - a VMO and every clone made from it, and theirs
 * @lock: see the locking rules above
 * @ref: members
 */
struct mx_vmo_family {
	struct mutex lock;
	refcount_t ref;
};

/**
 * struct mx_vmo - a VMO
 * @base: the object
 * @family: its family (invariant)
 * @parent: the VMO this one is a clone of, referenced, or NULL (invariant)
 * @parent_pgoff: the page of @parent that is this VMO's page 0 (invariant)
 * @depth: 0, or @parent's depth + 1 (invariant)
 * @children: clones of this VMO (family lock)
 * @sibling: in @parent's @children (family lock)
 * @size: the size in bytes (written under the family lock)
 * @pages: its own pages, by page offset (family lock)
 * @committed: how many (family lock)
 * @user: the user its pages are charged to, referenced (invariant)
 * @memcg: the memory cgroup its pages are charged to, or NULL (invariant)
 * @inode: where its mappings are found, or NULL before its first file
 * @maps: its mappings (VMAs), in every process
 * @backing: the memfd or tmpfs file this VMO is, or NULL (invariant): its
 *	pages are the file's, and the calls act on the file
 * @name_lock: protects @name
 * @name: MX_PROP_NAME
 */
struct mx_vmo {
	struct mx_object base;
	struct mx_vmo_family *family;
	struct mx_vmo *parent;
	u64 parent_pgoff;
	unsigned int depth;
	struct list_head children;
	struct list_head sibling;
	u64 size;
	struct xarray pages;
	unsigned long committed;
	struct mx_user *user;
	struct mem_cgroup *memcg;
	struct inode *inode;
	atomic_t maps;
	struct file *backing;
	spinlock_t name_lock;
	char name[MX_MAX_NAME_LEN];
};

/**
 * struct mx_vmo_file - what a file of a VMO carries
 * @vmo: the VMO, referenced
 * @rights: the rights of the handle the file was made from
 */
struct mx_vmo_file {
	struct mx_vmo *vmo;
	u32 rights;
};

static struct vfsmount *mx_vmo_mnt;

struct mx_vmo *mx_to_vmo(struct mx_object *obj)
{
	return container_of(obj, struct mx_vmo, base);
}

struct mx_object *mx_vmo_obj(struct mx_vmo *vmo)
{
	return &vmo->base;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_obj);

static u64 mx_vmo_pages_of(u64 size)
{
	return size / PAGE_SIZE + !!(size % PAGE_SIZE);
}

static void mx_vmo_lock(struct mx_vmo *vmo)
{
	mutex_lock(&vmo->family->lock);
}

static void mx_vmo_unlock(struct mx_vmo *vmo)
{
	mutex_unlock(&vmo->family->lock);
}

static void mx_vmo_assert_held(struct mx_vmo *vmo)
{
	lockdep_assert_held(&vmo->family->lock);
}

/*
 * The page offset @pgoff of @vmo shows: its own page, else its parent's
 * at the matching offset (and so up the chain), or NULL for zeros. An
 * ancestor shows nothing beyond its size.
 */
static struct page *mx_vmo_find(struct mx_vmo *vmo, u64 pgoff)
{
	struct page *page;

	mx_vmo_assert_held(vmo);
	for (;;) {
		page = xa_load(&vmo->pages, pgoff);
		if (page || !vmo->parent)
			return page;
		pgoff += vmo->parent_pgoff;
		vmo = vmo->parent;
		if (pgoff >= mx_vmo_pages_of(vmo->size))
			return NULL;
	}
}

/*
 * Take every page table entry that shows pages [@pgoff, @pgoff + @n) of
 * @vmo away, in its mappings and in those of its clones that show these
 * pages through it (a clone with its own page there is left alone: it
 * shows its own). @n of 0 means to the end.
 */
static void mx_vmo_zap(struct mx_vmo *vmo, u64 pgoff, u64 n)
{
	struct mx_vmo *c;
	u64 end = n ? pgoff + n : U64_MAX;
	u64 first, last;

	mx_vmo_assert_held(vmo);
	if (vmo->inode)
		unmap_mapping_pages(vmo->inode->i_mapping, pgoff, n, true);
	list_for_each_entry(c, &vmo->children, sibling) {
		if (end <= c->parent_pgoff)
			continue;
		first = max(pgoff, c->parent_pgoff) - c->parent_pgoff;
		last = end == U64_MAX ? U64_MAX : end - c->parent_pgoff;
		if (last - first == 1 && xa_load(&c->pages, first))
			continue;
		mx_vmo_zap(c, first, last == U64_MAX ? 0 : last - first);
	}
}

static int mx_vmo_charge(struct mx_vmo *vmo, unsigned long n)
{
	return mx_user_charge_pages(vmo->user, n,
				    READ_ONCE(mx_max_user_vmo_pages));
}

static void mx_vmo_uncharge(struct mx_vmo *vmo, unsigned long n)
{
	mx_user_uncharge_pages(vmo->user, n);
}

/*
 * A new page for @vmo, charged to its memory cgroup; a copy of @src. At
 * the cgroup's memory.max (or out of memory) the allocation fails rather
 * than calling the OOM killer: the call gets MX_ERR_NO_MEMORY, a fault
 * SIGBUS, as at max_user_vmo_pages, and nobody is killed for a VMO's page.
 */
static struct page *mx_vmo_alloc_page(struct mx_vmo *vmo, struct page *src)
{
	struct mem_cgroup *old = set_active_memcg(vmo->memcg);
	gfp_t gfp = GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN |
		    __GFP_RETRY_MAYFAIL;
	struct page *page;

	page = alloc_page(src ? gfp : gfp | __GFP_ZERO);
	set_active_memcg(old);
	if (page && src)
		copy_highpage(page, src);
	return page;
}

/* Put @page in @vmo at @pgoff, which has none: 0 or MX_ERR_NO_MEMORY. */
static int mx_vmo_insert(struct mx_vmo *vmo, u64 pgoff, struct page *page)
{
	struct mem_cgroup *old = set_active_memcg(vmo->memcg);
	void *err;

	err = xa_store(&vmo->pages, pgoff, page,
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	set_active_memcg(old);
	if (xa_err(err))
		return MX_ERR_NO_MEMORY;
	vmo->committed++;
	return 0;
}

/*
 * The page of @vmo's own at @pgoff, made if it has none: a copy of what
 * the offset shows (a parent's page or zeros). Mappings that showed the
 * old page are zapped.
 *
 * Return: 0 or MX_ERR_NO_MEMORY (the user's bound or no memory).
 */
static int mx_vmo_own_page(struct mx_vmo *vmo, u64 pgoff, struct page **out)
{
	struct page *page;
	int ret;

	mx_vmo_assert_held(vmo);
	page = xa_load(&vmo->pages, pgoff);
	if (page)
		goto out;
	ret = mx_vmo_charge(vmo, 1);
	if (ret)
		return ret;
	page = mx_vmo_alloc_page(vmo, mx_vmo_find(vmo, pgoff));
	if (!page)
		goto out_uncharge;
	if (mx_vmo_insert(vmo, pgoff, page))
		goto out_free;
	mx_vmo_zap(vmo, pgoff, 1);
out:
	*out = page;
	return 0;

out_free:
	put_page(page);
out_uncharge:
	mx_vmo_uncharge(vmo, 1);
	return MX_ERR_NO_MEMORY;
}

/* Free @vmo's own pages in [@first, @last], already zapped. */
static void mx_vmo_free_range(struct mx_vmo *vmo, u64 first, u64 last)
{
	unsigned long index;
	unsigned long n = 0;
	struct page *page;

	xa_for_each_range(&vmo->pages, index, page, first, last) {
		xa_erase(&vmo->pages, index);
		put_page(page);
		n++;
	}
	vmo->committed -= n;
	mx_vmo_uncharge(vmo, n);
}

/* ---- the object ---- */

static void mx_vmo_get_name(struct mx_object *obj, char *name)
{
	struct mx_vmo *vmo = mx_to_vmo(obj);

	spin_lock(&vmo->name_lock);
	memcpy(name, vmo->name, MX_MAX_NAME_LEN);
	spin_unlock(&vmo->name_lock);
}

static void mx_vmo_set_name(struct mx_object *obj, const char *name)
{
	struct mx_vmo *vmo = mx_to_vmo(obj);

	spin_lock(&vmo->name_lock);
	memcpy(vmo->name, name, MX_MAX_NAME_LEN);
	spin_unlock(&vmo->name_lock);
}

static void mx_vmo_family_put(struct mx_vmo_family *f)
{
	if (refcount_dec_and_test(&f->ref))
		kfree(f);
}

static void mx_vmo_free(struct mx_vmo *vmo)
{
	if (vmo->parent) {
		mx_vmo_lock(vmo);
		list_del(&vmo->sibling);
		mx_vmo_unlock(vmo);
		mx_object_put(&vmo->parent->base);
	}
	/* No mapping is left: each holds a file, which holds the VMO. */
	mx_vmo_free_range(vmo, 0, ULONG_MAX);
	xa_destroy(&vmo->pages);
	if (vmo->inode)
		iput(vmo->inode);
	if (vmo->backing)
		fput(vmo->backing);
	mem_cgroup_put(vmo->memcg);
	mx_user_put(vmo->user);
	mx_vmo_family_put(vmo->family);
	kfree(vmo);
}

static void mx_vmo_release(struct mx_object *obj)
{
	mx_vmo_free(mx_to_vmo(obj));
}

const struct mx_object_ops mx_vmo_ops = {
	.type = MX_OBJ_TYPE_VMO,
	.name = "vmo",
	.default_rights = MX_DEFAULT_VMO_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.release = mx_vmo_release,
	.get_name = mx_vmo_get_name,
	.set_name = mx_vmo_set_name,
};

/*
 * A VMO of @size bytes in @family (a new family if NULL), charged to the
 * calling user and memory cgroup. Not yet in any family's lists.
 */
static struct mx_vmo *mx_vmo_alloc(u64 size, struct mx_vmo_family *family)
{
	struct mx_vmo *vmo;

	vmo = kzalloc(sizeof(*vmo), GFP_KERNEL_ACCOUNT);
	if (!vmo)
		return NULL;
	if (family) {
		refcount_inc(&family->ref);
	} else {
		family = kzalloc(sizeof(*family), GFP_KERNEL_ACCOUNT);
		if (!family)
			goto out_free;
		mutex_init(&family->lock);
		refcount_set(&family->ref, 1);
	}
	vmo->family = family;
	vmo->user = mx_user_get(current_uid());
	if (!vmo->user)
		goto out_family;
	vmo->memcg = get_mem_cgroup_from_mm(current->mm);
	mx_object_init(&vmo->base, &mx_vmo_ops, 0);
	INIT_LIST_HEAD(&vmo->children);
	INIT_LIST_HEAD(&vmo->sibling);
	xa_init(&vmo->pages);
	spin_lock_init(&vmo->name_lock);
	vmo->size = size;
	return vmo;

out_family:
	mx_vmo_family_put(family);
	family = NULL;
out_free:
	kfree(vmo);
	return NULL;
}

/**
 * mx_vmo_new() - a new VMO
 * @size: its size in bytes, at most MX_VMO_MAX_SIZE
 * @out: out: the VMO, with one reference and no handle
 *
 * Context: process context.
 * Return: 0 or MX_ERR_NO_MEMORY (a size too large included, as Magenta).
 */
int mx_vmo_new(u64 size, struct mx_vmo **out)
{
	if (size > MX_VMO_MAX_SIZE)
		return MX_ERR_NO_MEMORY;
	*out = mx_vmo_alloc(size, NULL);
	return *out ? 0 : MX_ERR_NO_MEMORY;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_new);

/**
 * mx_vmo_new_file() - a VMO that is a memfd or tmpfs file
 * @file: the file
 * @out: out: the VMO, with one reference and no handle
 * @rights: out: the rights its handle gets: the default, without READ
 *	or WRITE where @file was not opened for them
 *
 * The VMO's size is the file's, its pages the file's (charged as the
 * file's, not to max_user_vmo_pages), its calls act on the file.
 *
 * Context: process context.
 * Return: 0, MX_ERR_WRONG_TYPE (not a memfd or tmpfs file),
 * MX_ERR_NO_MEMORY.
 */
int mx_vmo_new_file(struct file *file, struct mx_vmo **out, u32 *rights)
{
	struct mx_vmo *vmo;

	if (!S_ISREG(file_inode(file)->i_mode) ||
	    !shmem_mapping(file->f_mapping))
		return MX_ERR_WRONG_TYPE;
	vmo = mx_vmo_alloc(0, NULL);
	if (!vmo)
		return MX_ERR_NO_MEMORY;
	vmo->backing = get_file(file);
	*rights = MX_DEFAULT_VMO_RIGHTS;
	if (!(file->f_mode & FMODE_READ))
		*rights &= ~MX_RIGHT_READ;
	if (!(file->f_mode & FMODE_WRITE))
		*rights &= ~MX_RIGHT_WRITE;
	*out = vmo;
	return 0;
}

/**
 * mx_vmo_clone() - a copy-on-write clone of part of a VMO
 * @parent: the VMO, referenced by the caller
 * @offset: where the clone starts in @parent, page aligned
 * @size: the clone's size
 * @copy_name: the clone takes @parent's name
 * @out: out: the clone, with one reference and no handle
 *
 * Context: process context.
 * Return: 0, MX_ERR_NO_RESOURCES (the chain of clones is too deep),
 * MX_ERR_NOT_SUPPORTED (@parent is a file), MX_ERR_NO_MEMORY.
 */
int mx_vmo_clone(struct mx_vmo *parent, u64 offset, u64 size,
		 bool copy_name, struct mx_vmo **out)
{
	struct mx_vmo *vmo;

	if (parent->backing)
		return MX_ERR_NOT_SUPPORTED;
	if (parent->depth >= MX_VMO_MAX_DEPTH)
		return MX_ERR_NO_RESOURCES;
	vmo = mx_vmo_alloc(size, parent->family);
	if (!vmo)
		return MX_ERR_NO_MEMORY;
	mx_object_get(&parent->base);
	vmo->parent = parent;
	vmo->parent_pgoff = offset >> PAGE_SHIFT;
	vmo->depth = parent->depth + 1;
	if (copy_name)
		mx_vmo_get_name(&parent->base, vmo->name);
	mx_vmo_lock(parent);
	list_add(&vmo->sibling, &parent->children);
	mx_vmo_unlock(parent);
	*out = vmo;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_clone);

/**
 * mx_vmo_size() - the size in bytes
 * @vmo: the VMO
 *
 * Context: any; the size of some instant during the call.
 */
u64 mx_vmo_size(struct mx_vmo *vmo)
{
	if (vmo->backing)
		return i_size_read(file_inode(vmo->backing));
	return READ_ONCE(vmo->size);
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_size);

/* An errno of the file a VMO is, as the mx status of the call it served. */
static int mx_vmo_file_status(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
	case -EBADF:
		return MX_ERR_ACCESS_DENIED;
	case -EFBIG:
	case -EINVAL:
		return MX_ERR_OUT_OF_RANGE;
	case -ENOMEM:
	case -ENOSPC:
		return MX_ERR_NO_MEMORY;
	case -EOPNOTSUPP:
		return MX_ERR_NOT_SUPPORTED;
	default:
		return MX_ERR_IO;
	}
}

/**
 * mx_vmo_set_size() - change the size
 * @vmo: the VMO
 * @size: the new size, at most MX_VMO_MAX_SIZE
 *
 * Whole pages beyond the new size are unmapped from every mapping and
 * freed; the tail of a last partial page is kept, as Magenta. Touching a
 * mapped page beyond the size raises SIGBUS. Growing allocates nothing.
 *
 * Context: process context.
 * Return: 0; for a VMO that is a file, what truncating the file gives.
 */
int mx_vmo_set_size(struct mx_vmo *vmo, u64 size)
{
	u64 old_pages, new_pages = mx_vmo_pages_of(size);
	int err;

	if (vmo->backing) {
		err = vfs_truncate(&vmo->backing->f_path, size);
		return err ? mx_vmo_file_status(err) : 0;
	}
	mx_vmo_lock(vmo);
	old_pages = mx_vmo_pages_of(vmo->size);
	WRITE_ONCE(vmo->size, size);
	if (vmo->inode)
		i_size_write(vmo->inode, min_t(u64, size, MAX_LFS_FILESIZE));
	if (new_pages < old_pages) {
		mx_vmo_zap(vmo, new_pages, 0);
		mx_vmo_free_range(vmo, new_pages, ULONG_MAX);
	} else if (new_pages > old_pages) {
		mx_vmo_zap(vmo, old_pages, new_pages - old_pages);
	}
	mx_vmo_unlock(vmo);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_set_size);

/*
 * mx_vmo_xfer() of a VMO that is a file: through a page of the kernel's,
 * with kernel_read() and kernel_write() on the file. A read that comes
 * short (the file shrank) ends the copy.
 */
static int mx_vmo_xfer_file(struct mx_vmo *vmo, u64 pos, size_t len,
			    bool write, mx_vmo_copy_fn copy, void *ctx,
			    size_t *done)
{
	struct page *bounce;
	loff_t fpos = pos;
	size_t n, left;
	ssize_t r;
	int ret = 0;

	bounce = alloc_page(GFP_KERNEL);
	if (!bounce)
		return MX_ERR_NO_MEMORY;
	while (len) {
		n = min_t(size_t, len, PAGE_SIZE);
		if (write) {
			left = copy(bounce, 0, n, ctx);
			if (left) {
				ret = MX_ERR_INVALID_ARGS;
				n -= left;
			}
			r = n ? kernel_write(vmo->backing, page_address(bounce),
					     n, &fpos) : 0;
		} else {
			r = kernel_read(vmo->backing, page_address(bounce), n,
					&fpos);
			if (r > 0 && copy(bounce, 0, r, ctx))
				ret = MX_ERR_INVALID_ARGS;
		}
		if (r < 0) {
			ret = mx_vmo_file_status(r);
			break;
		}
		*done += r;
		if (ret || r < n)
			break;
		len -= n;
		cond_resched();
	}
	__free_page(bounce);
	return ret;
}

/**
 * mx_vmo_xfer() - copy bytes between a VMO and elsewhere, page by page
 * @vmo: the VMO
 * @pos: the first byte
 * @len: how many; the caller has trimmed them to the size
 * @write: into the VMO (allocating its pages) rather than out of it
 * @copy: copies one page's bytes; may fault (no mx lock is held)
 * @ctx: for @copy
 * @done: out: bytes copied
 *
 * Each page is looked up with the family lock held and copied with a
 * reference to it and no lock. A size lowered meanwhile ends the copy.
 * A read shows absent pages as zeros and allocates none.
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_INVALID_ARGS (@copy faulted), MX_ERR_NO_MEMORY.
 */
int mx_vmo_xfer(struct mx_vmo *vmo, u64 pos, size_t len, bool write,
		mx_vmo_copy_fn copy, void *ctx, size_t *done)
{
	size_t off, n, left;
	struct page *page;
	int ret = 0;

	*done = 0;
	if (vmo->backing)
		return mx_vmo_xfer_file(vmo, pos, len, write, copy, ctx, done);
	while (len) {
		off = offset_in_page(pos);
		n = min_t(size_t, len, PAGE_SIZE - off);
		mx_vmo_lock(vmo);
		if (pos >= vmo->size) {
			mx_vmo_unlock(vmo);
			break;
		}
		n = min_t(u64, n, vmo->size - pos);
		if (write)
			ret = mx_vmo_own_page(vmo, pos >> PAGE_SHIFT, &page);
		else
			page = mx_vmo_find(vmo, pos >> PAGE_SHIFT);
		if (!ret && page)
			get_page(page);
		mx_vmo_unlock(vmo);
		if (ret)
			break;
		left = copy(page ?: ZERO_PAGE(0), off, n, ctx);
		if (page)
			put_page(page);
		*done += n - left;
		if (left) {
			ret = MX_ERR_INVALID_ARGS;
			break;
		}
		pos += n;
		len -= n;
		cond_resched();
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_xfer);

/**
 * mx_vmo_commit() - MX_VMO_OP_COMMIT
 * @vmo: the VMO
 * @offset: the first byte, at most the size
 * @len: bytes, trimmed by the caller to the size
 *
 * Allocates a zero page for every page of the range @vmo does not own (in
 * a clone, the parent's data stops showing there), all or nothing.
 *
 * Context: process context, no mx lock held.
 * Return: 0 or MX_ERR_NO_MEMORY; for a VMO that is a file, what
 * allocating the range in it gives.
 */
int mx_vmo_commit(struct mx_vmo *vmo, u64 offset, u64 len)
{
	u64 first = offset >> PAGE_SHIFT, last, pgoff;
	unsigned long present = 0, index, absent, made = 0;
	struct page *page;
	int ret = 0;

	if (!len)
		return 0;
	if (vmo->backing) {
		ret = vfs_fallocate(vmo->backing, 0, offset, len);
		return ret ? mx_vmo_file_status(ret) : 0;
	}
	last = (offset + len - 1) >> PAGE_SHIFT;
	mx_vmo_lock(vmo);
	/* Counted from what is present: bounded by the user's pages. */
	xa_for_each_range(&vmo->pages, index, page, first, last)
		present++;
	absent = last - first + 1 - present;
	ret = mx_vmo_charge(vmo, absent);
	if (ret)
		goto out;
	/* The pages made here are marked, to be undone on failure. */
	for (pgoff = first; made < absent; pgoff++) {
		if (xa_load(&vmo->pages, pgoff))
			continue;
		page = mx_vmo_alloc_page(vmo, NULL);
		if (!page)
			goto out_undo;
		if (mx_vmo_insert(vmo, pgoff, page)) {
			put_page(page);
			goto out_undo;
		}
		xa_set_mark(&vmo->pages, pgoff, XA_MARK_0);
		made++;
		cond_resched();
	}
	xa_for_each_marked(&vmo->pages, index, page, XA_MARK_0) {
		xa_clear_mark(&vmo->pages, index, XA_MARK_0);
		mx_vmo_zap(vmo, index, 1);
	}
	goto out;

out_undo:
	xa_for_each_marked(&vmo->pages, index, page, XA_MARK_0) {
		xa_erase(&vmo->pages, index);
		put_page(page);
	}
	vmo->committed -= made;
	mx_vmo_uncharge(vmo, absent);
	ret = MX_ERR_NO_MEMORY;
out:
	mx_vmo_unlock(vmo);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_commit);

/**
 * mx_vmo_decommit() - MX_VMO_OP_DECOMMIT
 * @vmo: the VMO
 * @offset: the first byte, at most the size
 * @len: bytes, trimmed by the caller to the size
 *
 * Frees the VMO's own pages that the range touches (whole pages), after
 * taking them out of every mapping.
 *
 * Context: process context, no mx lock held.
 * Return: 0; for a VMO that is a file, what punching the hole gives.
 */
int mx_vmo_decommit(struct mx_vmo *vmo, u64 offset, u64 len)
{
	u64 first = offset >> PAGE_SHIFT, last;
	int err;

	if (!len)
		return 0;
	last = (offset + len - 1) >> PAGE_SHIFT;
	if (vmo->backing) {
		err = vfs_fallocate(vmo->backing,
				    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    first << PAGE_SHIFT,
				    (last - first + 1) << PAGE_SHIFT);
		return err ? mx_vmo_file_status(err) : 0;
	}
	mx_vmo_lock(vmo);
	mx_vmo_zap(vmo, first, last - first + 1);
	mx_vmo_free_range(vmo, first, last);
	mx_vmo_unlock(vmo);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_decommit);

/**
 * mx_vmo_lookup() - MX_VMO_OP_LOOKUP: the physical address of each page
 * @vmo: the VMO
 * @pgoff: the first page, inside the VMO
 * @npages: how many, inside the VMO
 * @paddrs: out: one address per page
 *
 * A clone's page it has not copied gives its parent's.
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_NO_MEMORY (a page is not there), MX_ERR_NOT_SUPPORTED
 * (a VMO that is a file: its pages are the file's to move).
 */
int mx_vmo_lookup(struct mx_vmo *vmo, u64 pgoff, u64 npages, u64 *paddrs)
{
	struct page *page;
	int ret = 0;
	u64 i;

	if (vmo->backing)
		return MX_ERR_NOT_SUPPORTED;
	mx_vmo_lock(vmo);
	for (i = 0; i < npages; i++) {
		page = mx_vmo_find(vmo, pgoff + i);
		if (!page) {
			ret = MX_ERR_NO_MEMORY;
			break;
		}
		paddrs[i] = PFN_PHYS(page_to_pfn(page));
	}
	mx_vmo_unlock(vmo);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_lookup);

/* ---- mappings ---- */

static struct mx_vmo *mx_vma_vmo(struct vm_area_struct *vma)
{
	return ((struct mx_vmo_file *)vma->vm_file->private_data)->vmo;
}

/* Pages a fault maps at most: the faulting one and present ones near it. */
#define MX_VMO_FAULT_AROUND	16

/*
 * Map the VMO's own pages present in the aligned window of
 * MX_VMO_FAULT_AROUND pages around @addr, with @prot, as Linux maps the
 * cached pages of a file around a fault: a run of accesses then faults
 * once per window, not once per page. Entries already there stay.
 */
static void mx_vmo_map_around(struct vm_area_struct *vma, struct mx_vmo *vmo,
			      unsigned long addr, pgprot_t prot)
{
	unsigned long win = MX_VMO_FAULT_AROUND * PAGE_SIZE;
	unsigned long start = max(vma->vm_start, ALIGN_DOWN(addr, win));
	unsigned long end = min(vma->vm_end, ALIGN_DOWN(addr, win) + win);
	u64 npages = mx_vmo_pages_of(vmo->size);
	struct page *page;
	unsigned long a;
	u64 pgoff;

	for (a = start; a < end; a += PAGE_SIZE) {
		pgoff = vma->vm_pgoff + ((a - vma->vm_start) >> PAGE_SHIFT);
		if (a == addr || pgoff >= npages)
			continue;
		page = xa_load(&vmo->pages, pgoff);
		if (page)
			vmf_insert_pfn_prot(vma, a, page_to_pfn(page), prot);
	}
}

/*
 * Map the page @vmf's offset shows, with the family lock held: the VMO's
 * own page writable where the mapping is, or else read-only. With @own,
 * the VMO's own page, made if needed (a write); with @replace, the
 * read-only entry there (pfn_mkwrite) makes way first.
 */
static vm_fault_t mx_vmo_map(struct vm_fault *vmf, bool own, bool replace)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mx_vmo *vmo = mx_vma_vmo(vma);
	unsigned long addr = vmf->address & PAGE_MASK;
	unsigned long pfn;
	struct page *page;
	vm_fault_t ret;
	pgprot_t prot;

	mx_vmo_lock(vmo);
	if (vmf->pgoff >= mx_vmo_pages_of(vmo->size)) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	page = xa_load(&vmo->pages, vmf->pgoff);
	if (!page && own && mx_vmo_own_page(vmo, vmf->pgoff, &page)) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	if (page) {
		prot = vm_get_page_prot(vma->vm_flags);
		pfn = page_to_pfn(page);
	} else {
		prot = vm_get_page_prot(vma->vm_flags & ~VM_WRITE);
		page = mx_vmo_find(vmo, vmf->pgoff);
		pfn = page ? page_to_pfn(page) : my_zero_pfn(addr);
	}
	if (replace)
		zap_vma_ptes(vma, addr, PAGE_SIZE);
	ret = vmf_insert_pfn_prot(vma, addr, pfn, prot);
	if (!replace)
		mx_vmo_map_around(vma, vmo, addr,
				  vm_get_page_prot(vma->vm_flags));
out:
	mx_vmo_unlock(vmo);
	return ret;
}

static vm_fault_t mx_vmo_fault(struct vm_fault *vmf)
{
	return mx_vmo_map(vmf, vmf->flags & FAULT_FLAG_WRITE, false);
}

static vm_fault_t mx_vmo_pfn_mkwrite(struct vm_fault *vmf)
{
	return mx_vmo_map(vmf, true, true);
}

static size_t mx_vmo_copy_kernel(struct page *page, size_t off, size_t n,
				 void *ctx)
{
	void **buf = ctx;
	char *va = kmap_local_page(page);

	memcpy(*buf, va + off, n);
	kunmap_local(va);
	*buf += n;
	return 0;
}

static size_t mx_vmo_copy_kernel_in(struct page *page, size_t off, size_t n,
				    void *ctx)
{
	void **buf = ctx;
	char *va = kmap_local_page(page);

	memcpy(va + off, *buf, n);
	kunmap_local(va);
	*buf += n;
	return 0;
}

/* ptrace and /proc/pid/mem: the bytes of a mapping, through the VMO. */
static int mx_vmo_access(struct vm_area_struct *vma, unsigned long addr,
			 void *buf, int len, int write)
{
	struct mx_vmo *vmo = mx_vma_vmo(vma);
	u64 pos = ((u64)vma->vm_pgoff << PAGE_SHIFT) + (addr - vma->vm_start);
	u64 size = mx_vmo_size(vmo);
	size_t done;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EFAULT;
	if (pos >= size)
		return -EFAULT;
	len = min_t(u64, len, size - pos);
	mx_vmo_xfer(vmo, pos, len, write,
		    write ? mx_vmo_copy_kernel_in : mx_vmo_copy_kernel,
		    &buf, &done);
	return done ?: -EFAULT;
}

/* A mapping made (fork, split) and gone: counted for MX_INFO_PROCESS_VMOS. */
static void mx_vmo_vm_open(struct vm_area_struct *vma)
{
	atomic_inc(&mx_vma_vmo(vma)->maps);
}

static void mx_vmo_vm_close(struct vm_area_struct *vma)
{
	atomic_dec(&mx_vma_vmo(vma)->maps);
}

static const struct vm_operations_struct mx_vmo_vm_ops = {
	.open = mx_vmo_vm_open,
	.close = mx_vmo_vm_close,
	.fault = mx_vmo_fault,
	.pfn_mkwrite = mx_vmo_pfn_mkwrite,
	.access = mx_vmo_access,
};

/**
 * mx_vmo_is_vma() - whether a mapping is a VMO's
 * @vma: a mapping, its mm's mmap_lock held
 */
bool mx_vmo_is_vma(struct vm_area_struct *vma)
{
	return vma->vm_ops == &mx_vmo_vm_ops;
}

/**
 * mx_vmo_of_vma() - the VMO a mapping maps
 * @vma: a mapping, its mm's mmap_lock held
 *
 * Return: the VMO with a reference, or NULL if @vma is not a VMO's.
 */
struct mx_vmo *mx_vmo_of_vma(struct vm_area_struct *vma)
{
	struct mx_vmo *vmo;

	if (vma->vm_ops != &mx_vmo_vm_ops)
		return NULL;
	vmo = mx_vma_vmo(vma);
	mx_object_get(&vmo->base);
	return vmo;
}

/**
 * mx_vmo_info() - a VMO's record of MX_INFO_PROCESS_VMOS
 * @vmo: the VMO
 * @rec: out: everything but the flags of how it was found and the rights
 *
 * @rec->num_mappings counts the mappings of the VMO in every process;
 * @rec->share_count, Magenta's estimate of the address spaces it is
 * mapped in, is that count too (an upper bound).
 *
 * Context: process context, no mx lock held.
 */
void mx_vmo_info(struct mx_vmo *vmo, struct mx_info_vmo *rec)
{
	struct mx_vmo *c;

	memset(rec, 0, sizeof(*rec));
	rec->koid = vmo->base.koid;
	mx_vmo_get_name(&vmo->base, rec->name);
	rec->name[MX_MAX_NAME_LEN - 1] = '\0';
	rec->size_bytes = mx_vmo_size(vmo);
	rec->parent_koid = vmo->parent ? vmo->parent->base.koid : 0;
	rec->flags = MX_INFO_VMO_TYPE_PAGED;
	if (vmo->parent)
		rec->flags |= MX_INFO_VMO_IS_COW_CLONE;
	rec->num_mappings = atomic_read(&vmo->maps);
	rec->share_count = rec->num_mappings;
	mx_vmo_lock(vmo);
	list_for_each_entry(c, &vmo->children, sibling)
		rec->num_children++;
	if (vmo->backing)
		rec->committed_bytes =
			(u64)vmo->backing->f_mapping->nrpages << PAGE_SHIFT;
	else
		rec->committed_bytes = (u64)vmo->committed << PAGE_SHIFT;
	mx_vmo_unlock(vmo);
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmo_info);

/*
 * Pages present in [@first, @last] of @vmo's backing file: the folios of
 * its page cache there, clipped to the range.
 */
static u64 mx_vmo_backing_pages(struct mx_vmo *vmo, pgoff_t first,
				pgoff_t last)
{
	XA_STATE(xas, &vmo->backing->f_mapping->i_pages, first);
	struct folio *folio;
	unsigned int seen = 0;
	u64 n = 0;

	rcu_read_lock();
	xas_for_each(&xas, folio, last) {
		pgoff_t s, e;

		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		s = max(folio->index, first);
		e = min(folio->index + folio_nr_pages(folio) - 1, last);
		if (e >= s)
			n += e - s + 1;
		if (++seen % 1024 == 0) {
			xas_pause(&xas);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return n;
}

/**
 * mx_vmo_map_info() - what MX_INFO_PROCESS_MAPS says of a mapping of a VMO
 * @vmo: the VMO
 * @offset: the VMO offset of the mapping, page aligned
 * @len: its length, page aligned, not 0
 * @name: out: the VMO's name (MX_MAX_NAME_LEN bytes)
 * @koid: out: its koid
 * @committed: out: its own pages (or its file's) present in the range
 *
 * Context: process context, no mx lock held.
 */
void mx_vmo_map_info(struct mx_vmo *vmo, u64 offset, u64 len, char *name,
		     u64 *koid, u64 *committed)
{
	pgoff_t first = offset >> PAGE_SHIFT;
	pgoff_t last = first + (len >> PAGE_SHIFT) - 1;
	struct page *page;
	unsigned long i;
	u64 n = 0;

	*koid = vmo->base.koid;
	mx_vmo_get_name(&vmo->base, name);
	name[MX_MAX_NAME_LEN - 1] = '\0';
	if (vmo->backing) {
		*committed = mx_vmo_backing_pages(vmo, first, last);
		return;
	}
	mx_vmo_lock(vmo);
	xa_for_each_range(&vmo->pages, i, page, first, last) {
		if (++n % 1024 == 0)
			cond_resched();
	}
	mx_vmo_unlock(vmo);
	*committed = n;
}

/* ---- files ---- */

static size_t mx_vmo_copy_to_iter(struct page *page, size_t off, size_t n,
				  void *ctx)
{
	return n - copy_page_to_iter(page, off, n, ctx);
}

static size_t mx_vmo_copy_from_iter(struct page *page, size_t off, size_t n,
				    void *ctx)
{
	return n - copy_page_from_iter(page, off, n, ctx);
}

static ssize_t mx_vmo_rw_iter(struct kiocb *iocb, struct iov_iter *it,
			      bool write)
{
	struct mx_vmo_file *f = iocb->ki_filp->private_data;
	u64 size = mx_vmo_size(f->vmo);
	size_t len = iov_iter_count(it), done;
	int ret;

	if (iocb->ki_pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (iocb->ki_pos >= size)
		return write ? -ENOSPC : 0;
	len = min_t(u64, len, size - iocb->ki_pos);
	ret = mx_vmo_xfer(f->vmo, iocb->ki_pos, len, write,
			  write ? mx_vmo_copy_from_iter : mx_vmo_copy_to_iter,
			  it, &done);
	iocb->ki_pos += done;
	if (done)
		return done;
	if (ret == MX_ERR_NO_MEMORY)
		return -ENOMEM;
	return ret ? -EFAULT : 0;
}

static ssize_t mx_vmo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return mx_vmo_rw_iter(iocb, to, false);
}

static ssize_t mx_vmo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return mx_vmo_rw_iter(iocb, from, true);
}

/*
 * Mapping rights follow the handle's: MAP to map at all, READ, WRITE and
 * EXECUTE for each protection (READ and WRITE through the file's mode). A
 * private mapping is offered read-only: its copy-on-write would need
 * pages Linux manages, which a VMO's are not.
 */
static int mx_vmo_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mx_vmo_file *f = file->private_data;

	if (!(f->rights & MX_RIGHT_MAP))
		return -EACCES;
	if ((vma->vm_flags & VM_EXEC) && !(f->rights & MX_RIGHT_EXECUTE))
		return -EACCES;
	if (!(vma->vm_flags & VM_SHARED)) {
		if (vma->vm_flags & VM_WRITE)
			return -EINVAL;
		mx_vm_flags_clear(vma, VM_MAYWRITE);
	}
	if (!(f->rights & MX_RIGHT_EXECUTE))
		mx_vm_flags_clear(vma, VM_MAYEXEC);
	if (f->vmo->backing) {
		/* The mapping is the file's, made by the file. */
		if (!f->vmo->backing->f_op->mmap)
			return -ENODEV;
		vma_set_file(vma, f->vmo->backing);
		return f->vmo->backing->f_op->mmap(f->vmo->backing, vma);
	}
	mx_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND);
	vma->vm_ops = &mx_vmo_vm_ops;
	mx_vmo_vm_open(vma);
	return 0;
}

static int mx_vmo_file_release(struct inode *inode, struct file *file)
{
	struct mx_vmo_file *f = file->private_data;

	mx_object_put(&f->vmo->base);
	kfree(f);
	return 0;
}

static const struct file_operations mx_vmo_fops = {
	.owner = THIS_MODULE,
	/* A VMO's pages are memory with nothing behind: synced as they are. */
	.fsync = noop_fsync,
	.read_iter = mx_vmo_read_iter,
	.write_iter = mx_vmo_write_iter,
	.mmap = mx_vmo_mmap,
	.llseek = generic_file_llseek,
	.release = mx_vmo_file_release,
};

/**
 * mx_vmo_file_new() - a file that reads, writes and maps a VMO
 * @vmo: the VMO, referenced by the caller (the file takes its own)
 * @rights: the rights of the handle the file stands for: readable with
 *	MX_RIGHT_READ, writable with MX_RIGHT_WRITE, mappable with
 *	MX_RIGHT_MAP
 * @flags: O_CLOEXEC or 0, for the fd
 *
 * Context: process context.
 * Return: the file, or an ERR_PTR.
 */
struct file *mx_vmo_file_new(struct mx_vmo *vmo, u32 rights, int flags)
{
	struct mx_vmo_file *f;
	struct file *file;
	int mode;

	if ((rights & MX_RIGHT_READ) && (rights & MX_RIGHT_WRITE))
		mode = O_RDWR;
	else if (rights & MX_RIGHT_READ)
		mode = O_RDONLY;
	else if (rights & MX_RIGHT_WRITE)
		mode = O_WRONLY;
	else
		mode = O_ACCMODE;	/* neither: OPEN_FMODE() gives none */
	f = kmalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return ERR_PTR(-ENOMEM);
	mx_vmo_lock(vmo);
	if (!vmo->inode) {
		vmo->inode = alloc_anon_inode(mx_vmo_mnt->mnt_sb);
		if (IS_ERR(vmo->inode)) {
			file = ERR_CAST(vmo->inode);
			vmo->inode = NULL;
			mx_vmo_unlock(vmo);
			kfree(f);
			return file;
		}
		vmo->inode->i_mode |= S_IFREG;
		vmo->inode->i_ino = vmo->base.koid;
		vmo->inode->i_size = min_t(u64, vmo->size, MAX_LFS_FILESIZE);
	}
	mx_vmo_unlock(vmo);
	/* The file's release puts the module: alloc_file_pseudo() gets none. */
	__module_get(THIS_MODULE);
	ihold(vmo->inode);
	file = alloc_file_pseudo(vmo->inode, mx_vmo_mnt, "mx-vmo",
				 mode | flags, &mx_vmo_fops);
	if (IS_ERR(file)) {
		iput(vmo->inode);
		module_put(THIS_MODULE);
		kfree(f);
		return file;
	}
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	mx_object_get(&vmo->base);
	f->vmo = vmo;
	f->rights = rights;
	file->private_data = f;
	return file;
}

/**
 * mx_vmo_file_vmo() - the VMO of a file from mx_vmo_file_new()
 * @file: any file
 * @rights: out: the rights the file stands for
 *
 * Return: the VMO, kept alive by @file, or NULL if @file is not one.
 */
struct mx_vmo *mx_vmo_file_vmo(struct file *file, u32 *rights)
{
	struct mx_vmo_file *f;

	if (file->f_op != &mx_vmo_fops)
		return NULL;
	f = file->private_data;
	*rights = f->rights;
	return f->vmo;
}

/*
 * The name of a VMO's file, in /proc/<pid>/maps and fd links:
 * "mx-vmo:[KOID]" (mxls finds mappings by it). The inode number is the
 * koid too.
 */
static char *mx_vmo_dname(struct dentry *dentry, char *buf, int len)
{
	char name[32];
	int n;

	n = snprintf(name, sizeof(name), "mx-vmo:[%lu]",
		     d_inode(dentry)->i_ino) + 1;
	if (n > len)
		return ERR_PTR(-ENAMETOOLONG);
	return memcpy(buf + len - n, name, n);
}

static const struct dentry_operations mx_vmo_dops = {
	.d_dname = mx_vmo_dname,
};

static int mx_vmo_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, MX_VMO_FS_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->dops = &mx_vmo_dops;
	return 0;
}

static struct file_system_type mx_vmo_fs_type = {
	.name = "mx_vmo",
	.init_fs_context = mx_vmo_init_fs_context,
	.kill_sb = kill_anon_super,
};

/**
 * mx_vmo_setup() - mount the filesystem of VMOs' inodes
 *
 * Executable mappings are allowed on it (pseudo filesystems forbid them):
 * mapping a VMO for execution is decided by the handle's MX_RIGHT_EXECUTE.
 *
 * Return: 0 or a negative errno.
 */
int mx_vmo_setup(void)
{
	mx_vmo_mnt = kern_mount(&mx_vmo_fs_type);
	if (IS_ERR(mx_vmo_mnt))
		return PTR_ERR(mx_vmo_mnt);
	mx_vmo_mnt->mnt_sb->s_iflags &= ~SB_I_NOEXEC;
	return 0;
}

/**
 * mx_vmo_teardown() - unmount it; every VMO is gone (files hold the module)
 */
void mx_vmo_teardown(void)
{
	kern_unmount(mx_vmo_mnt);
}
