// SPDX-License-Identifier: GPL-2.0
/*
 * mx VMARs: Magenta's virtual memory address regions, for the address
 * space of the calling process, and the recorded layout of a process
 * made by mx_process_create() and not started yet.
 *
 * A process's address space record (struct mx_aspace) is made on its
 * first VMAR call and names the Linux mm it stands for. Its root VMAR
 * covers [MX_VMAR_ROOT_BASE, MX_VMAR_ROOT_END). Every VMAR holds a sorted
 * list of children, each a sub-VMAR or a mapping of a VMO; the list holds
 * a reference to each sub-VMAR, and handles hold references of their own,
 * so closing a handle changes nothing in the tree. A destroyed VMAR is
 * dead: it stays an object while referenced, and every call on it fails.
 *
 * The Linux side. Every call acts on current->mm, and only when that is
 * the mm of the VMAR's address space. The root VMAR shares the address
 * space with Linux's own mappings (the program, its libraries, its plain
 * mmap()s): what is put in it is placed with MAP_FIXED_NOREPLACE, so no
 * Linux mapping is ever replaced, and placement skips the ranges Linux
 * mappings take. A sub-VMAR is reserved as a whole by an anonymous
 * PROT_NONE mapping (its placeholder), which a plain mmap() never
 * lands in; a mapping in it replaces part of that placeholder with a
 * MAP_SHARED mapping of a file of the VMO (mx_vmo_file_new()), and what
 * is unmapped from it becomes placeholder again. Protect maps the pieces
 * again with the new protection at the same VMO offsets: the pages live
 * in the VMO, so nothing is lost.
 *
 * A created process. mx_process_create() makes its record *pending*: it
 * names no mm yet, and the calls only change the tree, placing what they
 * place clear of the caller's own Linux mappings (the process will be a
 * fork() of the one that starts it). Its child applies the tree in its
 * own address space when it claims the process (mx_aspace_apply(), before
 * its entry point runs), and the record names that mm from then on; a
 * range no longer free there fails the claim. Calls from other processes
 * get MX_ERR_NOT_SUPPORTED after that, as for any running process.
 *
 * Locking (the order of all: docs/architecture.md): mx_aspace.lock (a
 * mutex) protects the tree of its VMARs (@children, @parent, @dead, the
 * child records) and is held across the Linux mapping calls that change
 * the address space (they take mmap_lock inside it). It is never held
 * across a user access. mx_process.self_lock serialises making the
 * process's address space record and root handle, and nests outside it.
 * @base, @size, @flags and @aspace of a VMAR are invariant.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "process.h"
#include "sys_handle.h"
#include "user.h"
#include "vmar.h"
#include "vmo.h"

unsigned int mx_max_vmar_mappings = 65536;
module_param_named(max_vmar_mappings, mx_max_vmar_mappings, uint, 0644);
MODULE_PARM_DESC(max_vmar_mappings,
		 "Most VMO mappings the VMARs of one process may hold");

/* Random placements tried in the root VMAR before a first-fit scan. */
#define MX_VMAR_PLACE_TRIES	64

#define MX_VM_PERMS	(MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE | \
			 MX_VM_FLAG_PERM_EXECUTE)
#define MX_VM_CAN_MAP	(MX_VM_FLAG_CAN_MAP_READ | MX_VM_FLAG_CAN_MAP_WRITE | \
			 MX_VM_FLAG_CAN_MAP_EXECUTE)
#define MX_VM_ALL	(MX_VM_FLAG_MAP_RANGE * 2 - 1)

/**
 * struct mx_aspace - the VMARs of one Linux address space
 * @ref: the process and every VMAR of it
 * @lock: see the locking rules above
 * @mm: the address space, mmgrab()bed; NULL while pending (set once,
 *	under @lock, by mx_aspace_apply())
 * @root: the root VMAR, referenced; NULL once detached (@lock)
 * @root_handle: the handle mx_vmar_root_self() gave, or 0 (self_lock)
 * @nmappings: mapping records in the tree (@lock), each charged to @user
 * @user: the user of the process that made it, referenced (invariant)
 */
struct mx_aspace {
	struct kref ref;
	struct mutex lock;
	struct mm_struct *mm;
	struct mx_user *user;
	struct mx_vmar *root;
	s32 root_handle;
	unsigned int nmappings;
};

/**
 * struct mx_vmar_node - a child of a VMAR: a sub-VMAR or a mapping
 * @link: in the parent's @children, sorted by @base
 * @base: its first address
 * @size: its length in bytes, page aligned
 * @vmar: the sub-VMAR it is, or NULL for a mapping
 */
struct mx_vmar_node {
	struct list_head link;
	unsigned long base;
	unsigned long size;
	struct mx_vmar *vmar;
};

/**
 * struct mx_mapping - a mapping of a VMO in a VMAR
 * @node: its place
 * @file: the file of the VMO that maps it, referenced
 * @vmo_offset: the VMO offset of @node.base
 * @perms: MX_VM_FLAG_PERM_* now
 * @max_perms: what protect may give it: the rights at map time
 */
struct mx_mapping {
	struct mx_vmar_node node;
	struct file *file;
	u64 vmo_offset;
	u32 perms;
	u32 max_perms;
};

/**
 * struct mx_vmar - a VMAR
 * @base: the object
 * @node: its place in its parent; @node.base and @node.size are its range
 * @aspace: its address space, referenced (invariant)
 * @parent: the VMAR it is a child of; NULL for the root and once dead
 * @children: struct mx_vmar_node, sorted by address
 * @flags: MX_VM_FLAG_CAN_MAP_* and MX_VM_FLAG_COMPACT (invariant)
 * @dead: destroyed
 */
struct mx_vmar {
	struct mx_object base;
	struct mx_vmar_node node;
	struct mx_aspace *aspace;
	struct mx_vmar *parent;
	struct list_head children;
	u32 flags;
	bool dead;
};

static void mx_aspace_release(struct kref *ref)
{
	struct mx_aspace *as = container_of(ref, struct mx_aspace, ref);

	if (as->mm)
		mmdrop(as->mm);
	mx_user_put(as->user);
	kfree(as);
}

static void mx_aspace_put(struct mx_aspace *as)
{
	kref_put(&as->ref, mx_aspace_release);
}

static void mx_vmar_release(struct mx_object *obj)
{
	struct mx_vmar *v = mx_to_vmar(obj);

	WARN_ON_ONCE(!list_empty(&v->children));
	mx_user_uncharge(obj);
	mx_aspace_put(v->aspace);
	kfree(v);
}

const struct mx_object_ops mx_vmar_ops = {
	.type = MX_OBJ_TYPE_VMAR,
	.name = "vmar",
	.default_rights = MX_VMAR_ROOT_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.release = mx_vmar_release,
};

/**
 * mx_to_vmar() - the VMAR an object of mx_vmar_ops is
 * @obj: the object
 *
 * Return: the VMAR.
 */
struct mx_vmar *mx_to_vmar(struct mx_object *obj)
{
	return container_of(obj, struct mx_vmar, base);
}

/**
 * mx_vmar_obj() - the object a VMAR is
 * @v: the VMAR
 *
 * Return: the object.
 */
struct mx_object *mx_vmar_obj(struct mx_vmar *v)
{
	return &v->base;
}

