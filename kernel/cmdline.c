/*
 * cmdline.c: the kernel command line and its options.
 *
 * Options are space-separated words, either `name` or `name=value`.  Known
 * options are listed in cmdline_known; anything else is reported once at
 * boot (and otherwise ignored) so a typo is visible, not silent.
 */
#include <kernel.h>
#include <libkern.h>

char kernel_cmdline[256];

static const char *const cmdline_known[] = {
	"ktest",	/* run the in-kernel self tests and exit QEMU */
	"quiet",	/* only warnings and errors on the console */
	"init",		/* init=PATH: the first user program */
	"console",	/* console=ttyS1: printk to COM2, COM1 is the user tty */
	"loglevel",	/* loglevel=N */
	"panic_test",	/* panic_test=trap|panic|doublefault|kstack */
	"clock",	/* clock=pit: tick from the PIT, not the LAPIC */
	"syscall_trace", /* print every system call and its result */
	"qrun",		/* set by tools/qrun: run a program, then power off */
	"p9",		/* p9=EXPORT: 9P ktests attach to this diod export */
	"p9v",		/* p9v=TAG: virtio-9p ktests use this mount tag */
	"p9hup",	/* the 9P hang-up ktest: the stage kills diod */
	"share",	/* share=DIR: aname of init's 9p mount at /mnt/host */
	"noshare",	/* init does not mount the host share */
	"nokbd",	/* leave the PS/2 keyboard alone */
	"gdb",		/* gdb=ttyS1: the kernel's gdb stub on COM2 */
	"gdbwait",	/* with gdb=: stop in the stub at boot */
};

/* Find `opt` or `opt=...`; returns a pointer past the name, or NULL. */
static const char *
cmdline_find(const char *opt)
{
	size_t len = strlen(opt);
	const char *p = kernel_cmdline;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, opt, len) == 0 &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '='))
			return (p + len);
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return (NULL);
}

bool
cmdline_has(const char *opt)
{
	return (cmdline_find(opt) != NULL);
}

/* Copy the value of `opt=value` into buf; false when absent. */
bool
cmdline_value(const char *opt, char *buf, size_t size)
{
	const char *p = cmdline_find(opt);
	size_t n = 0;

	if (p == NULL || *p != '=')
		return (false);
	p++;
	while (p[n] != '\0' && p[n] != ' ' && n + 1 < size) {
		buf[n] = p[n];
		n++;
	}
	buf[n] = '\0';
	return (true);
}

void
cmdline_check(void)
{
	const char *p = kernel_cmdline;
	char word[64];
	size_t n;

	/* Loaders pass the kernel's path as the first word: skip it. */
	for (n = 0; p[n] != '\0' && p[n] != ' ' && p[n] != '/'; n++)
		;
	if (p[n] == '/') {
		while (*p != '\0' && *p != ' ')
			p++;
	}
	while (*p != '\0') {
		bool known = false;

		while (*p == ' ')
			p++;
		for (n = 0; p[n] != '\0' && p[n] != ' ' && p[n] != '=' &&
		     n + 1 < sizeof(word); n++)
			word[n] = p[n];
		word[n] = '\0';
		while (*p != '\0' && *p != ' ')
			p++;
		if (n == 0)
			continue;
		for (size_t i = 0; i < nitems(cmdline_known); i++)
			if (strcmp(word, cmdline_known[i]) == 0)
				known = true;
		if (!known)
			printk(KERN_WARNING
			    "cmdline: unknown option \"%s\" ignored\n", word);
	}
}
