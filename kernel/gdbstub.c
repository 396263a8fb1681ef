/*
 * gdbstub.c: the kernel's own gdb server, over a serial port.
 *
 * gdb speaks the remote serial protocol: packets "$data#cc" where cc is
 * the hex sum of the data bytes mod 256, each acknowledged by '+' (good)
 * or '-' (bad checksum: send it again).  A packet with a bad checksum is
 * answered '-' and never obeyed.  The stub runs only while the kernel is
 * stopped: inside the trap handler of an int3 (#BP) or debug exception
 * (#DB), with interrupts off, polling the UART.  It reads and writes the
 * trap frame as gdb's amd64 register set (g/G/P; the 16 general registers,
 * rip, eflags and the six segment selectors -- gdb treats the x87 and SSE
 * registers a short 'g' reply leaves out as unavailable), reads and writes
 * memory (m/M) after walking the page tables so that a bad address is an
 * error reply rather than a fault, sets software breakpoints (Z0: an int3
 * byte, written through CR0.WP since kernel text is read-only) and
 * hardware ones (Z1 execute, Z2 write, Z4 access watchpoints in DR0-DR3),
 * single-steps (s: the TF flag) and continues (c).  Only kernel addresses
 * are reachable: user memory is refused (SMAP).  gdb sends Ctrl-C as a
 * single 0x03 byte; the UART's receive interrupt turns it into a stop.
 * Protocol: gdb/doc "Remote Protocol"; FreeBSD's sys/gdb/gdb_main.c is a
 * full-size version of the same loop.
 */
#include <cpu.h>
#include <gdbstub.h>
#include <kernel.h>
#include <lapic.h>
#include <libkern.h>
#include <trap.h>
#include <uart.h>
#include <vm_param.h>
#include <x86.h>

#define GDB_BUFSZ	1024		/* PacketSize we announce */
#define GDB_NSWBP	32
#define GDB_NHWBP	4
#define GDB_SIGTRAP	5
#define GDB_SIGINT	2
#define GDB_SIGSEGV	11
#define GDB_REG_RIP	16
#define GDB_REG_EFLAGS	17
#define GDB_NREGS	24		/* 16 + rip + eflags + 6 selectors */
#define GDB_EFLAGS_USER	0xdd5UL	/* CF PF AF ZF SF TF DF OF */
#define COM2_IRQ	3
#define COM1_IRQ	4

#define PG_V		0x001
#define PG_RW		0x002
#define PG_PS		0x080
#define PG_FRAME	0x000ffffffffff000UL

/* All of this is touched only while the kernel is stopped in the stub. */
static uint16_t gdb_port;		/* 0: the stub is off */
static char gdb_in[GDB_BUFSZ], gdb_out[GDB_BUFSZ];
static struct {
	uint64_t addr;			/* 0: free slot */
	uint8_t orig;
} gdb_swbp[GDB_NSWBP];
static struct {
	bool used;
	uint64_t addr;
	int type, len;			/* Z type 1, 2, 4; length */
} gdb_hwbp[GDB_NHWBP];
static bool gdb_stepping;
static bool gdb_in_stub;
static bool gdb_resumed;		/* gdb waits for a stop reply */
static bool gdb_saw_fatal;	/* gdb_fatal ran: no second stop */
static const char hexdigit[] = "0123456789abcdef";

bool
gdb_active(void)
{
	return (gdb_port != 0);
}

static void
gdb_putc(int c)
{
	uart_putc(gdb_port, c);
}