static struct mx_vmar *mx_vmar_alloc(struct mx_aspace *as, unsigned long base,
				     unsigned long size, u32 flags)
{
	struct mx_vmar *v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);

	if (!v)
		return NULL;
	mx_object_init(&v->base, &mx_vmar_ops, 0);
	v->node.base = base;
	v->node.size = size;
	v->node.vmar = v;
	INIT_LIST_HEAD(&v->children);
	v->flags = flags;
	kref_get(&as->ref);
	v->aspace = as;
	return v;
}

static inline unsigned long mx_node_end(const struct mx_vmar_node *n)
{
	return n->base + n->size;
}

static inline struct mx_mapping *mx_to_mapping(struct mx_vmar_node *n)
{
	return container_of(n, struct mx_mapping, node);
}

static inline bool mx_vmar_is_root(const struct mx_vmar *v)
{
	return v == v->aspace->root;
}

/* Whether a call acts on the Linux address space, or only on the tree. */
static inline bool mx_vmar_pending(const struct mx_vmar *v)
{
	return !v->aspace->mm;
}

/* Whether the calling thread may act on @v's address space. */
static int mx_vmar_check_mm(struct mx_vmar *v)
{
	lockdep_assert_held(&v->aspace->lock);
	if (!v->aspace->mm || v->aspace->mm == current->mm)
		return 0;
	/* An address space that is gone (its process exited or exec'd). */
	if (!atomic_read(&v->aspace->mm->mm_users))
		return MX_ERR_BAD_STATE;
	return MX_ERR_NOT_SUPPORTED;
}

static int mx_errno_status(long err)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return MX_ERR_ACCESS_DENIED;
	case -EINVAL:
	case -EOVERFLOW:
		return MX_ERR_INVALID_ARGS;
	default:
		return MX_ERR_NO_MEMORY;
	}
}

/* vm_mmap() at exactly @addr: 0 or a negative errno. */
static long mx_vm_mmap(struct file *file, unsigned long addr,
		       unsigned long len, unsigned long prot,
		       unsigned long flags, u64 off)
{
	unsigned long r = vm_mmap(file, addr, len, prot, flags, off);

	if (IS_ERR_VALUE(r))
		return (long)r;
	if (WARN_ON_ONCE(r != addr)) {
		vm_munmap(r, len);
		return -ENOMEM;
	}
	return 0;
}

/* The placeholder of a sub-VMAR over [@addr, @addr + @len). */
static long mx_vm_reserve(unsigned long addr, unsigned long len, bool fixed)
{
	return mx_vm_mmap(NULL, addr, len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			  (fixed ? MAP_FIXED : MAP_FIXED_NOREPLACE), 0);
}

/*
 * Give [@addr, @addr + @len), a range @v's children held, back to @v:
 * unmapped in the root, placeholder again in a sub-VMAR.
 */
static void mx_vmar_give_back(struct mx_vmar *v, unsigned long addr,
			      unsigned long len)
{
	if (mx_vmar_pending(v))
		return;
	if (mx_vmar_is_root(v) || mx_vm_reserve(addr, len, true))
		vm_munmap(addr, len);
}

static unsigned long mx_vm_prot(u32 perms)
{
	return ((perms & MX_VM_FLAG_PERM_READ) ? PROT_READ : 0) |
	       ((perms & MX_VM_FLAG_PERM_WRITE) ? PROT_WRITE : 0) |
	       ((perms & MX_VM_FLAG_PERM_EXECUTE) ? PROT_EXEC : 0);
}

static void mx_mapping_free(struct mx_aspace *as, struct mx_mapping *m)
{
	list_del(&m->node.link);
	fput(m->file);
	as->nmappings--;
	mx_user_uncharge_mappings(as->user, 1);
	kfree(m);
}

/*
 * Room for @n more mapping records in @as, within max_vmar_mappings and
 * its user's max_user_vmar_mappings: 0 (charged to the user) or
 * MX_ERR_NO_RESOURCES.
 */
static int mx_aspace_charge(struct mx_aspace *as, unsigned int n)
{
	lockdep_assert_held(&as->lock);
	if (as->nmappings + n > READ_ONCE(mx_max_vmar_mappings))
		return MX_ERR_NO_RESOURCES;
	return n ? mx_user_charge_mappings(as->user, n) : 0;
}

/*
 * Mark @top and everything below it dead and drop the records, without
 * touching the address space. Iterative: VMARs may nest deeply.
 */
static void mx_vmar_kill_tree(struct mx_vmar *top)
{
	struct mx_aspace *as = top->aspace;
	struct mx_vmar *v = top;

	lockdep_assert_held(&as->lock);
	for (;;) {
		struct mx_vmar_node *n;
		struct mx_vmar *parent;

		n = list_first_entry_or_null(&v->children,
					     struct mx_vmar_node, link);
		if (n && !n->vmar) {
			mx_mapping_free(as, mx_to_mapping(n));
			continue;
		}
		if (n) {
			v = n->vmar;
			continue;
		}
		v->dead = true;
		if (v == top)
			break;
		parent = v->parent;
		list_del(&v->node.link);
		v->parent = NULL;
		mx_object_put(&v->base);
		v = parent;
	}
}

/* The first child of @v that overlaps [@addr, @end), or NULL. */
static struct mx_vmar_node *mx_vmar_first_overlap(struct mx_vmar *v,
						  unsigned long addr,
						  unsigned long end)
{
	struct mx_vmar_node *n;

	list_for_each_entry(n, &v->children, link) {
		if (n->base >= end)
			return NULL;
		if (mx_node_end(n) > addr)
			return n;
	}
	return NULL;
}

/* Put @n in @v's children at its place. */
static void mx_vmar_insert(struct mx_vmar *v, struct mx_vmar_node *n)
{
	struct mx_vmar_node *pos;

	list_for_each_entry(pos, &v->children, link) {
		if (pos->base > n->base) {
			list_add_tail(&n->link, &pos->link);
			return;
		}
	}
	list_add_tail(&n->link, &v->children);
}

/*
 * The room a placement leaves below a stack that grows down: what Linux
 * leaves below the main stack for its own mappings (the stack rlimit,
 * kept between 128 MiB and 1 GiB), and the guard gap.
 */
static unsigned long mx_stack_room(void)
{
	return clamp_t(unsigned long, rlimit(RLIMIT_STACK), SZ_128M, SZ_1G) +
	       SZ_1M;
}

/*
 * Whether a placement may take [@addr, @addr + @size) of the root: Linux
 * maps nothing there, nor a stack that may grow down into it.
 */
static bool mx_vm_free(struct mm_struct *mm, unsigned long addr,
		       unsigned long size)
{
	struct vm_area_struct *vma;
	bool free;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	free = !vma || vma->vm_start >= addr + size + mx_stack_room() ||
	       (vma->vm_start >= addr + size &&
		!(vma->vm_flags & VM_GROWSDOWN));
	mmap_read_unlock(mm);
	return free;
}

/**
 * mx_vmar_gap_places() - the places for @size bytes in one gap, in a walk
 *	of a VMAR's gaps in address order
 * @start: the gap's first address, page aligned
 * @end: its end, page aligned, not below @start
 * @size: the size to place, page aligned, not 0
 * @pick: the place wanted, counted from the walk's first
 * @slots: in: the places the walk's earlier gaps have; out: with this one's
 * @addr: out: the @pick-th place, if it is in this gap; else untouched
 *
 * Pure, for the placement of mx_vmar_place() and its KUnit suite.
 */
