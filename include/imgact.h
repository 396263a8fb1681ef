/*
 * imgact.h: image activation for execve (FreeBSD sys/imgact.h).
 *
 * kern_exec.c gathers the arguments and environment into a struct
 * image_args in kernel memory, opens the file (following #! to the
 * interpreter) and hands it to the ELF activator (imgact_elf.c), which
 * fills a new address space.  The file is read through the small exec_file
 * interface of proc_glue.c, which wraps the vfs.
 */
#ifndef _IMGACT_H_
#define _IMGACT_H_

#include <elf.h>
#include <types.h>

struct vnode;
struct vmspace;

#define ARG_MAX		(2UL << 20)	/* argv + envp bytes: E2BIG beyond */
#define USRSTACK	0x00007ffffffff000UL
#define MAXSSIZ		(8UL << 20)	/* stack mapping */
#define ET_DYN_LOAD_ADDR 0x0000555555554000UL

struct exec_file {
	struct vnode *ef_vp;
	uint64_t ef_size;
};

/* proc_glue.c: 0, -ENOENT, -EACCES (not a regular executable file)... */
int exec_file_open(const char *path, struct exec_file *ef);
/* Read up to len bytes at off: bytes read or a negative errno. */
ssize_t exec_file_read(struct exec_file *ef, uint64_t off, void *buf,
    size_t len);
void exec_file_close(struct exec_file *ef);	/* drops the reference */

struct image_args {
	char *buf;		/* argv strings then envp strings, NUL ended */
	size_t bufsize, used;
	int argc, envc;
	size_t begin_envp;	/* offset of the first env string */
};

/* The result of loading an image into a new vmspace. */
struct image_params {
	struct vmspace *vm;
	struct elf_info ei;
	uint64_t base;		/* load bias (static PIE) */
	uint64_t entry;
	uint64_t phdr;		/* AT_PHDR */
	uint64_t brk;
	/* Filled by exec_copyout_stack, for /proc/PID/{cmdline,environ}. */
	uint64_t arg_start, env_start, env_end;
};

/* imgact_elf.c: map and fill the PT_LOAD segments of a validated image. */
int elf_load(struct exec_file *ef, const void *hdr, size_t hdrlen,
    struct image_params *imgp);

#endif /* !_IMGACT_H_ */
