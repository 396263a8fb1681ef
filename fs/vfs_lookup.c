/*
 * vfs_lookup.c: namei, from a path to a vnode (FreeBSD kern/vfs_lookup.c).
 *
 * The path is copied into a PATH_MAX buffer and eaten one component at a
 * time (lib/path.c does the string work).  A symlink met on the way is
 * spliced in place: its target replaces the consumed part, and the walk
 * goes on from the root or from the current directory -- at most
 * MAXSYMLINKS (40) times, then ELOOP.  Mount points are crossed both ways:
 * entering a covered directory continues at the mounted root, and ".." at
 * a mounted root continues from the covered directory.  ".." at the
 * process root stays there.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <path.h>
#include <proc.h>
#include <vnode.h>

void
ni_init(struct nameidata *nd, const char *path, int flags,
    struct vnode *startdir)
{
	memset(nd, 0, sizeof(*nd));
	nd->ni_path = path;
	nd->ni_flags = flags;
	nd->ni_startdir = startdir;
}

void
ni_done(struct nameidata *nd)
{
	vrele(nd->ni_vp);
	vrele(nd->ni_dvp);
	nd->ni_vp = nd->ni_dvp = NULL;
}

static struct vnode *
cwd_vnode(void)
{
	if (curthread != NULL && curthread->td_proc != NULL &&
	    curthread->td_proc->p_cwd != NULL)
		return (curthread->td_proc->p_cwd);
	return (rootvnode);
}

/*
 * One step: the child `name` of directory dp, referenced, with mount
 * points crossed.  "." is dp itself.
 */
static int
lookup_one(struct vnode *dp, const char *name, struct vnode **vpp)
{
	struct vnode *vp, *mvp;
	int error;

	if (name[0] == '.' && name[1] == '\0') {
		vref(dp);
		*vpp = dp;
		return (0);
	}
	if (name[0] == '.' && name[1] == '.' && name[2] == '\0') {
		if (dp == rootvnode) {
			vref(dp);
			*vpp = dp;
			return (0);
		}
		/* Leave mounted file systems through the covered dir. */
		while (dp->v_mount != NULL && dp->v_mount->mnt_root == dp &&
		    dp->v_mount->mnt_vnodecovered != NULL)
			dp = dp->v_mount->mnt_vnodecovered;
	}
	if ((error = VOP_LOOKUP(dp, name, &vp)) != 0)
		return (error);
	while (vp->v_mountedhere != NULL) {
		mvp = vp->v_mountedhere->mnt_root;
		vref(mvp);
		vrele(vp);
		vp = mvp;
	}
	*vpp = vp;
	return (0);
}

