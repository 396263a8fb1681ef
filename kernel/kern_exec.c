/*
 * kern_exec.c: execve (FreeBSD kern_exec.c).
 *
 * execve builds the whole new image before it touches the old one: the
 * arguments are copied into kernel memory, the file is validated, a new
 * vmspace is created, made current and filled (imgact_elf.c), and the
 * user stack is written.  Only then is the old vmspace freed -- so every
 * error (ENOENT, EACCES, ENOEXEC, E2BIG, EFAULT, ENOMEM) returns to the
 * caller still running its old program.  A "#!" script is run by its
 * interpreter with the script's path inserted after the interpreter's
 * argument.
 *
 * The new stack, from USRSTACK down (16-byte aligned where the ABI says):
 *
 *	USRSTACK ->	(top)
 *			execfn string, then the argv and envp strings
 *			"x86_64" (AT_PLATFORM), 16 random bytes (AT_RANDOM)
 *			padding to 16 bytes
 *			auxv: (type, value) pairs ending with AT_NULL
 *			NULL, envp[envc-1] ... envp[0]
 *			NULL, argv[argc-1] ... argv[0]
 *	rsp ->		argc
 */
#include <event.h>
#include <clock.h>
#include <imgact.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pmap.h>
#include <proc.h>
#include <procsys.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>		/* PATH_MAX */
#include <vm_map.h>
#include <x86.h>

#define MAXINTERP	4	/* nested #! interpreters: ELOOP beyond */

static void
args_free(struct image_args *args)
{
	kfree(args->buf);
	args->buf = NULL;
}

static int
args_grow(struct image_args *args)
{
	size_t nsize = args->bufsize == 0 ? 64 * 1024 : args->bufsize * 2;
	char *nbuf;

	if (args->bufsize >= ARG_MAX + PAGE_SIZE)
		return (-E2BIG);
	if (nsize > ARG_MAX + PAGE_SIZE)
		nsize = ARG_MAX + PAGE_SIZE;
	nbuf = kmalloc(nsize, M_WAITOK);
	if (nbuf == NULL)
		return (-ENOMEM);
	if (args->buf != NULL) {
		memcpy(nbuf, args->buf, args->used);
		kfree(args->buf);
	}
	args->buf = nbuf;
	args->bufsize = nsize;
	return (0);
}

/* Append a kernel string. */
static int
args_add_kstr(struct image_args *args, const char *s)
{
	size_t len = strlen(s) + 1;
	int error;

	while (args->used + len > args->bufsize)
		if ((error = args_grow(args)) != 0)
			return (error);
	memcpy(args->buf + args->used, s, len);
	args->used += len;
	return (0);
}

/* Append the strings of a user vector (argv or envp); count them. */
static int
args_add_uvec(struct image_args *args, char *const *uvec, int *count)
{
	const char *ustr;
	size_t done;
	int error;

	if (uvec == NULL)
		return (0);
	for (;;) {
		if ((error = copyin(&uvec[*count], &ustr, sizeof(ustr))) != 0)
			return (error);
		if (ustr == NULL)
			return (0);
		for (;;) {
			if (args->used >= args->bufsize &&
			    (error = args_grow(args)) != 0)
				return (error);
			error = copyinstr(ustr, args->buf + args->used,
			    args->bufsize - args->used, &done);
			if (error == 0)
				break;
			if (error != -ENAMETOOLONG)
				return (error);
			if ((error = args_grow(args)) != 0)
				return (error);
		}
		args->used += done;
		(*count)++;
		/* Each string also costs a pointer on the stack. */
		if (args->used + 8 * (args->argc + args->envc) > ARG_MAX)
			return (-E2BIG);
	}
}

/* The i-th string after `from` in the buffer. */
static const char *
args_str(const struct image_args *args, size_t *off)
{
	const char *s = args->buf + *off;

	*off += strlen(s) + 1;
	return (s);
}

/*
 * Rewrite the arguments for a "#!interp [arg]" script: interp, [arg],
 * the script's path, then argv[1..] (Linux binfmt_script).  hdr holds the
 * first bytes of the script; the interpreter's path goes to interp.
 */