void mx_vmar_gap_places(unsigned long start, unsigned long end,
			unsigned long size, u64 pick, u64 *slots,
			unsigned long *addr)
{
	u64 k;

	if (end - start < size)
		return;
	k = (end - start - size) / PAGE_SIZE + 1;
	if (pick >= *slots && pick - *slots < k)
		*addr = start + (pick - *slots) * PAGE_SIZE;
	*slots += k;
}
EXPORT_SYMBOL_IF_KUNIT(mx_vmar_gap_places);

/*
 * How many page-aligned places for @size bytes the gaps of @v have; if
 * @pick is below that, *@addr is the @pick-th of them.
 */
static u64 mx_vmar_slots(struct mx_vmar *v, unsigned long size, u64 pick,
			 unsigned long *addr)
{
	unsigned long start = v->node.base, end;
	struct mx_vmar_node *n = NULL;
	u64 slots = 0;

	for (;;) {
		n = list_prepare_entry(n, &v->children, link);
		n = list_next_entry(n, link);
		end = list_entry_is_head(n, &v->children, link) ?
		      mx_node_end(&v->node) : n->base;
		mx_vmar_gap_places(start, end, size, pick, &slots, addr);
		if (list_entry_is_head(n, &v->children, link))
			return slots;
		start = mx_node_end(n);
	}
}

/* The lowest place for @size bytes in @v that Linux leaves free. */
static int mx_vmar_first_fit(struct mx_vmar *v, unsigned long size,
			     unsigned long *addr)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = v->node.base, end, a;
	struct mx_vmar_node *n = NULL;
	struct vm_area_struct *vma;
	int ret = MX_ERR_NO_MEMORY;

	mmap_read_lock(mm);
	for (;;) {
		n = list_prepare_entry(n, &v->children, link);
		n = list_next_entry(n, link);
		end = list_entry_is_head(n, &v->children, link) ?
		      mx_node_end(&v->node) : n->base;
		for (a = start; a < end && end - a >= size; a = vma->vm_end) {
			vma = find_vma_intersection(mm, a, a + size);
			if (!vma) {
				*addr = a;
				ret = 0;
				goto out;
			}
		}
		if (list_entry_is_head(n, &v->children, link))
			break;
		start = mx_node_end(n);
	}
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * COMPACT: next to the lowest or the highest child, with a random gap of
 * 1 to 128 pages, halved while neither side has room.
 */
static int mx_vmar_place_compact(struct mx_vmar *v, unsigned long size,
				 unsigned long *addr)
{
	struct mx_vmar_node *lo, *hi;
	unsigned long gap, a, vend = mx_node_end(&v->node);
	bool root = mx_vmar_is_root(v);
	u32 r = get_random_u32();
	int side, i;

	lo = list_first_entry(&v->children, struct mx_vmar_node, link);
	hi = list_last_entry(&v->children, struct mx_vmar_node, link);
	for (gap = ((r & 127) + 1) * PAGE_SIZE; gap; gap = (gap / 2) & PAGE_MASK) {
		for (i = 0; i < 2; i++) {
			side = ((r >> 7) + i) & 1;
			if (side) {
				if (vend - mx_node_end(hi) < gap ||
				    vend - mx_node_end(hi) - gap < size)
					continue;
				a = mx_node_end(hi) + gap;
			} else {
				if (lo->base - v->node.base < gap + size ||
				    gap + size < gap)
					continue;
				a = lo->base - gap - size;
			}
			if (!root || mx_vm_free(current->mm, a, size)) {
				*addr = a;
				return 0;
			}
		}
	}
	return MX_ERR_NO_MEMORY;
}

/*
 * A place for @size bytes among @v's children, uniformly at random among
 * the page-aligned places that fit; in the root, also clear of Linux's
 * mappings (MX_VMAR_PLACE_TRIES random tries, then the lowest place).
 */
static int mx_vmar_place(struct mx_vmar *v, unsigned long size,
			 unsigned long *addr)
{
	u64 slots;
	int i;

	if ((v->flags & MX_VM_FLAG_COMPACT) && !list_empty(&v->children))
		return mx_vmar_place_compact(v, size, addr);
	slots = mx_vmar_slots(v, size, U64_MAX, addr);
	if (!slots)
		return MX_ERR_NO_MEMORY;
	for (i = 0; i < MX_VMAR_PLACE_TRIES; i++) {
		mx_vmar_slots(v, size, get_random_u64() % slots, addr);
		if (!mx_vmar_is_root(v) || mx_vm_free(current->mm, *addr, size))
			return 0;
	}
	return mx_vmar_first_fit(v, size, addr);
}

/* Whether [@addr, @addr + @size) is a page-aligned range inside @v. */
static bool mx_vmar_contains(struct mx_vmar *v, unsigned long addr,
			     unsigned long size)
{
	return addr >= v->node.base && addr - v->node.base <= v->node.size &&
	       size <= v->node.size - (addr - v->node.base);
}

/* Round @len up to pages; 0 if it is 0 or wraps. */
static u64 mx_page_round(u64 len)
{
	if (len > U64_MAX - PAGE_SIZE + 1)
		return 0;
	return PAGE_ALIGN(len);
}

/*
 * Split mapping @m at @at (inside it) using @spare: @m keeps what is
 * below @at, @spare becomes the rest.
 */
static void mx_mapping_split(struct mx_aspace *as, struct mx_mapping *m,
			     unsigned long at, struct mx_mapping *spare)
{
	unsigned long cut = at - m->node.base;

	spare->node.base = at;
	spare->node.size = m->node.size - cut;
	spare->node.vmar = NULL;
	spare->file = get_file(m->file);
	spare->vmo_offset = m->vmo_offset + cut;
	spare->perms = m->perms;
	spare->max_perms = m->max_perms;
	m->node.size = cut;
	list_add(&spare->node.link, &m->node.link);
	as->nmappings++;
}

/*
 * Remove [@addr, @end) from the children of @v: mappings are trimmed or
 * split (using *@spare, set to NULL if used), sub-VMARs wholly inside are
 * destroyed. The caller has checked that no sub-VMAR is only partly
 * inside. With @give_back, the address space follows (the pieces go back
 * to @v); without, the caller maps over the range itself.
 */
static void mx_vmar_cut(struct mx_vmar *v, unsigned long addr,
			unsigned long end, struct mx_mapping **spare,
			bool give_back)
{
	struct mx_aspace *as = v->aspace;
	struct mx_vmar_node *n, *tmp;

	n = mx_vmar_first_overlap(v, addr, end);
	if (!n)
		return;
	list_for_each_entry_safe_from(n, tmp, &v->children, link) {
		unsigned long s = max(n->base, addr);
		unsigned long e = min(mx_node_end(n), end);
		struct mx_mapping *m;

		if (n->base >= end)
			break;
		if (give_back)
			mx_vmar_give_back(v, s, e - s);
		if (n->vmar) {
			mx_vmar_kill_tree(n->vmar);
			list_del(&n->link);
			n->vmar->parent = NULL;
			mx_object_put(&n->vmar->base);
			continue;
		}
		m = mx_to_mapping(n);
		if (s == n->base && e == mx_node_end(n)) {
			mx_mapping_free(as, m);
		} else if (s == n->base) {
			m->vmo_offset += e - n->base;
			n->size = mx_node_end(n) - e;
			n->base = e;
		} else if (e == mx_node_end(n)) {
			n->size = s - n->base;
		} else {
			mx_mapping_split(as, m, e, *spare);
			*spare = NULL;
			n->size = s - n->base;
			break;
		}
	}
}

