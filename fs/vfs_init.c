/*
 * vfs_init.c: bring the file system up at boot.
 *
 * Order: register the file system types; mount a ramfs as "/"; make
 * /dev, /tmp, /proc; create the memory devices; mount devfs on /dev and a
 * tmpfs on /tmp; unpack the initramfs (the first multiboot module) into
 * "/".  After this, namei works and exec can load programs.
 */
#include <file.h>
#include <initramfs.h>
#include <kernel.h>
#include <multiboot.h>
#include <vm_param.h>
#include <vnode.h>

extern const struct vfsops ramfs_vfsops, tmpfs_vfsops, devfs_vfsops,
    devtmpfs_vfsops, p9fs_vfsops, procfs_vfsops;
void dev_mem_init(void);
void dev_kmsg_init(void);
void dev_kstat_init(void);

void
vfs_init_root(void)
{
	static const struct { const char *path; mode_t mode; } dirs[] = {
		{ "/dev", 0755 }, { "/tmp", 01777 }, { "/proc", 0555 },
	};
	int error;

	if (rootvnode != NULL)
		return;
	vfs_register(&ramfs_vfsops);
	vfs_register(&tmpfs_vfsops);
	vfs_register(&devfs_vfsops);
	vfs_register(&devtmpfs_vfsops);
	vfs_register(&p9fs_vfsops);
	vfs_register(&procfs_vfsops);	/* init mounts it on /proc */
	if ((error = vfs_mount("ramfs", NULL, NULL, 0)) != 0)
		panic("vfs: cannot mount the root ramfs: %d", error);
	for (size_t i = 0; i < nitems(dirs); i++) {
		struct nameidata nd;
		struct vnode *vp;

		ni_init(&nd, dirs[i].path, NI_PARENT, NULL);
		if (namei(&nd) == 0 && nd.ni_vp == NULL &&
		    VOP_MKDIR(nd.ni_dvp, nd.ni_name, dirs[i].mode,
		    vfs_cred(), &vp) == 0)
			vrele(vp);
		ni_done(&nd);
	}
	dev_mem_init();
	dev_kmsg_init();
	dev_kstat_init();
	if ((error = vfs_mount("devfs", "/dev", NULL, 0)) != 0)
		printk(KERN_ERR "vfs: cannot mount devfs on /dev: %d\n", error);
	if ((error = vfs_mount("tmpfs", "/tmp", NULL, 0)) != 0)
		printk(KERN_ERR "vfs: cannot mount tmpfs on /tmp: %d\n", error);
}

void
vfs_init(struct bootinfo *bi)
{
	struct initramfs_stats st;
	int error;

	vfs_init_root();
	if (bi == NULL || bi->nmods == 0) {
		printk("initramfs: none\n");
		return;
	}
	error = initramfs_unpack(rootvnode, PHYS_TO_DMAP(bi->mods[0].start),
	    bi->mods[0].end - bi->mods[0].start, &st);
	printk("initramfs: %d files, %lu bytes%s", st.is_files, st.is_bytes,
	    error != 0 ? " (archive damaged)" : "");
	if (st.is_errors > 0)
		printk(", %d members skipped", st.is_errors);
	printk("\n");
}
