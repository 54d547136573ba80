/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual memory address regions of the calling process (vmar.c). */
#ifndef MX_VMAR_H
#define MX_VMAR_H

#include <linux/types.h>

#include "object.h"

struct mm_struct;
struct mx_aspace;
struct mx_process;
struct mx_vmar;
struct mx_vmo;

extern const struct mx_object_ops mx_vmar_ops;
extern unsigned int mx_max_vmar_mappings;

/* The root VMAR's range and rights, as Magenta's on x86-64. */
#define MX_VMAR_ROOT_BASE	0x1000000UL
#define MX_VMAR_ROOT_END	0x7ffffffff000UL
#define MX_VMAR_ROOT_RIGHTS	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | \
				 MX_RIGHT_READ | MX_RIGHT_WRITE | \
				 MX_RIGHT_EXECUTE)

struct mx_vmar *mx_to_vmar(struct mx_object *obj);
struct mx_object *mx_vmar_obj(struct mx_vmar *v);

int mx_vmar_root_handle(struct mx_process *p, u64 uptr);
int mx_aspace_create_root(struct mx_process *p, struct mx_object **root);
int mx_aspace_apply(struct mx_process *p, bool own_mm);
int mx_aspace_maps(struct mx_process *p, struct mm_struct *mm, u32 max,
		   struct mx_info_maps **buf, u32 *written, u32 *avail);
void mx_aspace_detach(struct mx_aspace *as);

int mx_vmar_allocate(struct mx_vmar *parent, u64 offset, u64 size, u32 flags,
		     struct mx_vmar **child, u32 *rights, u64 *addr);
int mx_vmar_map(struct mx_vmar *vmar, u32 vmar_rights, struct mx_vmo *vmo,
		u32 vmo_rights, u64 vmar_offset, u64 vmo_offset, u64 len,
		u32 flags, u64 *addr);
int mx_vmar_unmap(struct mx_vmar *vmar, u64 addr, u64 len);
int mx_vmar_protect(struct mx_vmar *vmar, u64 addr, u64 len, u32 prot);
int mx_vmar_destroy(struct mx_vmar *vmar);
void mx_vmar_info(struct mx_vmar *vmar, struct mx_info_vmar *rec);
void mx_vmar_gap_places(unsigned long start, unsigned long end,
			unsigned long size, u64 pick, u64 *slots,
			unsigned long *addr);

#endif /* MX_VMAR_H */