/* Whether a sub-VMAR of @v lies partly, not wholly, in [@addr, @end). */
static bool mx_vmar_cuts_region(struct mx_vmar *v, unsigned long addr,
				unsigned long end)
{
	struct mx_vmar_node *n = mx_vmar_first_overlap(v, addr, end);

	if (!n)
		return false;
	list_for_each_entry_from(n, &v->children, link) {
		if (n->base >= end)
			break;
		if (n->vmar && (n->base < addr || mx_node_end(n) > end))
			return true;
	}
	return false;
}

/**
 * mx_vmar_allocate() - mx_vmar_allocate(), after the lookup of @parent
 * @parent: the VMAR to allocate in, referenced by the caller
 * @offset: where (with MX_VM_FLAG_SPECIFIC), from @parent's base
 * @size: how many bytes, page aligned
 * @flags: MX_VM_FLAG_*: CAN_MAP_*, SPECIFIC, CAN_MAP_SPECIFIC, COMPACT
 * @child: out: the new VMAR, referenced (one reference for the caller)
 * @rights: out: the rights of its first handle
 * @addr: out: its base
 *
 * The caller has checked the rights @flags need on @parent's handle.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_INVALID_ARGS (an unknown flag or a PERM_* one, @size
 * unaligned, SPECIFIC_OVERWRITE or MAP_RANGE), MX_ERR_NOT_SUPPORTED (a
 * VMAR of another address space), MX_ERR_BAD_STATE (@parent destroyed),
 * MX_ERR_INVALID_ARGS (@size 0), MX_ERR_ACCESS_DENIED (CAN_MAP_* beyond
 * @parent's), MX_ERR_INVALID_ARGS (@offset without SPECIFIC),
 * MX_ERR_ACCESS_DENIED (SPECIFIC in a VMAR without CAN_MAP_SPECIFIC),
 * MX_ERR_INVALID_ARGS (out of @parent), MX_ERR_NO_MEMORY (the range is
 * taken, no room, no memory).
 */
int mx_vmar_allocate(struct mx_vmar *parent, u64 offset, u64 size, u32 flags,
		     struct mx_vmar **child, u32 *rights, u64 *addr)
{
	struct mx_aspace *as = parent->aspace;
	unsigned long base;
	struct mx_vmar *v;
	int ret, tries;
	long err;

	if (flags & ~MX_VM_ALL || flags & MX_VM_PERMS)
		return MX_ERR_INVALID_ARGS;
	if (!PAGE_ALIGNED(size))
		return MX_ERR_INVALID_ARGS;
	if (flags & (MX_VM_FLAG_SPECIFIC_OVERWRITE | MX_VM_FLAG_MAP_RANGE))
		return MX_ERR_INVALID_ARGS;
	v = mx_vmar_alloc(as, 0, 0, flags & (MX_VM_CAN_MAP |
					     MX_VM_FLAG_CAN_MAP_SPECIFIC |
					     MX_VM_FLAG_COMPACT));
	if (!v)
		return MX_ERR_NO_MEMORY;
	mutex_lock(&as->lock);
	ret = mx_vmar_check_mm(parent);
	if (ret)
		goto out_unlock;
	ret = MX_ERR_BAD_STATE;
	if (parent->dead)
		goto out_unlock;
	ret = MX_ERR_INVALID_ARGS;
	if (!size)
		goto out_unlock;
	ret = MX_ERR_ACCESS_DENIED;
	if (flags & MX_VM_CAN_MAP & ~parent->flags)
		goto out_unlock;
	ret = MX_ERR_INVALID_ARGS;
	if (!(flags & MX_VM_FLAG_SPECIFIC) && offset)
		goto out_unlock;
	ret = MX_ERR_ACCESS_DENIED;
	if ((flags & MX_VM_FLAG_SPECIFIC) &&
	    !(parent->flags & MX_VM_FLAG_CAN_MAP_SPECIFIC))
		goto out_unlock;
	ret = MX_ERR_INVALID_ARGS;
	if (offset >= parent->node.size || size > parent->node.size - offset)
		goto out_unlock;
	for (tries = 0; tries < 3; tries++) {
		if (flags & MX_VM_FLAG_SPECIFIC) {
			base = parent->node.base + offset;
			ret = MX_ERR_NO_MEMORY;
			if (mx_vmar_first_overlap(parent, base, base + size))
				goto out_unlock;
		} else {
			ret = mx_vmar_place(parent, size, &base);
			if (ret)
				goto out_unlock;
		}
		err = mx_vmar_is_root(parent) && !mx_vmar_pending(parent) ?
		      mx_vm_reserve(base, size, false) : 0;
		ret = err ? mx_errno_status(err) : 0;
		if (!ret || (flags & MX_VM_FLAG_SPECIFIC))
			break;
	}
	if (ret)
		goto out_unlock;
	v->node.base = base;
	v->node.size = size;
	v->parent = parent;
	mx_object_get(&v->base);	/* the tree's */
	mx_vmar_insert(parent, &v->node);
	mutex_unlock(&as->lock);
	*child = v;
	*rights = MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  ((flags & MX_VM_FLAG_CAN_MAP_READ) ? MX_RIGHT_READ : 0) |
		  ((flags & MX_VM_FLAG_CAN_MAP_WRITE) ? MX_RIGHT_WRITE : 0) |
		  ((flags & MX_VM_FLAG_CAN_MAP_EXECUTE) ? MX_RIGHT_EXECUTE : 0);
	*addr = base;
	return 0;

out_unlock:
	mutex_unlock(&as->lock);
	v->dead = true;
	mx_object_put(&v->base);
	return ret;
}

/* MX_VM_FLAG_PERM_* to MX_RIGHT_READ/WRITE/EXECUTE, and back. */
static u32 mx_perms_rights(u32 perms)
{
	return ((perms & MX_VM_FLAG_PERM_READ) ? MX_RIGHT_READ : 0) |
	       ((perms & MX_VM_FLAG_PERM_WRITE) ? MX_RIGHT_WRITE : 0) |
	       ((perms & MX_VM_FLAG_PERM_EXECUTE) ? MX_RIGHT_EXECUTE : 0);
}

static u32 mx_rights_perms(u32 rights)
{
	return ((rights & MX_RIGHT_READ) ? MX_VM_FLAG_PERM_READ : 0) |
	       ((rights & MX_RIGHT_WRITE) ? MX_VM_FLAG_PERM_WRITE : 0) |
	       ((rights & MX_RIGHT_EXECUTE) ? MX_VM_FLAG_PERM_EXECUTE : 0);
}

/* The CAN_MAP_* flag of each PERM_* one. */
static u32 mx_perms_can_map(u32 perms)
{
	return (perms & MX_VM_PERMS) << 7;
}

/* Readable, and writable only if readable: all Magenta can express. */
static bool mx_perms_valid(u32 flags)
{
	u32 rw = flags & (MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE);

	return rw & MX_VM_FLAG_PERM_READ;
}

/*
 * Map @file at [@base, @base + @len) of @v (a place found or checked),
 * MAP_FIXED_NOREPLACE in the root, over the placeholder elsewhere.
 */
static long mx_vmar_mmap(struct mx_vmar *v, struct file *file,
			 unsigned long base, unsigned long len, u32 perms,
			 u64 vmo_offset)
{
	if (mx_vmar_pending(v))
		return 0;
	return mx_vm_mmap(file, base, len, mx_vm_prot(perms),
			  MAP_SHARED | (mx_vmar_is_root(v) ?
					MAP_FIXED_NOREPLACE : MAP_FIXED),
			  vmo_offset);
}