static int
args_shebang(struct image_args *args, const char *hdr, size_t len,
    const char *path, char *interp, size_t interpsize)
{
	struct image_args nargs = { 0 };
	char line[256], *p, *arg = NULL;
	size_t n, off;
	int error, i;

	n = 0;
	while (2 + n < len && n + 1 < sizeof(line) && hdr[2 + n] != '\n' &&
	    hdr[2 + n] != '\0') {
		line[n] = hdr[2 + n];
		n++;
	}
	line[n] = '\0';
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		line[--n] = '\0';
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0')
		return (-ENOEXEC);
	strlcpy(interp, p, interpsize);
	for (p = interp; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0')
			arg = p;	/* the rest of the line, one argument */
	}
	if ((error = args_add_kstr(&nargs, interp)) != 0 ||
	    (arg != NULL && (error = args_add_kstr(&nargs, arg)) != 0) ||
	    (error = args_add_kstr(&nargs, path)) != 0)
		goto fail;
	nargs.argc = arg != NULL ? 3 : 2;
	nargs.begin_envp = nargs.used;
	off = 0;
	for (i = 0; i < args->argc + args->envc; i++) {
		const char *s = args_str(args, &off);

		if (i == 0 && args->argc > 0)
			continue;	/* argv[0] is replaced by the path */
		if ((error = args_add_kstr(&nargs, s)) != 0)
			goto fail;
		if (i < args->argc) {
			nargs.argc++;
			nargs.begin_envp = nargs.used;
		} else {
			nargs.envc++;
		}
	}
	args_free(args);
	*args = nargs;
	if (args->used + 8 * (args->argc + args->envc) > ARG_MAX)
		return (-E2BIG);
	return (0);
fail:
	args_free(&nargs);
	return (error);
}

/* Write the new stack (layout at the top of this file); rsp in *sp. */
static int
exec_copyout_stack(struct image_args *args, struct image_params *imgp,
    const char *execfn, uint64_t *sp)
{
	struct ucred *cr = &curproc->p_ucred;
	uint64_t *vec, strbase, top = USRSTACK, p, uargv;
	size_t execfn_len = strlen(execfn) + 1, nwords, vecsize, off;
	uint8_t rnd[16];
	char *img;
	uint32_t a, b, c, d;
	int error, i, n;
	uint64_t auxv[][2] = {
		{ AT_PHDR, imgp->phdr },
		{ AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, imgp->ei.phnum },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_BASE, 0 },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, imgp->entry },
		{ AT_UID, cr->cr_uid },
		{ AT_EUID, cr->cr_euid },
		{ AT_GID, cr->cr_gid },
		{ AT_EGID, cr->cr_egid },
		{ AT_SECURE, 0 },
		{ AT_RANDOM, 0 },	/* filled below */
		{ AT_HWCAP, 0 },
		{ AT_CLKTCK, HZ },
		{ AT_PLATFORM, 0 },
		{ AT_EXECFN, 0 },
		{ AT_NULL, 0 },
	};

	/* Strings: execfn at the very top, then args, platform, random. */
	strbase = top - 8 - execfn_len - args->used - 7 - 16;
	strbase &= ~15UL;
	nwords = 1 + (args->argc + 1) + (args->envc + 1) + 2 * nitems(auxv);
	*sp = (strbase - nwords * 8) & ~15UL;
	vecsize = top - *sp;
	img = kmalloc(vecsize, M_WAITOK | M_ZERO);
	if (img == NULL)
		return (-ENOMEM);
#define KADDR(uva) (img + ((uva) - *sp))
	/* Random bytes and strings. */
	arc4random_buf(rnd, sizeof(rnd));
	memcpy(KADDR(strbase), rnd, 16);
	memcpy(KADDR(strbase + 16), "x86_64", 7);
	memcpy(KADDR(strbase + 23), args->buf, args->used);
	memcpy(KADDR(top - 8 - execfn_len), execfn, execfn_len);
	cpuid(1, 0, &a, &b, &c, &d);
	for (i = 0; i < (int)nitems(auxv); i++) {
		switch (auxv[i][0]) {
		case AT_RANDOM:
			auxv[i][1] = strbase;
			break;
		case AT_PLATFORM:
			auxv[i][1] = strbase + 16;
			break;
		case AT_EXECFN:
			auxv[i][1] = top - 8 - execfn_len;
			break;
		case AT_HWCAP:
			auxv[i][1] = d;
			break;
		}
	}
	/* argc, argv[], NULL, envp[], NULL, auxv. */
	vec = (uint64_t *)KADDR(*sp);
	n = 0;
	vec[n++] = args->argc;
	uargv = strbase + 23;
	off = 0;
	for (i = 0; i < args->argc; i++) {
		p = uargv + off;
		args_str(args, &off);
		vec[n++] = p;
	}
	vec[n++] = 0;
	for (i = 0; i < args->envc; i++) {
		p = uargv + off;
		args_str(args, &off);
		vec[n++] = p;
	}
	vec[n++] = 0;
	memcpy(&vec[n], auxv, sizeof(auxv));
	imgp->arg_start = uargv;
	imgp->env_start = uargv + args->begin_envp;
	imgp->env_end = uargv + args->used;
