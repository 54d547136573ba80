/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual memory objects (vmo.c). */
#ifndef MX_VMO_H
#define MX_VMO_H

#include <linux/types.h>

#include "object.h"

struct file;
struct mx_info_vmo;
struct mx_vmo;
struct vm_area_struct;

extern const struct mx_object_ops mx_vmo_ops;
extern unsigned long mx_max_user_vmo_pages;

/* Clones may nest this deep (a chain of 64 parents). */
#define MX_VMO_MAX_DEPTH	64

int mx_vmo_setup(void);
void mx_vmo_teardown(void);

struct mx_vmo *mx_to_vmo(struct mx_object *obj);
struct mx_object *mx_vmo_obj(struct mx_vmo *vmo);

int mx_vmo_new(u64 size, struct mx_vmo **out);
int mx_vmo_new_file(struct file *file, struct mx_vmo **out, u32 *rights);
int mx_vmo_clone(struct mx_vmo *parent, u64 offset, u64 size,
		 bool copy_name, struct mx_vmo **out);
u64 mx_vmo_size(struct mx_vmo *vmo);
int mx_vmo_set_size(struct mx_vmo *vmo, u64 size);

/* What mx_vmo_xfer() copies a page's bytes with; returns bytes not copied. */
typedef size_t (*mx_vmo_copy_fn)(struct page *page, size_t off, size_t n,
				 void *ctx);
int mx_vmo_xfer(struct mx_vmo *vmo, u64 pos, size_t len, bool write,
		mx_vmo_copy_fn copy, void *ctx, size_t *done);

int mx_vmo_commit(struct mx_vmo *vmo, u64 offset, u64 len);
int mx_vmo_decommit(struct mx_vmo *vmo, u64 offset, u64 len);
int mx_vmo_lookup(struct mx_vmo *vmo, u64 pgoff, u64 npages, u64 *paddrs);

bool mx_vmo_is_vma(struct vm_area_struct *vma);
struct mx_vmo *mx_vmo_of_vma(struct vm_area_struct *vma);
void mx_vmo_info(struct mx_vmo *vmo, struct mx_info_vmo *rec);
void mx_vmo_map_info(struct mx_vmo *vmo, u64 offset, u64 len, char *name,
		     u64 *koid, u64 *committed);

struct file *mx_vmo_file_new(struct mx_vmo *vmo, u32 rights, int flags);
struct mx_vmo *mx_vmo_file_vmo(struct file *file, u32 *rights);

#endif /* MX_VMO_H */
