/*
 * vnode_pager.h: the page cache of files (mm/vnode_pager.c).
 *
 * A regular file's vnode has, once anything reads, writes or maps it
 * through the cache, one OBJT_VNODE vm_object (vp->v_object) whose pages
 * are the file's cached contents, shared by read/write and every mapping.
 * File systems call:
 *   vnode_pager_object(vp)       the object, made on first use (NULL: no
 *                                memory); not an extra reference
 *   vnode_pager_setsize(vp, old, new)  after the file's size changed:
 *                                the object follows; shrinking unmaps and
 *                                frees the pages past the end everywhere
 *                                and zeroes the rest of the last page
 *   vnode_pager_vnode_gone(vp)   the vnode is being freed (vnfree calls it;
 *                                nothing maps the file then: mappings
 *                                hold the vnode)
 *   vnode_pager_rdwr(vp, uio, ioflag)  read/write through the cache, for a
 *                                file system with vop_getpages/putpages
 *                                (fsync: vm_object_page_clean(obj, 0, 0,
 *                                true))
 */
#ifndef _VNODE_PAGER_H_
#define _VNODE_PAGER_H_

#include <types.h>
#include <vm.h>

struct vnode;

vm_object_t vnode_pager_object(struct vnode *vp);
void vnode_pager_setsize(struct vnode *vp, off_t oldsize, off_t size);
void vnode_pager_vnode_gone(struct vnode *vp);
struct uio;
int vnode_pager_rdwr(struct vnode *vp, struct uio *uio, int ioflag);

#endif /* !_VNODE_PAGER_H_ */