int
namei(struct nameidata *nd)
{
	struct vnode *dp, *vp;
	char *buf, *link = NULL;
	const char *p, *comp;
	char name[NAME_MAX + 1];
	size_t len;
	bool last, trail;
	int error = 0, loops = 0;

	nd->ni_vp = nd->ni_dvp = NULL;
	nd->ni_trailslash = false;
	if (rootvnode == NULL)
		return (-ENOENT);
	if (strnlen(nd->ni_path, PATH_MAX) >= PATH_MAX)
		return (-ENAMETOOLONG);
	dp = nd->ni_startdir != NULL ? nd->ni_startdir : cwd_vnode();
	if (nd->ni_path[0] == '\0') {
		if (!(nd->ni_flags & NI_EMPTYPATH))
			return (-ENOENT);
		vref(dp);
		nd->ni_vp = dp;
		return (0);
	}
	buf = kmalloc(PATH_MAX, M_WAITOK);
	if (buf == NULL)
		return (-ENOMEM);
	strlcpy(buf, nd->ni_path, PATH_MAX);
	if (buf[0] == '/')
		dp = rootvnode;
	vref(dp);
	p = buf;
	for (;;) {
		if ((error = path_next(&p, &comp, &len, &last, &trail)) != 0)
			break;
		if (len == 0) {
			/* Nothing left: the path names dp ("/", "a/.."). */
			if (nd->ni_flags & NI_PARENT) {
				strlcpy(nd->ni_name, ".", sizeof(nd->ni_name));
				vref(dp);
				nd->ni_dvp = dp;
			}
			nd->ni_vp = dp;
			dp = NULL;
			break;
		}
		if (dp->v_type != VDIR) {
			error = -ENOTDIR;
			break;
		}
		if ((error = vaccess(dp, X_OK, vfs_cred())) != 0)
			break;
		memcpy(name, comp, len);
		name[len] = '\0';
		if (last && (nd->ni_flags & NI_PARENT)) {
			strlcpy(nd->ni_name, name, sizeof(nd->ni_name));
			nd->ni_trailslash = trail;
			error = lookup_one(dp, name, &vp);
			if (error == -ENOENT)
				vp = NULL;
			else if (error != 0)
				break;
			error = 0;
			if (vp != NULL && trail && vp->v_type != VDIR &&
			    vp->v_type != VLNK) {
				vrele(vp);
				error = -ENOTDIR;
				break;
			}
			nd->ni_dvp = dp;
			nd->ni_vp = vp;
			dp = NULL;
			break;
		}
		if ((error = lookup_one(dp, name, &vp)) != 0)
			break;
		if (vp->v_type == VLNK &&
		    (!last || trail || (nd->ni_flags & NI_FOLLOW))) {
			if (++loops > MAXSYMLINKS) {
				vrele(vp);
				error = -ELOOP;
				break;
			}
			if (link == NULL &&
			    (link = kmalloc(PATH_MAX, M_WAITOK)) == NULL) {
				vrele(vp);
				error = -ENOMEM;
				break;
			}
			error = vn_rdlink(vp, link);
			vrele(vp);
			if (error == 0)
				error = path_splice(buf, PATH_MAX, link, p);
			if (error != 0)
				break;
			if (buf[0] == '/') {
				vrele(dp);
				dp = rootvnode;
				vref(dp);
			}
			p = buf;
			continue;
		}
		vrele(dp);
		dp = vp;
		if (last) {
			if (trail && dp->v_type != VDIR) {
				error = -ENOTDIR;
				break;
			}
			nd->ni_vp = dp;
			dp = NULL;
			break;
		}
	}
	vrele(dp);
	if (error != 0)
		ni_done(nd);
	kfree(buf);
	if (link != NULL)
		kfree(link);
	return (error);
}

/* The name under which directory `dp` holds the vnode numbered ino. */
static int
dir_findname(struct vnode *dp, ino_t ino, char *name, char *tmp)
{
	struct iovec iov;
	struct uio uio;
	off_t cookie = 0;
	int error;

	for (;;) {
		iov.iov_base = tmp;
		iov.iov_len = 2048;
		uio = (struct uio){ &iov, 1, cookie, 2048, UIO_SYSSPACE,
			UIO_READ };
		if ((error = VOP_READDIR(dp, &uio)) != 0)
			return (error);
		if (uio.uio_resid == 2048)
			return (-ENOENT);
		for (size_t o = 0; o < 2048 - (size_t)uio.uio_resid;) {
			struct linux_dirent64 *d = (void *)(tmp + o);

			if (d->d_ino == ino && strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) {
				strlcpy(name, d->d_name, NAME_MAX + 1);
				return (0);
			}
			cookie = d->d_off;
			o += d->d_reclen;
		}
	}
}

int
vn_fullpath(struct vnode *vp, char *buf, size_t size)
{
	char *tmp, name[NAME_MAX + 1];
	struct vnode *dp, *up;
	size_t pos = size, nl;
	int error = 0;

	if (size < 2)
		return (-ERANGE);
	tmp = kmalloc(2048, M_WAITOK);
	if (tmp == NULL)
		return (-ENOMEM);
	buf[--pos] = '\0';
	vref(vp);
	while (vp != rootvnode) {
		if ((error = lookup_one(vp, "..", &dp)) != 0)
			break;
		up = vp;
		while (up->v_mount->mnt_root == up &&
		    up->v_mount->mnt_vnodecovered != NULL)
			up = up->v_mount->mnt_vnodecovered;
		error = dir_findname(dp, up->v_ino, name, tmp);
		vrele(vp);
		vp = dp;
		if (error != 0)
			break;
		nl = strlen(name);
		if (nl + 1 > pos) {
			error = -ERANGE;
			break;
		}
		pos -= nl;
		memcpy(buf + pos, name, nl);
		buf[--pos] = '/';
	}
	vrele(vp);
	kfree(tmp);
	if (error != 0)
		return (error);
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (0);
}