/**
 * mx_vmar_map() - mx_vmar_map(), after the lookups of both handles
 * @v: the VMAR to map in, referenced by the caller
 * @vmar_rights: the rights of @v's handle
 * @vmo: the VMO, referenced by the caller
 * @vmo_rights: the rights of @vmo's handle
 * @vmar_offset: where (with SPECIFIC or SPECIFIC_OVERWRITE), from @v's base
 * @vmo_offset: the VMO offset of the first page, page aligned
 * @len: how many bytes, rounded up to pages
 * @flags: MX_VM_FLAG_*: PERM_*, SPECIFIC, SPECIFIC_OVERWRITE, MAP_RANGE
 * @addr: out: where the mapping is
 *
 * MAP_RANGE is accepted and does nothing more: pages come in as they
 * are touched.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_ACCESS_DENIED (no MX_RIGHT_MAP on @vmo),
 * MX_ERR_INVALID_ARGS (not readable, or writable without readable; a
 * CAN_MAP_* flag), MX_ERR_ACCESS_DENIED (a permission neither handle
 * grants), MX_ERR_INVALID_ARGS (an unknown flag, COMPACT,
 * CAN_MAP_SPECIFIC), MX_ERR_ACCESS_DENIED (a permission @v cannot map),
 * MX_ERR_INVALID_ARGS (@vmo_offset unaligned or wrapping),
 * MX_ERR_NOT_SUPPORTED (a VMAR of another address space),
 * MX_ERR_BAD_STATE (@v destroyed), MX_ERR_INVALID_ARGS (@len 0, an
 * offset without SPECIFIC), MX_ERR_ACCESS_DENIED (SPECIFIC in a VMAR
 * without CAN_MAP_SPECIFIC), MX_ERR_INVALID_ARGS (out of @v),
 * MX_ERR_NO_RESOURCES (max_vmar_mappings), MX_ERR_INVALID_ARGS (a
 * SPECIFIC_OVERWRITE over a sub-VMAR), MX_ERR_NO_MEMORY (the range is
 * taken, no room, no memory).
 */
int mx_vmar_map(struct mx_vmar *v, u32 vmar_rights, struct mx_vmo *vmo,
		u32 vmo_rights, u64 vmar_offset, u64 vmo_offset, u64 len,
		u32 flags, u64 *addr)
{
	struct mx_aspace *as = v->aspace;
	struct mx_mapping *m, *spare;
	struct mx_vmar_node *n;
	unsigned long base = 0;
	unsigned int charged = 0;
	u32 perms, allowed;
	struct file *file;
	int ret, tries;
	long err = 0;

	if (!(vmo_rights & MX_RIGHT_MAP))
		return MX_ERR_ACCESS_DENIED;
	if (!mx_perms_valid(flags))
		return MX_ERR_INVALID_ARGS;
	flags &= ~MX_VM_FLAG_MAP_RANGE;
	if (flags & MX_VM_CAN_MAP)
		return MX_ERR_INVALID_ARGS;
	perms = flags & MX_VM_PERMS;
	allowed = mx_rights_perms(vmo_rights & vmar_rights);
	if (perms & ~allowed)
		return MX_ERR_ACCESS_DENIED;
	if (flags & ~MX_VM_ALL)
		return MX_ERR_INVALID_ARGS;
	if (flags & (MX_VM_FLAG_COMPACT | MX_VM_FLAG_CAN_MAP_SPECIFIC))
		return MX_ERR_INVALID_ARGS;
	if (mx_perms_can_map(perms) & ~v->flags)
		return MX_ERR_ACCESS_DENIED;
	len = mx_page_round(len);
	if (!PAGE_ALIGNED(vmo_offset) || vmo_offset + len < vmo_offset)
		return MX_ERR_INVALID_ARGS;

	file = mx_vmo_file_new(vmo, MX_RIGHT_MAP | mx_perms_rights(allowed), 0);
	if (IS_ERR(file))
		return MX_ERR_NO_MEMORY;
	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	ret = MX_ERR_NO_MEMORY;
	if (!m || !spare)
		goto out_free;

	mutex_lock(&as->lock);
	ret = mx_vmar_check_mm(v);
	if (ret)
		goto out_unlock;
	ret = MX_ERR_BAD_STATE;
	if (v->dead)
		goto out_unlock;
	ret = MX_ERR_INVALID_ARGS;
	if (!len)
		goto out_unlock;
	if (!(flags & (MX_VM_FLAG_SPECIFIC | MX_VM_FLAG_SPECIFIC_OVERWRITE))) {
		if (vmar_offset)
			goto out_unlock;
	} else if (!(v->flags & MX_VM_FLAG_CAN_MAP_SPECIFIC)) {
		ret = MX_ERR_ACCESS_DENIED;
		goto out_unlock;
	}
	if (vmar_offset >= v->node.size || len > v->node.size - vmar_offset)
		goto out_unlock;
	/* A mapping overwritten in its middle leaves two pieces. */
	ret = mx_aspace_charge(as, (flags & MX_VM_FLAG_SPECIFIC_OVERWRITE) ?
				   2 : 1);
	if (ret)
		goto out_unlock;
	charged = (flags & MX_VM_FLAG_SPECIFIC_OVERWRITE) ? 2 : 1;
	ret = MX_ERR_INVALID_ARGS;

	if (flags & (MX_VM_FLAG_SPECIFIC | MX_VM_FLAG_SPECIFIC_OVERWRITE)) {
		base = v->node.base + vmar_offset;
		ret = MX_ERR_INVALID_ARGS;
		if (!PAGE_ALIGNED(base))
			goto out_unlock;
		n = mx_vmar_first_overlap(v, base, base + len);
		if (n && !(flags & MX_VM_FLAG_SPECIFIC_OVERWRITE)) {
			ret = MX_ERR_NO_MEMORY;
			goto out_unlock;
		}
		if (n) {
			list_for_each_entry_from(n, &v->children, link) {
				if (n->base >= base + len)
					break;
				if (n->vmar)
					goto out_unlock;
			}
			/*
			 * The root's pieces are unmapped first: its new
			 * mapping may not replace a Linux one.
			 */
			mx_vmar_cut(v, base, base + len, &spare,
				    mx_vmar_is_root(v));
		}
		err = mx_vmar_mmap(v, file, base, len, perms, vmo_offset);
		if (err && !mx_vmar_is_root(v) && !mx_vmar_pending(v))
			mx_vm_reserve(base, len, true);
	} else {
		for (tries = 0; tries < 3; tries++) {
			ret = mx_vmar_place(v, len, &base);
			if (ret)
				goto out_unlock;
			err = mx_vmar_mmap(v, file, base, len, perms,
					   vmo_offset);
			if (err != -EEXIST)
				break;
		}
	}
	if (err) {
		ret = mx_errno_status(err);
		goto out_unlock;
	}
	m->node.base = base;
	m->node.size = len;
	m->file = file;
	m->vmo_offset = vmo_offset;
	m->perms = perms;
	m->max_perms = allowed;
	mx_vmar_insert(v, &m->node);
	as->nmappings++;
	/* What was charged for a split that did not happen goes back. */
	mx_user_uncharge_mappings(as->user, charged - 1 - !spare);
	mutex_unlock(&as->lock);
	kfree(spare);
	*addr = base;
	return 0;

out_unlock:
	if (charged)
		mx_user_uncharge_mappings(as->user, charged - !spare);
	mutex_unlock(&as->lock);
out_free:
	kfree(spare);
	kfree(m);
	fput(file);
	return ret;
}