static int
gdb_getc(void)
{
	int c;

	while ((c = uart_getc(gdb_port)) < 0)
		cpu_spinwait();
	return (c);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Parse hex digits at *p into *v; returns the number of digits. */
static int
parse_hex(const char **p, uint64_t *v)
{
	int n = 0, d;

	*v = 0;
	while ((d = hexval(**p)) >= 0 && n < 16) {
		*v = *v << 4 | d;
		(*p)++;
		n++;
	}
	return (n);
}

/*
 * Receive one packet into gdb_in: wait for '$', read to '#', check the
 * two checksum digits.  A bad packet is NAKed and forgotten.
 */
static void
gdb_recv(void)
{
	for (;;) {
		uint8_t sum = 0;
		int c, n = 0, h, l;

		while ((c = gdb_getc()) != '$')
			;
		while ((c = gdb_getc()) != '#') {
			if (c == '$') {	/* a restart: begin again */
				n = 0;
				sum = 0;
				continue;
			}
			if (n < GDB_BUFSZ - 1)
				gdb_in[n++] = c;
			sum += c;
		}
		gdb_in[n] = '\0';
		h = hexval(gdb_getc());
		l = hexval(gdb_getc());
		if (h >= 0 && l >= 0 && (h << 4 | l) == sum &&
		    n < GDB_BUFSZ - 1) {
			gdb_putc('+');
			return;
		}
		gdb_putc('-');
	}
}

/* Send s as a packet until gdb acknowledges it. */
static void
gdb_send(const char *s)
{
	for (int tries = 0; tries < 20; tries++) {
		uint8_t sum = 0;
		int c;

		gdb_putc('$');
		for (const char *p = s; *p != '\0'; p++) {
			gdb_putc(*p);
			sum += *p;
		}
		gdb_putc('#');
		gdb_putc(hexdigit[sum >> 4]);
		gdb_putc(hexdigit[sum & 15]);
		do {
			c = gdb_getc();
		} while (c != '+' && c != '-');
		if (c == '+')
			return;
	}
}

/*
 * Is [va, va + len) mapped in the current page tables (writable too when
 * write)?  Only kernel addresses: user memory is behind SMAP.
 */
static bool
gdb_mapped(uint64_t va, size_t len, bool write, bool *ro)
{
	static const int shift[4] = { 39, 30, 21, 12 };

	*ro = false;
	if (va < VM_MAXUSER_ADDRESS || va + len < va)
		return (false);
	for (uint64_t p = va & ~0xfffUL; p < va + len; p += 0x1000) {
		uint64_t *table = PHYS_TO_DMAP(rcr3() & PG_FRAME), e = 0;

		for (int level = 0; level < 4; level++) {
			e = table[(p >> shift[level]) & 511];
			if (!(e & PG_V))
				return (false);
			if (!(e & PG_RW))
				*ro = true;
			if (level == 3 || (level > 0 && (e & PG_PS)))
				break;
			table = PHYS_TO_DMAP(e & PG_FRAME);
		}
		if (p + 0x1000 < p)
			break;
	}
	return (true);
}

static void
wcr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Write len bytes at va, through CR0.WP if the page is read-only. */
static int
gdb_write_mem(uint64_t va, const uint8_t *src, size_t len)
{
	uint64_t cr0 = rcr0();
	bool ro;

	if (!gdb_mapped(va, len, true, &ro))
		return (-1);
	if (ro)
		wcr0(cr0 & ~CR0_WP);
	for (size_t i = 0; i < len; i++)
		((volatile uint8_t *)va)[i] = src[i];
	if (ro)
		wcr0(cr0);
	return (0);
}

/* gdb's amd64 register number n as a pointer into the frame, and size. */
static uint64_t *
gdb_reg(struct trapframe *tf, int n, int *size)
{
	static uint64_t zero;
	uint64_t *const regs[] = {
		&tf->tf_rax, &tf->tf_rbx, &tf->tf_rcx, &tf->tf_rdx,
		&tf->tf_rsi, &tf->tf_rdi, &tf->tf_rbp, &tf->tf_rsp,
		&tf->tf_r8, &tf->tf_r9, &tf->tf_r10, &tf->tf_r11,
		&tf->tf_r12, &tf->tf_r13, &tf->tf_r14, &tf->tf_r15,
		&tf->tf_rip, &tf->tf_rflags, &tf->tf_cs, &tf->tf_ss,
	};

	*size = n < GDB_REG_EFLAGS ? 8 : 4;
	if (n < (int)nitems(regs))
		return (regs[n]);
	zero = n == 20 || n == 21 ? GSEL_KDATA : 0;	/* ds, es; fs, gs */
	return (&zero);
}

static char *
put_hex_le(char *o, uint64_t v, int size)
{
	for (int i = 0; i < size; i++, v >>= 8) {
		*o++ = hexdigit[(v >> 4) & 15];
		*o++ = hexdigit[v & 15];
	}
	return (o);
}

static bool
get_hex_le(const char **p, uint64_t *v, int size)
{
	*v = 0;
	for (int i = 0; i < size; i++) {
		int h = hexval((*p)[0]), l = hexval((*p)[1]);

		if (h < 0 || l < 0)
			return (false);
		*v |= (uint64_t)(h << 4 | l) << (8 * i);
		*p += 2;
	}
	return (true);
}

static void
set_reg(struct trapframe *tf, int n, uint64_t v)
{
	int size;
	uint64_t *r = gdb_reg(tf, n, &size);

	if (n >= GDB_REG_EFLAGS + 1)
		return;			/* selectors stay the kernel's */
	if (n == GDB_REG_EFLAGS)	/* arithmetic flags and TF only */
		v = (*r & ~GDB_EFLAGS_USER) | (v & GDB_EFLAGS_USER);
	*r = v;
}

static void
read_regs(struct trapframe *tf)
{
	char *o = gdb_out;

	for (int n = 0; n < GDB_NREGS; n++) {
		int size;
		uint64_t *r = gdb_reg(tf, n, &size);

		o = put_hex_le(o, *r, size);
	}
	*o = '\0';
}

static const char *
write_regs(struct trapframe *tf, const char *p)
{
	for (int n = 0; n < GDB_NREGS && *p != '\0'; n++) {
		int size;
		uint64_t v;

		(void)gdb_reg(tf, n, &size);
		if (!get_hex_le(&p, &v, size))
			return ("E01");
		set_reg(tf, n, v);
	}
	return ("OK");
}

static const char *
read_mem(const char *p)
{
	uint64_t addr, len;
	bool ro;
	char *o = gdb_out;

	if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len))
		return ("E01");
	if (len > (GDB_BUFSZ - 1) / 2)
		len = (GDB_BUFSZ - 1) / 2;
	if (len == 0 || !gdb_mapped(addr, len, false, &ro))
		return ("E14");	/* EFAULT, as gdbserver says */
	for (uint64_t i = 0; i < len; i++) {
		uint8_t b = ((volatile uint8_t *)addr)[i];

		*o++ = hexdigit[b >> 4];
		*o++ = hexdigit[b & 15];
	}
	*o = '\0';
	return (gdb_out);
}

