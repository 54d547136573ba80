// SPDX-License-Identifier: GPL-2.0
/*
 * The VMOs a process uses, for MX_INFO_PROCESS_VMOS: a record per VMO
 * handle in its table, then a record per mapping of a VMO in its address
 * space, without removing duplicates (as Magenta: a VMO held once and
 * mapped twice gives three records).
 *
 * Locking (the order of all: docs/architecture.md): the process's handle
 * table lock, to take a reference to each VMO its handles name; then, on
 * its own, the mmap_lock of its address space (read), to take one to the
 * VMO of each mapping. The records are made after both, from the
 * references (vmo.c takes each family's lock), and the references are
 * put with no lock held.
 */
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "handle_table.h"
#include "process.h"
#include "process_vmos.h"
#include "vmo.h"

/* One VMO found: how, and with which rights. */
struct mx_vmo_found {
	struct mx_vmo *vmo;
	u32 via;
	u32 rights;
};

/*
 * The VMOs found so far, with a reference each. Handles added to the
 * table between its count and its walk are left out: the records are of
 * the table as it was when counted, less what went since.
 */
struct mx_vmo_list {
	struct mx_vmo_found *v;
	u32 n;
	u32 room;
};

/* Room for @want entries: 0 or MX_ERR_NO_MEMORY. */
static int mx_vmo_list_reserve(struct mx_vmo_list *l, u32 want)
{
	struct mx_vmo_found *v;

	if (want <= l->room)
		return 0;
	want = max(want, 2 * l->room);
	v = kvmalloc_array(want, sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return MX_ERR_NO_MEMORY;
	if (l->n)
		memcpy(v, l->v, l->n * sizeof(*v));
	kvfree(l->v);
	l->v = v;
	l->room = want;
	return 0;
}

static void mx_vmo_count_handle(s32 value, struct mx_handle *h, void *ctx)
{
	u32 *n = ctx;

	if (h->obj->ops == &mx_vmo_ops)
		(*n)++;
}

static void mx_vmo_take_handle(s32 value, struct mx_handle *h, void *ctx)
{
	struct mx_vmo_list *l = ctx;

	if (h->obj->ops != &mx_vmo_ops || l->n >= l->room)
		return;
	mx_object_get(h->obj);
	l->v[l->n].vmo = mx_to_vmo(h->obj);
	l->v[l->n].via = MX_INFO_VMO_VIA_HANDLE;
	l->v[l->n].rights = h->rights;
	l->n++;
}

/* The VMOs @t's handles name, as the table is at one moment of the call. */
static int mx_vmo_list_handles(struct mx_process *t, struct mx_vmo_list *l)
{
	u32 count = 0;
	int ret;

	mx_ht_lock(&t->table);
	mx_ht_iterate_locked(&t->table, mx_vmo_count_handle, &count);
	mx_ht_unlock(&t->table);
	ret = mx_vmo_list_reserve(l, count);
	if (ret)
		return ret;
	mx_ht_lock(&t->table);
	mx_ht_iterate_locked(&t->table, mx_vmo_take_handle, l);
	mx_ht_unlock(&t->table);
	return 0;
}

/* The VMOs mapped in @t's address space. */
static int mx_vmo_list_mappings(struct mx_process *t, struct mx_vmo_list *l)
{
	struct vm_area_struct *vma;
	struct task_struct *task;
	struct mm_struct *mm;
	struct mx_vmo *vmo;
	int ret = 0;

	task = get_pid_task(t->tgid, PIDTYPE_TGID);
	if (!task)
		return MX_ERR_BAD_STATE;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return MX_ERR_BAD_STATE;
	if (mmap_read_lock_killable(mm)) {
		ret = MX_ERR_CANCELED;
		goto out_mm;
	}
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (!mx_vmo_is_vma(vma))
				continue;
			ret = mx_vmo_list_reserve(l, l->n + 1);
			if (ret)
				break;
			vmo = mx_vmo_of_vma(vma);
			l->v[l->n].vmo = vmo;
			l->v[l->n].via = MX_INFO_VMO_VIA_MAPPING;
			l->v[l->n].rights = 0;
			l->n++;
		}
	}
	mmap_read_unlock(mm);
out_mm:
	mmput(mm);
	return ret;
}

/**
 * mx_process_vmos() - MX_INFO_PROCESS_VMOS of a process
 * @t: the process, running
 * @max: records wanted at most
 * @buf: out: the first min(@max, *@avail) records (kvfree() it), or NULL
 * @written: out: how many @buf holds
 * @avail: out: how many there are
 *
 * Context: process context, no mx lock held.
 * Return: 0, MX_ERR_BAD_STATE (the process has no address space any more),
 * MX_ERR_CANCELED (a fatal signal came), MX_ERR_NO_MEMORY.
 */
int mx_process_vmos(struct mx_process *t, u32 max, struct mx_info_vmo **buf,
		    u32 *written, u32 *avail)
{
	struct mx_vmo_list l = { };
	u32 i;
	int ret;

	*buf = NULL;
	ret = mx_vmo_list_handles(t, &l);
	if (!ret)
		ret = mx_vmo_list_mappings(t, &l);
	if (ret)
		goto out;
	*avail = l.n;
	*written = min(max, l.n);
	if (*written) {
		*buf = kvcalloc(*written, sizeof(**buf), GFP_KERNEL_ACCOUNT);
		if (!*buf) {
			ret = MX_ERR_NO_MEMORY;
			goto out;
		}
	}
	for (i = 0; i < *written; i++) {
		mx_vmo_info(l.v[i].vmo, &(*buf)[i]);
		(*buf)[i].flags |= l.v[i].via;
		(*buf)[i].handle_rights = l.v[i].rights;
	}
out:
	for (i = 0; i < l.n; i++)
		mx_object_put(mx_vmo_obj(l.v[i].vmo));
	kvfree(l.v);
	return ret;
}
