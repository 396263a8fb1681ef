/*
 * initramfs.c: fill a ramfs from a cpio "newc" archive, the Linux
 * initramfs format (the boot loader passes it as the first multiboot
 * module; tools build it with `find . | cpio -o -H newc`).
 *
 * lib/cpio.c parses and checks each member, so nothing here reads outside
 * the archive.  Members are created in archive order with their modes,
 * owners and mtimes: directories (an existing one just takes the new
 * mode), regular files, symlinks, device nodes and FIFOs.  Hard links
 * (nlink > 1, same inode number) become real links: newc stores the data
 * only with the last of them.  A member that cannot be created is
 * reported and skipped; a malformed archive stops the unpacking.
 */
#include <cdev.h>
#include <cpio.h>
#include <initramfs.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <vnode.h>

#define IFS_MAXLINKS	64

struct ifs_link {
	uint32_t ino;
	struct vnode *vp;
};

static const struct ucred ifs_cred;	/* root */

static int
ifs_create(struct vnode *root, const struct cpio_entry *e, char *name,
    struct ifs_link *links, int *nlinks, struct initramfs_stats *st)
{
	struct nameidata nd;
	struct vnode *vp = NULL;
	struct vattr va;
	mode_t mode = e->mode;
	char *target;
	int error;

	ni_init(&nd, name, NI_PARENT, root);
	if ((error = namei(&nd)) != 0)
		return (error);
	if (S_ISREG(mode) && e->nlink > 1) {
		for (int i = 0; i < *nlinks; i++)
			if (links[i].ino == e->ino) {
				if (nd.ni_vp == NULL && (error = VOP_LINK(
				    nd.ni_dvp, nd.ni_name, links[i].vp)) != 0)
					goto out;
				vp = links[i].vp;
				vref(vp);
				break;
			}
	}
	if (vp != NULL)
		;	/* a further link of a file made earlier */
	else if (nd.ni_vp != NULL) {
		/* Exists: a directory takes the new attributes; else clash. */
		if (!S_ISDIR(mode) || nd.ni_vp->v_type != VDIR) {
			error = -EEXIST;
			goto out;
		}
		vp = nd.ni_vp;
		vref(vp);
	} else if (S_ISDIR(mode))
		error = VOP_MKDIR(nd.ni_dvp, nd.ni_name, mode, &ifs_cred, &vp);
	else if (S_ISREG(mode))
		error = VOP_CREATE(nd.ni_dvp, nd.ni_name, mode, &ifs_cred, &vp);
	else if (S_ISLNK(mode)) {
		if (e->size == 0 || e->size >= PATH_MAX) {
			error = -ENAMETOOLONG;
			goto out;
		}
		if ((target = kmalloc(e->size + 1, M_WAITOK)) == NULL) {
			error = -ENOMEM;
			goto out;
		}
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		error = VOP_SYMLINK(nd.ni_dvp, nd.ni_name, target, &ifs_cred,
		    &vp);
		kfree(target);
	} else if (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode))
		error = VOP_MKNOD(nd.ni_dvp, nd.ni_name, mode,
		    makedev(e->rdevmajor, e->rdevminor), &ifs_cred, &vp);
	else
		error = -EINVAL;
	if (error != 0)
		goto out;
	if (S_ISREG(mode) && e->nlink > 1 && *nlinks < IFS_MAXLINKS &&
	    (*nlinks == 0 || links[*nlinks - 1].vp != vp)) {
		bool known = false;

		for (int i = 0; i < *nlinks; i++)
			known = known || links[i].vp == vp;
		if (!known) {
			links[*nlinks].ino = e->ino;
			links[*nlinks].vp = vp;
			vref(vp);
			(*nlinks)++;
		}
	}
	if (S_ISREG(mode) && e->size > 0) {
		error = vn_rdwr(UIO_WRITE, vp, (void *)e->data, e->size, 0,
		    UIO_SYSSPACE, 0, NULL);
		if (error != 0)
			goto out;
		st->is_bytes += e->size;
	}
	if (!S_ISLNK(mode)) {
		memset(&va, 0, sizeof(va));
		va.va_mask = VA_MODE | VA_UID | VA_GID | VA_MTIME;
		va.va_mode = mode & ALLPERMS;
		va.va_uid = e->uid;
		va.va_gid = e->gid;
		va.va_mtime.tv_sec = e->mtime;
		error = VOP_SETATTR(vp, &va);
	}
out:
	vrele(vp);
	ni_done(&nd);
	return (error);
}

int
initramfs_unpack(struct vnode *root, const void *buf, size_t len,
    struct initramfs_stats *st)
{
	struct ifs_link links[IFS_MAXLINKS];
	struct cpio_entry e;
	char *name;
	size_t off = 0;
	int r, nlinks = 0, error = 0;

	memset(st, 0, sizeof(*st));
	if ((name = kmalloc(PATH_MAX, M_WAITOK)) == NULL)
		return (-ENOMEM);
	while ((r = cpio_next(buf, len, &off, &e)) == 1) {
		const char *n = e.name;

		while (n[0] == '/' || (n[0] == '.' && n[1] == '/'))
			n += (n[0] == '/') ? 1 : 2;
		if (n[0] == '\0' || strcmp(n, ".") == 0)
			continue;
		if (strlen(n) >= PATH_MAX) {
			printk(KERN_WARNING "initramfs: %.40s...: name too "
			    "long; skipped\n", n);
			st->is_errors++;
			continue;
		}
		strlcpy(name, n, PATH_MAX);
		if ((error = ifs_create(root, &e, name, links, &nlinks,
		    st)) != 0) {
			printk(KERN_WARNING "initramfs: %s: cannot create "
			    "(error %d); skipped\n", name, -error);
			st->is_errors++;
			error = 0;
			continue;
		}
		st->is_files++;
	}
	if (r < 0) {
		printk(KERN_WARNING "initramfs: malformed archive at byte %zu: "
		    "%s; unpacking stopped\n", off, cpio_strerror(r));
		error = -EINVAL;
	}
	for (int i = 0; i < nlinks; i++)
		vrele(links[i].vp);
	kfree(name);
	return (error);
}