static const char *
write_mem(const char *p)
{
	uint64_t addr, len, v;
	uint8_t buf[GDB_BUFSZ / 2];

	if (!parse_hex(&p, &addr) || *p++ != ',' || !parse_hex(&p, &len) ||
	    *p++ != ':' || len > sizeof(buf))
		return ("E01");
	for (uint64_t i = 0; i < len; i++) {
		if (!get_hex_le(&p, &v, 1))
			return ("E01");
		buf[i] = v;
	}
	if (len > 0 && gdb_write_mem(addr, buf, len) != 0)
		return ("E14");
	return ("OK");
}

static uint64_t
rdr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 6: __asm__ volatile("mov %%dr6, %0" : "=r"(v)); break;
	case 7: __asm__ volatile("mov %%dr7, %0" : "=r"(v)); break;
	}
	return (v);
}

static void
wdr(int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(v)); break;
	case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(v)); break;
	case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(v)); break;
	case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(v)); break;
	case 6: __asm__ volatile("mov %0, %%dr6" : : "r"(v)); break;
	case 7: __asm__ volatile("mov %0, %%dr7" : : "r"(v)); break;
	}
}

/* DR7 from gdb_hwbp: local enable, R/W (00 exec, 01 write, 11 rw), LEN. */
static void
hwbp_load(void)
{
	uint64_t dr7 = 0;

	for (int i = 0; i < GDB_NHWBP; i++) {
		uint64_t rw, ln;

		if (!gdb_hwbp[i].used)
			continue;
		wdr(i, gdb_hwbp[i].addr);
		rw = gdb_hwbp[i].type == 1 ? 0 : gdb_hwbp[i].type == 2 ? 1 : 3;
		ln = gdb_hwbp[i].len == 8 ? 2 : gdb_hwbp[i].len == 4 ? 3 :
		    gdb_hwbp[i].len == 2 ? 1 : 0;
		if (gdb_hwbp[i].type == 1)
			ln = 0;
		dr7 |= 1UL << (2 * i) | rw << (16 + 4 * i) |
		    ln << (18 + 4 * i);
	}
	wdr(7, dr7);
}