/*
 * The common start of unmap and protect: round @len, lock, and check
 * that @v is usable and holds the range. Returns with the lock held on
 * success only.
 */
static int mx_vmar_lock_range(struct mx_vmar *v, u64 addr, u64 *len)
{
	int ret;

	*len = mx_page_round(*len);
	if (!*len)
		return MX_ERR_INVALID_ARGS;
	mutex_lock(&v->aspace->lock);
	ret = mx_vmar_check_mm(v);
	if (!ret && v->dead)
		ret = MX_ERR_BAD_STATE;
	if (!ret && !mx_vmar_contains(v, addr, *len))
		ret = MX_ERR_INVALID_ARGS;
	if (ret)
		mutex_unlock(&v->aspace->lock);
	return ret;
}

/**
 * mx_vmar_unmap() - mx_vmar_unmap(), after the lookup of @v
 * @v: the VMAR, referenced by the caller
 * @addr: the first address, page aligned
 * @len: how many bytes, rounded up to pages
 *
 * Mappings in the range are unmapped, trimmed or split; sub-VMARs
 * wholly inside it are destroyed. Gaps are fine.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_INVALID_ARGS (@addr unaligned, @len 0),
 * MX_ERR_NOT_SUPPORTED (a VMAR of another address space),
 * MX_ERR_BAD_STATE (@v destroyed), MX_ERR_INVALID_ARGS (the range is not
 * inside @v, or holds part of a sub-VMAR), MX_ERR_NO_RESOURCES (a mapping
 * split in two would pass a mapping limit), MX_ERR_NO_MEMORY.
 */
int mx_vmar_unmap(struct mx_vmar *v, u64 addr, u64 len)
{
	struct mx_mapping *spare;
	struct mx_vmar_node *n;
	bool split;
	int ret;

	if (!PAGE_ALIGNED(addr))
		return MX_ERR_INVALID_ARGS;
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	if (!spare)
		return MX_ERR_NO_MEMORY;
	ret = mx_vmar_lock_range(v, addr, &len);
	if (ret)
		goto out;
	/* Unmapping the middle of a mapping leaves two pieces. */
	n = mx_vmar_first_overlap(v, addr, addr + len);
	split = n && !n->vmar && n->base < addr &&
		mx_node_end(n) > addr + len;
	if (mx_vmar_cuts_region(v, addr, addr + len))
		ret = MX_ERR_INVALID_ARGS;
	else
		ret = mx_aspace_charge(v->aspace, split);
	if (!ret)
		mx_vmar_cut(v, addr, addr + len, &spare, true);
	if (!ret && split && spare)
		mx_user_uncharge_mappings(v->aspace->user, 1);
	mutex_unlock(&v->aspace->lock);
out:
	kfree(spare);
	return ret;
}

/**
 * mx_vmar_protect() - mx_vmar_protect(), after the lookup of @v
 * @v: the VMAR, referenced by the caller; its handle has the rights @prot
 *	needs
 * @addr: the first address, page aligned
 * @len: how many bytes, rounded up to pages
 * @prot: MX_VM_FLAG_PERM_*
 *
 * The range must be covered by mappings of @v, without gaps; each is
 * mapped again with @prot, split where the range ends inside it.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_INVALID_ARGS (@prot not readable, or writable without
 * readable; @addr unaligned; a flag other than PERM_*; @len 0),
 * MX_ERR_NOT_SUPPORTED (a VMAR of another address space),
 * MX_ERR_BAD_STATE (@v destroyed), MX_ERR_INVALID_ARGS (not inside @v),
 * MX_ERR_NOT_FOUND (a part of the range is not mapped),
 * MX_ERR_INVALID_ARGS (a sub-VMAR in the range), MX_ERR_ACCESS_DENIED
 * (beyond what a mapping was allowed at map time), MX_ERR_NO_RESOURCES
 * (a split would pass max_vmar_mappings), MX_ERR_NO_MEMORY.
 */
int mx_vmar_protect(struct mx_vmar *v, u64 addr, u64 len, u32 prot)
{
	struct mx_mapping *spare[2], *m;
	struct mx_vmar_node *n, *first;
	unsigned long end, expect;
	int ret = MX_ERR_INVALID_ARGS;
	long err;

	if (!mx_perms_valid(prot) || !PAGE_ALIGNED(addr) ||
	    prot & ~MX_VM_PERMS)
		return MX_ERR_INVALID_ARGS;
	spare[0] = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	spare[1] = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!spare[0] || !spare[1]) {
		ret = MX_ERR_NO_MEMORY;
		goto out;
	}
	ret = mx_vmar_lock_range(v, addr, &len);
	if (ret)
		goto out;
	end = addr + len;
	ret = MX_ERR_NOT_FOUND;
	first = mx_vmar_first_overlap(v, addr, end);
	if (!first || first->base > addr)
		goto out_unlock;
	expect = addr;
	n = first;
	list_for_each_entry_from(n, &v->children, link) {
		if (n->base >= end)
			break;
		ret = MX_ERR_NOT_FOUND;
		if (n->base > expect)
			goto out_unlock;
		ret = MX_ERR_INVALID_ARGS;
		if (n->vmar)
			goto out_unlock;
		ret = MX_ERR_ACCESS_DENIED;
		if (prot & ~mx_to_mapping(n)->max_perms)
			goto out_unlock;
		expect = mx_node_end(n);
	}
	ret = MX_ERR_NOT_FOUND;
	if (expect < end)
		goto out_unlock;
	ret = mx_aspace_charge(v->aspace, (first->base < addr) +
					  (expect > end));
	if (ret)
		goto out_unlock;

	ret = 0;
	n = first;
	if (n->base < addr) {
		mx_mapping_split(v->aspace, mx_to_mapping(n), addr, spare[0]);
		spare[0] = NULL;
		n = list_next_entry(n, link);
	}
	while (!list_entry_is_head(n, &v->children, link) && n->base < end) {
		struct mx_vmar_node *next;

		m = mx_to_mapping(n);
		if (mx_node_end(n) > end) {
			mx_mapping_split(v->aspace, m, end, spare[1]);
			spare[1] = NULL;
		}
		next = list_next_entry(n, link);
		err = mx_vmar_pending(v) ? 0 :
		      mx_vm_mmap(m->file, n->base, n->size, mx_vm_prot(prot),
				 MAP_SHARED | MAP_FIXED, m->vmo_offset);
		if (err) {
			/* Not mapped any more: the record goes too. */
			mx_vmar_give_back(v, n->base, n->size);
			mx_mapping_free(v->aspace, m);
			ret = mx_errno_status(err);
		} else {
			m->perms = prot;
		}
		n = next;
	}
out_unlock:
	mutex_unlock(&v->aspace->lock);
out:
	kfree(spare[0]);
	kfree(spare[1]);
	return ret;
}

/**
 * mx_vmar_destroy() - mx_vmar_destroy(), after the lookup of @v
 * @v: the VMAR, referenced by the caller
 *
 * Everything in @v is unmapped, its sub-VMARs are destroyed, and its
 * range goes back to its parent.
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_NOT_SUPPORTED (a VMAR of another address space),
 * MX_ERR_BAD_STATE (already destroyed).
 */
