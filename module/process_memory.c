// SPDX-License-Identifier: GPL-2.0
/*
 * Another process's memory: mx_process_read_memory() and
 * mx_process_write_memory(), as a debugger uses them.
 *
 * The access goes through the process's Linux address space, within the
 * one mapping (VMA) the address lies in, as Magenta stays within one
 * mapping's VMO, and ignores the mapping's protection (FOLL_FORCE), as
 * Magenta does and ptrace does: a debugger writes breakpoints into code.
 * The right to do so is the process handle's (MX_RIGHT_WRITE, and READ
 * to read), as in Magenta; on top of it, a process whose memory Linux
 * keeps from its own user (not dumpable: it was set-uid, or said so with
 * prctl()) is refused, as ptrace refuses it.
 *
 * Locking (the order of all: docs/architecture.md): the target's
 * mmap_lock (read) to find the mapping; access_process_vm() takes it
 * again for each piece. No mx lock is held; the bytes pass through a
 * kernel page, copied to or from the caller with no lock held.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "process.h"
#include "process_memory.h"

/*
 * How many bytes from @addr stay inside one mapping of @mm: 0 if @addr is
 * in none.
 */
static u64 mx_mapping_room(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	u64 room = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		room = vma->vm_end - addr;
	mmap_read_unlock(mm);
	return room;
}

/**
 * mx_process_access_memory() - copy between a process's memory and the
 *	caller's
 * @t: the process, RUNNING when checked
 * @vaddr: the address in @t
 * @ubuf: the caller's buffer
 * @len: how many bytes, 1 to MX_PROCESS_MEMORY_MAX
 * @write: write @ubuf into @t, else read @t into @ubuf
 * @done: out: how many bytes were copied
 *
 * Context: process context, no mx lock held.
 * Return: 0; MX_ERR_BAD_STATE (@t has no address space any more),
 * MX_ERR_ACCESS_DENIED (its memory is not dumpable), MX_ERR_NO_MEMORY
 * (@vaddr is in no mapping, or nothing could be copied there),
 * MX_ERR_INVALID_ARGS (@ubuf faulted before anything was copied).
 */
int mx_process_access_memory(struct mx_process *t, u64 vaddr,
			     void __user *ubuf, u64 len, bool write,
			     u64 *done)
{
	unsigned int flags = FOLL_FORCE | (write ? FOLL_WRITE : 0);
	struct task_struct *task;
	struct mm_struct *mm;
	u64 room, pos = 0;
	int ret = 0;
	void *page;

	*done = 0;
	task = get_pid_task(t->tgid, PIDTYPE_TGID);
	if (!task)
		return MX_ERR_BAD_STATE;
	mm = get_task_mm(task);
	if (!mm) {
		ret = MX_ERR_BAD_STATE;
		goto out_task;
	}
	ret = MX_ERR_ACCESS_DENIED;
	if (mm != current->mm && get_dumpable(mm) != SUID_DUMP_USER)
		goto out_mm;
	ret = MX_ERR_NO_MEMORY;
	room = vaddr <= ULONG_MAX ? mx_mapping_room(mm, vaddr) : 0;
	if (!room)
		goto out_mm;
	len = min(len, room);
	page = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!page)
		goto out_mm;
	ret = 0;
	while (pos < len) {
		size_t n = min_t(u64, len - pos, PAGE_SIZE);
		int got;

		if (write && copy_from_user(page, ubuf + pos, n)) {
			ret = MX_ERR_INVALID_ARGS;
			break;
		}
		got = access_process_vm(task, vaddr + pos, page, n, flags);
		if (got <= 0)
			break;
		if (!write && copy_to_user(ubuf + pos, page, got)) {
			ret = MX_ERR_INVALID_ARGS;
			break;
		}
		pos += got;
		if (got < n)
			break;
		cond_resched();
		if (fatal_signal_pending(current))
			break;
	}
	free_page((unsigned long)page);
	if (ret && pos)
		ret = 0;
	else if (!ret && !pos)
		ret = MX_ERR_NO_MEMORY;
	*done = pos;
out_mm:
	mmput(mm);
out_task:
	put_task_struct(task);
	return ret;
}