/* Z/z TYPE,ADDR,KIND: insert (set) or remove a breakpoint. */
static const char *
breakpoint(const char *p, bool set)
{
	uint64_t type, addr, kind;
	bool ro;
	int i, free = -1;

	if (!parse_hex(&p, &type) || *p++ != ',' || !parse_hex(&p, &addr) ||
	    *p++ != ',' || !parse_hex(&p, &kind))
		return ("E01");
	if (type == 0) {
		for (i = 0; i < GDB_NSWBP; i++) {
			if (gdb_swbp[i].addr == addr)
				break;
			if (gdb_swbp[i].addr == 0 && free < 0)
				free = i;
		}
		if (!set) {
			if (i == GDB_NSWBP)
				return ("OK");
			gdb_write_mem(addr, &gdb_swbp[i].orig, 1);
			gdb_swbp[i].addr = 0;
			return ("OK");
		}
		if (i < GDB_NSWBP)
			return ("OK");		/* already there */
		if (free < 0 || !gdb_mapped(addr, 1, true, &ro))
			return ("E14");
		gdb_swbp[free].orig = *(volatile uint8_t *)addr;
		if (gdb_write_mem(addr, (const uint8_t *)"\xcc", 1) != 0)
			return ("E14");
		gdb_swbp[free].addr = addr;
		return ("OK");
	}
	if (type > 4 || type == 3 || (type != 1 && kind != 1 && kind != 2 &&
	    kind != 4 && kind != 8))
		return ("");		/* read watchpoints: unsupported */
	for (i = 0; i < GDB_NHWBP; i++) {
		if (gdb_hwbp[i].used && gdb_hwbp[i].addr == addr &&
		    gdb_hwbp[i].type == (int)type)
			break;
		if (!gdb_hwbp[i].used && free < 0)
			free = i;
	}
	if (!set) {
		if (i < GDB_NHWBP)
			gdb_hwbp[i].used = false;
	} else if (i == GDB_NHWBP) {
		if (free < 0)
			return ("E28");		/* ENOSPC */
		gdb_hwbp[free].used = true;
		gdb_hwbp[free].addr = addr;
		gdb_hwbp[free].type = type;
		gdb_hwbp[free].len = kind;
	}
	hwbp_load();
	return ("OK");
}

static bool
is_swbp(uint64_t addr)
{
	for (int i = 0; i < GDB_NSWBP; i++)
		if (gdb_swbp[i].addr == addr)
			return (true);
	return (false);
}

/* Report a stop with signal sig and serve gdb until it resumes us. */
static void
gdb_loop(struct trapframe *tf, int sig)
{
	char stop[8];
	const char *p, *reply;
	uint64_t v;
	int size;

	gdb_in_stub = true;
	gdb_stepping = false;
	tf->tf_rflags &= ~PSL_T;
	stop[0] = 'S';
	stop[1] = hexdigit[sig >> 4];
	stop[2] = hexdigit[sig & 15];
	stop[3] = '\0';
	/* Only a gdb that resumed us waits for a stop reply; one that
	 * connects later asks with '?'. */
	if (gdb_resumed)
		gdb_send(stop);
	gdb_resumed = false;
	for (;;) {
		gdb_recv();
		p = gdb_in + 1;
		reply = "";
		switch (gdb_in[0]) {
		case '?':
			reply = stop;
			break;
		case 'g':
			read_regs(tf);
			reply = gdb_out;
			break;
		case 'G':
			reply = write_regs(tf, p);
			break;
		case 'p':
			if (parse_hex(&p, &v) && v < GDB_NREGS) {
				uint64_t *r = gdb_reg(tf, v, &size);

				*put_hex_le(gdb_out, *r, size) = '\0';
				reply = gdb_out;
			}
			break;
		case 'P':
			if (parse_hex(&p, &v) && *p++ == '=') {
				uint64_t val;

				reply = "E01";
				if (v >= GDB_NREGS)
					break;
				(void)gdb_reg(tf, v, &size);
				if (get_hex_le(&p, &val, size)) {
					set_reg(tf, v, val);
					reply = "OK";
				}
			}
			break;
		case 'm':
			reply = read_mem(p);
			break;
		case 'M':
			reply = write_mem(p);
			break;
		case 'Z':
		case 'z':
			reply = breakpoint(p, gdb_in[0] == 'Z');
			break;
		case 's':
		case 'c':
			if (parse_hex(&p, &v))
				tf->tf_rip = v;
			if (gdb_in[0] == 's') {
				tf->tf_rflags |= PSL_T;
				gdb_stepping = true;
			}
			/* Do not re-hit an execute breakpoint at rip. */
			tf->tf_rflags |= PSL_RF;
			gdb_resumed = true;
			gdb_in_stub = false;
			return;
		case 'D':
			gdb_send("OK");
			/* FALLTHROUGH */
		case 'k':
			for (int i = 0; i < GDB_NSWBP; i++)
				if (gdb_swbp[i].addr != 0) {
					gdb_write_mem(gdb_swbp[i].addr,
					    &gdb_swbp[i].orig, 1);
					gdb_swbp[i].addr = 0;
				}
			memset(gdb_hwbp, 0, sizeof(gdb_hwbp));
			hwbp_load();
			gdb_in_stub = false;
			return;
		case 'H':
			reply = "OK";
			break;
		case 'T':
			reply = "OK";
			break;
		case 'q':
			if (strncmp(p, "Supported", 9) == 0)
				reply = "PacketSize=3ff";
			else if (strcmp(p, "Attached") == 0)
				reply = "1";
			else if (strcmp(p, "C") == 0)
				reply = "QC1";
			else if (strcmp(p, "fThreadInfo") == 0)
				reply = "m1";
			else if (strcmp(p, "sThreadInfo") == 0)
				reply = "l";
			break;
		}
		gdb_send(reply);
	}
}