int mx_vmar_destroy(struct mx_vmar *v)
{
	struct mx_aspace *as = v->aspace;
	struct mx_vmar_node *n;
	int ret;

	mutex_lock(&as->lock);
	ret = mx_vmar_check_mm(v);
	if (!ret && v->dead)
		ret = MX_ERR_BAD_STATE;
	if (ret)
		goto out;
	if (v->parent) {
		mx_vmar_give_back(v->parent, v->node.base, v->node.size);
	} else {
		list_for_each_entry(n, &v->children, link)
			mx_vmar_give_back(v, n->base, n->size);
	}
	mx_vmar_kill_tree(v);
	if (v->parent) {
		list_del(&v->node.link);
		v->parent = NULL;
		mx_object_put(&v->base);	/* the tree's; the caller has one */
	}
out:
	mutex_unlock(&as->lock);
	return ret;
}

/**
 * mx_vmar_info() - MX_INFO_VMAR of a VMAR, destroyed or not
 * @v: the VMAR
 * @rec: out
 */
void mx_vmar_info(struct mx_vmar *v, struct mx_info_vmar *rec)
{
	rec->base = v->node.base;
	rec->len = v->node.size;
}

static struct mx_aspace *mx_aspace_new(struct mm_struct *mm)
{
	struct mx_aspace *as = kzalloc(sizeof(*as), GFP_KERNEL_ACCOUNT);

	if (!as)
		return NULL;
	as->user = mx_user_get(current_uid());
	if (!as->user) {
		kfree(as);
		return NULL;
	}
	kref_init(&as->ref);
	mutex_init(&as->lock);
	if (mm) {
		mmgrab(mm);
		as->mm = mm;
	}
	/* A 32-bit process's address space ends lower. */
	as->root = mx_vmar_alloc(as, MX_VMAR_ROOT_BASE,
				 min(MX_VMAR_ROOT_END, TASK_SIZE) -
				 MX_VMAR_ROOT_BASE,
				 MX_VM_CAN_MAP | MX_VM_FLAG_CAN_MAP_SPECIFIC);
	if (!as->root) {
		mx_aspace_put(as);
		return NULL;
	}
	return as;
}

/**
 * mx_aspace_detach() - the process that made @as lets it go
 * @as: the address space record, or NULL
 *
 * Its VMARs all become dead, without touching the address space (it is
 * gone, or no longer the process's); handles to them keep the objects.
 *
 * Context: process context, no mx lock held.
 */
void mx_aspace_detach(struct mx_aspace *as)
{
	struct mx_vmar *root;

	if (!as)
		return;
	mutex_lock(&as->lock);
	root = as->root;
	mx_vmar_kill_tree(root);
	as->root = NULL;
	mutex_unlock(&as->lock);
	mx_object_put(&root->base);
	mx_aspace_put(as);
}

/*
 * The node after @n in a walk of the tree under @top in address order,
 * each sub-VMAR before its children (pre-order), or NULL at the end.
 * *@v is the VMAR whose child @n is, *@depth its depth below @top (0 for
 * @top's children); both follow the walk. Iterative: VMARs may nest deeply.
 */
static struct mx_vmar_node *mx_vmar_walk_next(struct mx_vmar *top,
					      struct mx_vmar_node *n,
					      struct mx_vmar **v,
					      unsigned int *depth)
{
	if (n && n->vmar) {
		*v = n->vmar;
		++*depth;
		n = list_first_entry(&(*v)->children, struct mx_vmar_node, link);
	} else {
		n = n ? list_next_entry(n, link) :
			list_first_entry(&top->children, struct mx_vmar_node,
					 link);
	}
	while (list_entry_is_head(n, &(*v)->children, link)) {
		if (*v == top)
			return NULL;
		n = list_next_entry(&(*v)->node, link);
		*v = (*v)->parent;
		--*depth;
	}
	return n;
}

/*
 * Apply the tree of a pending @as in the calling task's address space:
 * each sub-VMAR of the root reserved whole, each mapping mapped.
 */