#undef KADDR
	error = copyout(img, (void *)*sp, vecsize);
	kfree(img);
	return (error);
}

/* p_comm and p_args (for /proc/PID/cmdline) from the new image. */
static void
exec_set_names(struct proc *p, const struct image_args *args,
    const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n = 0, len;
	size_t off = 0;

	strlcpy(p->p_comm, base != NULL ? base + 1 : path, sizeof(p->p_comm));
	memset(p->p_args, 0, sizeof(p->p_args));
	for (int i = 0; i < args->argc && n < sizeof(p->p_args); i++) {
		const char *s = args_str(args, &off);

		len = MIN(strlen(s) + 1, sizeof(p->p_args) - n);
		memcpy(p->p_args + n, s, len);
		n += len;
	}
	p->p_args[sizeof(p->p_args) - 1] = '\0';
}

/*
 * Load `path` with the arguments in args into a new vmspace made current;
 * on success the old vmspace is in *oldvm (to free) and the frame is set.
 */
static int
do_execve(struct thread *td, char *path, struct image_args *args)
{
	struct proc *p = td->td_proc;
	struct exec_file ef = { 0 };
	struct image_params img;
	struct vmspace *oldvm = p->p_vmspace;
	struct trapframe *tf = td->td_frame;
	char *hdr = NULL, *interp = NULL, *cur = NULL;
	const char *why = NULL;
	size_t hdrlen;
	ssize_t n;
	uint64_t sp, stacksz, va;
	int error, depth;

	memset(&img, 0, sizeof(img));
	hdr = kmalloc(PAGE_SIZE, M_WAITOK);
	interp = kmalloc(PATH_MAX, M_WAITOK);
	cur = kmalloc(PATH_MAX, M_WAITOK);
	if (hdr == NULL || interp == NULL || cur == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	strlcpy(interp, path, PATH_MAX);	/* the file to load */
	for (depth = 0;; depth++) {
		if ((error = exec_file_open(interp, &ef)) != 0)
			goto fail;
		n = exec_file_read(&ef, 0, hdr, MIN(PAGE_SIZE, ef.ef_size));
		if (n < 0) {
			error = (int)n;
			goto fail;
		}
		hdrlen = (size_t)n;
		if (hdrlen < 2 || hdr[0] != '#' || hdr[1] != '!')
			break;
		if (depth >= MAXINTERP) {
			error = -ELOOP;
			goto fail;
		}
		exec_file_close(&ef);
		strlcpy(cur, interp, PATH_MAX);
		error = args_shebang(args, hdr, hdrlen, cur, interp, PATH_MAX);
		if (error != 0)
			goto fail;
	}
	error = elf_parse(hdr, hdrlen, ef.ef_size, &img.ei, &why);
	if (error == 0 && img.ei.interp) {
		why = "dynamically linked (PT_INTERP): only static "
		    "programs run";
		error = -ENOEXEC;
	}
	if (error != 0) {
		printk(KERN_INFO "exec %s: %s\n", interp, why ? why : "bad");
		goto fail;
	}

	/* Build the new address space and make it current. */
	img.vm = vmspace_alloc();
	if (img.vm == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	p->p_vmspace = img.vm;
	pmap_activate(vmspace_pmap(img.vm));
	if ((error = elf_load(&ef, hdr, hdrlen, &img)) != 0)
		goto fail_vm;
	vmspace_set_brk(img.vm, img.brk);
	stacksz = MIN(MAX(p->p_rlimit[RLIMIT_STACK][0], 128UL * 1024),
	    MAXSSIZ);
	va = USRSTACK - round_page(stacksz);
	error = vm_map_anon(vmspace_map(img.vm), &va, round_page(stacksz),
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VMFS_FIXED);
	if (error != 0)
		goto fail_vm;
	if ((error = exec_copyout_stack(args, &img, path, &sp)) != 0)
		goto fail_vm;

	/* The point of no return: the old image goes. */
	if (oldvm != NULL)
		vmspace_free(oldvm);
	exec_set_names(p, args, path);
	p->p_arg_start = img.arg_start;
	p->p_arg_end = img.env_start;
	p->p_env_start = img.env_start;
	p->p_env_end = img.env_end;
	p->p_start_stack = sp;
	proc_vfs_exec(p, ef.ef_vp);	/* keeps the reference as p_textvp */
	ef.ef_vp = NULL;
	execsigs(p);
	td->td_fsbase = 0;
	wrmsr(MSR_FSBASE, 0);
	td_fpu_init(td);
	td_fpu_restore(td);
	spin_lock(&proc_lock);
	p->p_flag |= P_EXEC;
	spin_unlock(&proc_lock);
	knote_exec(p);			/* EVFILT_PROC NOTE_EXEC */
	vfork_release(p);
	memset(tf, 0, sizeof(*tf));
	tf->tf_rip = img.entry;
	tf->tf_rsp = sp;
	tf->tf_rflags = PSL_I | 0x2;
	tf->tf_cs = GSEL_UCODE;
	tf->tf_ss = GSEL_UDATA;
	tf->tf_trapno = T_SYSCALL;
	kfree(hdr);
	kfree(interp);
	kfree(cur);
	return (0);

fail_vm:
	p->p_vmspace = oldvm;
	pmap_activate(oldvm != NULL ? vmspace_pmap(oldvm) : kernel_pmap);
	vmspace_free(img.vm);
fail:
	if (ef.ef_vp != NULL)
		exec_file_close(&ef);
	kfree(hdr);
	kfree(interp);
	kfree(cur);
	return (error);
}

/* Execute a program from the kernel (init); argv/envp are kernel arrays. */
int
kern_execve(const char *path, const char *const *argv,
    const char *const *envp)
{
	struct image_args args = { 0 };
	char *kpath;
	int error = 0;

	kpath = kmalloc(PATH_MAX, M_WAITOK);
	if (kpath == NULL)
		return (-ENOMEM);
	strlcpy(kpath, path, PATH_MAX);
	for (; argv != NULL && argv[args.argc] != NULL && error == 0;)
		if ((error = args_add_kstr(&args, argv[args.argc])) == 0)
			args.argc++;
	args.begin_envp = args.used;
	for (; envp != NULL && envp[args.envc] != NULL && error == 0;)
		if ((error = args_add_kstr(&args, envp[args.envc])) == 0)
			args.envc++;
	if (error == 0)
		error = do_execve(curthread, kpath, &args);
	args_free(&args);
	kfree(kpath);
	return (error);
}

/*
 * execve(2): replace the program.  0 (the new program starts);
 * ENOENT: no such file; EACCES: not a regular file or no execute
 * permission; ENOEXEC: not a valid static ELF64 x86-64 executable or
 * script; E2BIG: argv + envp over 2 MiB; EFAULT: bad path, argv or envp;
 * ENAMETOOLONG: path too long; ELOOP: more than 4 nested #! interpreters;
 * ENOMEM.  On error the caller's image is untouched.
 */
long
sys_execve(const char *upath, char *const *argv, char *const *envp)
{
	struct image_args args = { 0 };
	char *path;
	size_t done;
	int error;

	path = kmalloc(PATH_MAX, M_WAITOK);
	if (path == NULL)
		return (-ENOMEM);
	error = copyinstr(upath, path, PATH_MAX, &done);
	if (error == 0 && path[0] == '\0')
		error = -ENOENT;
	if (error == 0)
		error = args_add_uvec(&args, argv, &args.argc);
	args.begin_envp = args.used;
	if (error == 0)
		error = args_add_uvec(&args, envp, &args.envc);
	if (error == 0)
		error = do_execve(curthread, path, &args);
	args_free(&args);
	kfree(path);
	return (error);
}