bool
gdb_trap(struct trapframe *tf)
{
	uint64_t dr6;

	if (gdb_port == 0 || gdb_in_stub)
		return (false);
	if (tf->tf_trapno == T_BPT) {
		/* Our int3: report the breakpoint's own address. */
		if (is_swbp(tf->tf_rip - 1))
			tf->tf_rip--;
	} else if (tf->tf_trapno == T_DEBUG) {
		dr6 = rdr(6);
		wdr(6, 0);
		if (!gdb_stepping && !(dr6 & 0xf))
			return (false);
	} else
		return (false);
	gdb_loop(tf, GDB_SIGTRAP);
	return (true);
}

void
gdb_fatal(struct trapframe *tf)
{
	if (gdb_port == 0 || gdb_in_stub)
		return;
	printk("gdb: fatal trap, waiting for gdb on ttyS%d\n",
	    gdb_port == COM1_PORT ? 0 : 1);
	gdb_saw_fatal = true;
	gdb_loop(tf, GDB_SIGSEGV);
}

void
gdb_panic(void)
{
	if (gdb_port == 0 || gdb_in_stub || gdb_saw_fatal)
		return;
	printk("gdb: panic, waiting for gdb on ttyS%d\n",
	    gdb_port == COM1_PORT ? 0 : 1);
	gdb_breakpoint();
}

/* The port's receive interrupt: Ctrl-C (0x03) from gdb stops the kernel. */
static void
gdb_rxintr(struct trapframe *tf, void *arg)
{
	int c;

	while ((c = uart_getc(gdb_port)) >= 0)
		if (c == 0x03 && !gdb_in_stub)
			gdb_loop(tf, GDB_SIGINT);
}

/* gdb=ttyS1 (COM2) or gdb=ttyS0; `gdbwait` stops at once for gdb. */
void
gdb_init(void)
{
	char name[16], cons[16];
	uint16_t port;
	int irq;

	if (!cmdline_value("gdb", name, sizeof(name)))
		return;
	if (strcmp(name, "ttyS1") == 0) {
		port = COM2_PORT;
		irq = COM2_IRQ;
	} else if (strcmp(name, "ttyS0") == 0) {
		port = COM1_PORT;
		irq = COM1_IRQ;
	} else {
		printk(KERN_WARNING "gdb: unknown port %s (ttyS0, ttyS1)\n",
		    name);
		return;
	}
	uart_init(port);
	if (!uart_present(port)) {
		printk(KERN_WARNING "gdb: no UART for %s\n", name);
		return;
	}
	if (!cmdline_value("console", cons, sizeof(cons)))
		strlcpy(cons, "ttyS0", sizeof(cons));
	if (strcmp(cons, name) == 0)
		printk(KERN_WARNING "gdb: the console is on the same port; "
		    "gdb will see kernel messages\n");
	gdb_port = port;
	if (port == COM2_PORT && !intr_established(IRQ_VECTOR(irq))) {
		intr_establish(IRQ_VECTOR(irq), gdb_rxintr, NULL);
		if (ioapic_route_irq(irq, IRQ_VECTOR(irq)) == 0)
			uart_intr_enable(port, true);
	}
	printk("gdb: stub on %s%s\n", name,
	    cmdline_has("gdbwait") ? ", waiting for gdb" : "");
	if (cmdline_has("gdbwait"))
		gdb_breakpoint();
}