static long mx_aspace_apply_tree(struct mx_aspace *as)
{
	struct mx_vmar *v = as->root;
	struct mx_vmar_node *n = NULL;
	struct mx_mapping *m;
	unsigned int depth = 0;
	long err;

	while ((n = mx_vmar_walk_next(as->root, n, &v, &depth))) {
		if (n->vmar) {
			if (depth)
				continue;
			err = mx_vm_reserve(n->base, n->size, false);
		} else {
			m = mx_to_mapping(n);
			err = mx_vm_mmap(m->file, n->base, n->size,
					 mx_vm_prot(m->perms),
					 MAP_SHARED | (depth ? MAP_FIXED :
						       MAP_FIXED_NOREPLACE),
					 m->vmo_offset);
		}
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

/**
 * mx_aspace_apply() - the child of a start lays out its address space
 * @p: the process it is claiming, STARTING
 * @own_mm: the child has memory of its own (a fork(), not the launcher's
 *	vfork()-style child, which execs next)
 *
 * If mx_process_create() gave @p's root VMAR out, @p's record is pending:
 * its tree is applied in the calling task's address space and the record
 * names that mm from then on. A child that shares its parent's memory
 * (the launcher's, which execs next) applies nothing: the record is let
 * go, and the program makes its own.
 *
 * Context: process context, the child's claim, no mx lock held.
 * Return: 0; MX_ERR_NO_MEMORY (a range is not free in the address space,
 * or no memory): the process is not to run (what was mapped stays, in an
 * address space about to go).
 */
int mx_aspace_apply(struct mx_process *p, bool own_mm)
{
	struct mx_aspace *as;
	int ret = 0;

	mutex_lock(&p->self_lock);
	as = p->aspace;
	if (!as)
		goto out;
	mutex_lock(&as->lock);
	if (as->mm || !as->root) {
		ret = MX_ERR_BAD_STATE;
	} else if (own_mm) {
		if (mx_aspace_apply_tree(as)) {
			ret = MX_ERR_NO_MEMORY;
		} else {
			mmgrab(current->mm);
			as->mm = current->mm;
		}
	}
	mutex_unlock(&as->lock);
	if (!own_mm) {
		p->aspace = NULL;
		mutex_unlock(&p->self_lock);
		mx_aspace_detach(as);
		return 0;
	}
out:
	mutex_unlock(&p->self_lock);
	return ret;
}

/**
 * mx_aspace_create_root() - the root VMAR of a process mx_process_create()
 *	made, for its creator
 * @p: the process, INITIAL
 * @root: out: its root VMAR, referenced
 *
 * Makes @p's pending address space record.
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_BAD_STATE (@p has one) or MX_ERR_NO_MEMORY.
 */
int mx_aspace_create_root(struct mx_process *p, struct mx_object **root)
{
	struct mx_aspace *as = mx_aspace_new(NULL);
	int ret = 0;

	if (!as)
		return MX_ERR_NO_MEMORY;
	mutex_lock(&p->self_lock);
	if (p->aspace) {
		ret = MX_ERR_BAD_STATE;
	} else {
		p->aspace = as;
		*root = &as->root->base;
		mx_object_get(*root);
		as = NULL;
	}
	mutex_unlock(&p->self_lock);
	if (as)
		mx_aspace_detach(as);
	return ret;
}

/*
 * One record of MX_INFO_PROCESS_MAPS; a mapping's VMO details are filled
 * in from @file, referenced, after the tree's lock is dropped.
 */
struct mx_maps_rec {
	struct mx_info_maps rec;
	struct file *file;
	u64 vmo_offset;
};

/* Records for @as's tree, from the third on: how many it has. */
static u64 mx_aspace_maps_fill(struct mx_aspace *as, struct mx_maps_rec *r,
			       u64 room)
{
	struct mx_vmar *v = as->root;
	struct mx_vmar_node *n = NULL;
	struct mx_mapping *m;
	unsigned int depth = 0;
	u64 count = 0;

	lockdep_assert_held(&as->lock);
	while ((n = mx_vmar_walk_next(as->root, n, &v, &depth))) {
		if (count < room) {
			r[count].rec.base = n->base;
			r[count].rec.size = n->size;
			r[count].rec.depth = depth + 2;
			if (n->vmar) {
				r[count].rec.type = MX_INFO_MAPS_TYPE_VMAR;
				strscpy(r[count].rec.name, "useralloc",
					sizeof(r[count].rec.name));
			} else {
				m = mx_to_mapping(n);
				r[count].rec.type = MX_INFO_MAPS_TYPE_MAPPING;
				r[count].rec.u.mapping.mmu_flags = m->perms;
				r[count].file = get_file(m->file);
				r[count].vmo_offset = m->vmo_offset;
			}
		}
		count++;
	}
	return count;
}

/**
 * mx_aspace_maps() - MX_INFO_PROCESS_MAPS of a running process
 * @p: the process
 * @mm: the address space it has now (not dereferenced)
 * @max: records wanted at most
 * @buf: out: the first min(@max, *@avail) records (kvfree() it), or NULL
 * @written: out: how many @buf holds
 * @avail: out: how many there are
 *
 * The records of the address space and the root VMAR, then those of the
 * tree's sub-VMARs and mappings: what VMAR calls made, not the program's
 * Linux mappings. A process with no record, or one of an address space it
 * has left (an exec), has an empty tree.
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_BAD_STATE (its VMARs are gone: it ended),
 * MX_ERR_NO_MEMORY.
 */
int mx_aspace_maps(struct mx_process *p, struct mm_struct *mm, u32 max,
		   struct mx_info_maps **buf, u32 *written, u32 *avail)
{
	struct mx_maps_rec *r = NULL;
	struct mx_info_maps *out = NULL;
	struct mx_aspace *as;
	u64 count = 0, room = 0, i;
	struct mx_vmo *vmo;
	u32 rights;
	int ret = 0;

	mutex_lock(&p->self_lock);
	as = p->aspace;
	if (as)
		kref_get(&as->ref);
	mutex_unlock(&p->self_lock);
	if (as) {
		mutex_lock(&as->lock);
		if (!as->root)
			ret = MX_ERR_BAD_STATE;
		else if (as->mm == mm)
			count = mx_aspace_maps_fill(as, NULL, 0);
		mutex_unlock(&as->lock);
		if (ret)
			goto out_put;
	}
	room = min_t(u64, count, max > 2 ? max - 2 : 0);
	if (room) {
		r = kvcalloc(room, sizeof(*r), GFP_KERNEL_ACCOUNT);
		if (!r) {
			ret = MX_ERR_NO_MEMORY;
			goto out_put;
		}
		mutex_lock(&as->lock);
		if (!as->root)
			ret = MX_ERR_BAD_STATE;
		else if (as->mm == mm)
			count = mx_aspace_maps_fill(as, r, room);
		else
			count = 0;
		mutex_unlock(&as->lock);
		room = min(room, count);
		if (ret)
			goto out_free;
	}
	if (count > U32_MAX - 2)
		count = U32_MAX - 2;
	*avail = count + 2;
	*written = min_t(u32, max, *avail);
	if (*written) {
		out = kvcalloc(*written, sizeof(*out), GFP_KERNEL_ACCOUNT);
		if (!out) {
			ret = MX_ERR_NO_MEMORY;
			goto out_free;
		}
		snprintf(out[0].name, sizeof(out[0].name), "proc:%llu",
			 p->base.koid);
		out[0].base = MX_VMAR_ROOT_BASE;
		out[0].size = min(MX_VMAR_ROOT_END, TASK_SIZE) -
			      MX_VMAR_ROOT_BASE;
		out[0].type = MX_INFO_MAPS_TYPE_ASPACE;
	}
	if (*written > 1) {
		out[1] = out[0];
		strscpy(out[1].name, "root", sizeof(out[1].name));
		out[1].depth = 1;
		out[1].type = MX_INFO_MAPS_TYPE_VMAR;
	}
	for (i = 0; i < room; i++) {
		out[i + 2] = r[i].rec;
		if (!r[i].file)
			continue;
		vmo = mx_vmo_file_vmo(r[i].file, &rights);
		mx_vmo_map_info(vmo, r[i].vmo_offset, r[i].rec.size,
				out[i + 2].name, &out[i + 2].u.mapping.vmo_koid,
				&out[i + 2].u.mapping.committed_pages);
	}
	*buf = out;
out_free:
	for (i = 0; i < room; i++)
		if (r[i].file)
			fput(r[i].file);
	kvfree(r);
out_put:
	if (as)
		mx_aspace_put(as);
	return ret;
}

/**
 * mx_vmar_root_handle() - mx_vmar_root_self(): give the calling process
 *	a handle to its root VMAR
 * @p: the calling process
 * @uptr: the user's mx_handle_t * for it
 *
 * The address space record is made on the first call, and made anew
 * when the process's mm has changed (an exec). The handle given before
 * is given again while it still names the root VMAR; else a new one is
 * made, reserved, written out and only then placed in the table, so an
 * unwritable @uptr leaves nothing behind.
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_INVALID_ARGS (@uptr unwritable), MX_ERR_NO_MEMORY or
 * MX_ERR_NO_RESOURCES (table full).
 */
int mx_vmar_root_handle(struct mx_process *p, u64 uptr)
{
	struct mx_handle *h = NULL;
	struct mx_aspace *as;
	struct mx_object *obj;
	s32 value = 0;
	int ret = 0;

	mutex_lock(&p->self_lock);
	as = p->aspace;
	if (as && as->mm != current->mm) {
		p->aspace = NULL;
		mx_aspace_detach(as);
		as = NULL;
	}
	if (!as) {
		as = mx_aspace_new(current->mm);
		ret = MX_ERR_NO_MEMORY;
		if (!as)
			goto out_unlock;
		p->aspace = as;
		ret = 0;
	}
	if (as->root_handle &&
	    !mx_ht_get(&p->table, as->root_handle, 0, &mx_vmar_ops, &obj,
		       NULL)) {
		if (obj == &as->root->base)
			value = as->root_handle;
		mx_object_put(obj);
	}
	if (!value) {
		h = mx_handle_alloc(&as->root->base, MX_VMAR_ROOT_RIGHTS);
		if (!h)
			ret = MX_ERR_NO_MEMORY;
	}
	kref_get(&as->ref);
out_unlock:
	mutex_unlock(&p->self_lock);
	if (ret)
		return ret;

	if (value) {
		if (put_user(value, (s32 __user *)u64_to_user_ptr(uptr)))
			ret = MX_ERR_INVALID_ARGS;
		goto out_put;
	}
	ret = mx_sys_install(&p->table, &h, &uptr, 1, &value);
	if (ret) {
		mx_handle_free(h);
		goto out_put;
	}
	mutex_lock(&p->self_lock);
	if (p->aspace == as)
		as->root_handle = value;
	mutex_unlock(&p->self_lock);
out_put:
	mx_aspace_put(as);
	return ret;
}
