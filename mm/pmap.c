/*
 * pmap.c: the x86-64 page tables (FreeBSD sys/amd64/amd64/pmap.c, reduced).
 *
 * This is the only file that knows the four-level page-table format.  The
 * kernel half of every address space (PML4 entries 256..511) is shared:
 * pmap_bootstrap creates, once and for all, every kernel PML4 entry the
 * kernel will ever use (the 32 direct-map slots and the kernel image
 * slot), so pmap_pinit can copy them into a new PML4 and no later kernel
 * mapping ever needs to be propagated to existing pmaps.  The user half is
 * private: 4 KiB mappings only, with page-table pages allocated on demand.
 *
 * Page-table pages are ordinary vm_pages flagged PG_PTP; a PTP's ref_count
 * is the number of valid entries in it, so pmap_remove frees a table the
 * moment its last entry goes and pmap_release finds nothing but the PML4.
 * Direct map: all RAM and at least 0-4 GiB (MMIO), with 1 GiB pages when
 * the CPU has them, else 2 MiB pages; global and no-execute.  Lock order:
 * a pmap's pm_lock, then vm_phys's lock (tables are allocated under it).
 */
#include <kernel.h>
#include <libkern.h>
#include <pmap.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <x86.h>

/* Page-table entry bits (FreeBSD's X86_PG_* names). */
#define X86_PG_V	0x001UL		/* present */
#define X86_PG_RW	0x002UL		/* writable */
#define X86_PG_U	0x004UL		/* user */
#define X86_PG_NC_PWT	0x008UL		/* write-through */
#define X86_PG_NC_PCD	0x010UL		/* cache disable */
#define X86_PG_A	0x020UL		/* accessed */
#define X86_PG_M	0x040UL		/* dirty */
#define X86_PG_PS	0x080UL		/* large page (PDPTE, PDE) */
#define X86_PG_G	0x100UL		/* global */
#define X86_PG_W	0x200UL		/* software: wired */
#define X86_PG_NX	(1UL << 63)	/* no execute */
#define X86_PG_FRAME	0x000ffffffffff000UL
#define X86_PG_PS_FRAME 0x000fffffffe00000UL	/* 2 MiB frame */
#define X86_PG_1G_FRAME 0x000fffffc0000000UL	/* 1 GiB frame */

#define NPTEPG		512
#define NBPDR		(1UL << 21)	/* bytes per PD entry */
#define NBPDP		(1UL << 30)	/* bytes per PDPT entry */
#define NBPML4		(1UL << 39)	/* bytes per PML4 entry */
#define NDMPML4E	(DMAP_MAX / NBPML4)	/* direct-map PML4 slots */
#define DMPML4I		256		/* first direct-map slot */
#define KPML4I		511		/* the kernel image slot */
#define KSPML4I		510		/* kernel stacks (pmap_kstack_alloc) */

#define pml4_index(va)	(((va) >> 39) & 511)
#define pdpt_index(va)	(((va) >> 30) & 511)
#define pd_index(va)	(((va) >> 21) & 511)
#define pt_index(va)	(((va) >> 12) & 511)

#define EFER_NXE	(1UL << 11)
#define CR4_PGE		(1UL << 7)
#define CR4_SMEP	(1UL << 20)

struct pmap kernel_pmap_store;
extern uint64_t boot_pml4[];	/* boot/boot.asm: becomes kernel_pmap's */

static uint64_t pg_nx;		/* X86_PG_NX when EFER.NXE is on, else 0 */
static uint64_t pg_g;		/* X86_PG_G when CR4.PGE is on, else 0 */
static bool pmap_1gpages;	/* CPUID pdpe1gb */
static paddr_t dmap_end;	/* direct map covers [0, dmap_end) */

static inline uint64_t *
pt_va(uint64_t entry)
{
	return (PHYS_TO_DMAP(entry & X86_PG_FRAME));
}

/* Flush the whole TLB, global entries included. */
static void
invltlb_all(void)
{
	uint64_t cr4 = rcr4();

	if (cr4 & CR4_PGE) {
		lcr4(cr4 & ~CR4_PGE);
		lcr4(cr4);
	} else
		lcr3(rcr3());
}

static bool
pmap_is_active(pmap_t pmap)
{
	return (pmap == kernel_pmap || rcr3() == pmap->pm_cr3);
}

static void
pmap_invlpg(pmap_t pmap, vaddr_t va)
{
	if (pmap_is_active(pmap))
		invlpg(va);
}

/*
 * Bootstrap page: taken out of the memory map below 4 GiB (reachable
 * through the boot direct map) before vm_phys exists, zeroed, never freed.
 */
static paddr_t
pmap_bootstrap_page(struct bootinfo *bi)
{
	paddr_t pa = vm_phys_steal(bi, PAGE_SIZE, 4UL << 30);

	if (pa == 0)
		panic("pmap_bootstrap: no memory below 4 GiB for page tables");
	memset(PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
	return (pa);
}

/* A rebased descriptor table keeps working once the identity map goes. */
static void
rebase_desc_tables(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed dt;

	__asm__ volatile("sgdt %0" : "=m"(dt));
	if (dt.base != 0 && dt.base < VM_MAXUSER_ADDRESS) {
		dt.base = (uint64_t)PHYS_TO_DMAP(dt.base);
		__asm__ volatile("lgdt %0" : : "m"(dt));
	}
	__asm__ volatile("sidt %0" : "=m"(dt));
	if (dt.base != 0 && dt.base < VM_MAXUSER_ADDRESS) {
		dt.base = (uint64_t)PHYS_TO_DMAP(dt.base);
		__asm__ volatile("lidt %0" : : "m"(dt));
	}
}

/*
 * The kernel image window (KERNBASE maps physical 0-1 GiB, PML4 slot 511,
 * built by boot.asm with 2 MiB pages): 4 KiB pages over the image with
 * text read-only and executable, read-only data read-only, everything
 * else (the boot section, data, bss, the rest of the window) writable and
 * not executable.  CR0.WP, set at boot, makes read-only hold in ring 0.
 */
static void
pmap_bootstrap_kernel(struct bootinfo *bi)
{
	extern char _text[], _etext[], _data[], _kernel_phys_end[];
	uint64_t *pdpt = pt_va(boot_pml4[KPML4I]);
	uint64_t *pd = pt_va(pdpt[510]);
	paddr_t text = KVA_TO_PHYS(_text);
	paddr_t etext = round_page(KVA_TO_PHYS(_etext));
	paddr_t data = KVA_TO_PHYS(_data), end = (paddr_t)_kernel_phys_end;

	for (int i = 0; i < NPTEPG; i++) {
		paddr_t base = i * NBPDR, ptpa;
		uint64_t *pt;

		if (base >= end) {
			pd[i] = base | X86_PG_V | X86_PG_RW | X86_PG_PS |
			    X86_PG_A | X86_PG_M | pg_g | pg_nx;
			continue;
		}
		ptpa = pmap_bootstrap_page(bi);
		pt = PHYS_TO_DMAP(ptpa);
		for (int j = 0; j < NPTEPG; j++) {
			paddr_t p = base + j * PAGE_SIZE;
			uint64_t bits = X86_PG_V | X86_PG_A | pg_g;

			if (p >= text && p < etext)
				;			/* text: r-x */
			else if (p >= etext && p < data)
				bits |= pg_nx;		/* rodata: r-- */
			else
				bits |= X86_PG_RW | X86_PG_M | pg_nx;
			pt[j] = p | bits;
		}
		pd[i] = ptpa | X86_PG_V | X86_PG_RW;
	}
}

void
pmap_bootstrap(struct bootinfo *bi)
{
	uint32_t a, b, c, d;
	uint64_t *pml4 = boot_pml4, *pdpt, *pd;
	paddr_t ram_end, pa, dmap_pdpt[NDMPML4E];

	if (rdmsr(MSR_EFER) & EFER_NXE)
		pg_nx = X86_PG_NX;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	pmap_1gpages = (d & (1u << 26)) != 0;
	cpuid(1, 0, &a, &b, &c, &d);
	if (d & (1u << 13))
		pg_g = X86_PG_G;

	ram_end = bi->nmem > 0 ? bi->mem[bi->nmem - 1].end : 0;
	if (ram_end > DMAP_MAX) {
		printk(KERN_WARNING "pmap: RAM above %lu GiB ignored\n",
		    DMAP_MAX >> 30);
		bi_reserve(bi, DMAP_MAX, ram_end);
		ram_end = DMAP_MAX;
	}
	dmap_end = roundup2(MAX(ram_end, 4UL << 30), NBPDP);

	/*
	 * Every direct-map slot gets its PDPT now, mapped or not.  The new
	 * tables are built through the boot direct map and installed only
	 * when complete.
	 */
	for (uint64_t i = 0; i < NDMPML4E; i++)
		dmap_pdpt[i] = pmap_bootstrap_page(bi);
	for (pa = 0; pa < dmap_end; pa += NBPDP) {
		pdpt = PHYS_TO_DMAP(dmap_pdpt[pa >> 39]);
		if (pmap_1gpages) {
			pdpt[pdpt_index(pa)] = pa | X86_PG_V | X86_PG_RW |
			    X86_PG_PS | X86_PG_A | X86_PG_M | pg_g | pg_nx;
			continue;
		}
		paddr_t pdpa = pmap_bootstrap_page(bi);

		pd = PHYS_TO_DMAP(pdpa);
		for (int i = 0; i < NPTEPG; i++)
			pd[i] = (pa + i * NBPDR) | X86_PG_V | X86_PG_RW |
			    X86_PG_PS | X86_PG_A | X86_PG_M | pg_g | pg_nx;
		pdpt[pdpt_index(pa)] = pdpa | X86_PG_V | X86_PG_RW;
	}

	for (uint64_t i = 0; i < NDMPML4E; i++)
		pml4[DMPML4I + i] = dmap_pdpt[i] | X86_PG_V | X86_PG_RW;
	/* The kernel-stack slot's PDPT exists before any pmap copies it. */
	pml4[KSPML4I] = pmap_bootstrap_page(bi) | X86_PG_V | X86_PG_RW;
	pmap_bootstrap_kernel(bi);

	/* Off the identity map: descriptor tables first, then PML4[0]. */
	rebase_desc_tables();
	pml4[0] = 0;
	lcr3(rcr3());
	if (pg_g)
		lcr4(rcr4() | CR4_PGE);
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (b & (1u << 7))
			lcr4(rcr4() | CR4_SMEP);
	}
	invltlb_all();

	spin_init(&kernel_pmap->pm_lock, "kernel_pmap");
	kernel_pmap->pm_pml4 = pml4;
	kernel_pmap->pm_cr3 = KVA_TO_PHYS(pml4);
	kernel_pmap->pm_resident = 0;
	printk("pmap: direct map of %lu MiB with %s pages%s%s, kernel text "
	    "read-only\n", dmap_end >> 20, pmap_1gpages ? "1 GiB" : "2 MiB",
	    pg_nx ? ", NX" : "", pg_g ? ", global" : "");
}

/* A zeroed page-table page, or 0 when memory is exhausted. */
static paddr_t
pmap_alloc_ptp(void)
{
	vm_page_t m = vm_page_alloc(VM_ALLOC_ZERO | VM_ALLOC_NOWAIT |
	    VM_ALLOC_USER);

	if (m == NULL)
		return (0);
	m->flags |= PG_PTP;
	m->wire_count = 1;
	m->ref_count = 0;
	return (VM_PAGE_TO_PHYS(m));
}

static void
pmap_free_ptp(paddr_t pa)
{
	vm_page_t m = PHYS_TO_VM_PAGE(pa);

	KASSERT(m != NULL && (m->flags & PG_PTP), "pmap: freeing a non-PTP");
	m->flags &= ~PG_PTP;
	vm_page_free(m);
}

/* Entries that reference an entry's table (its PTP's valid-entry count). */
static inline vm_page_t
ptp_of(uint64_t *entry)
{
	return (PHYS_TO_VM_PAGE(DMAP_TO_PHYS(trunc_page((vaddr_t)entry))));
}

/*
 * The PTE of user address va, creating missing tables when `create`.
 * walk[0..2] receive the PML4E, PDPTE and PDE on the way down.  NULL when
 * absent (or, creating, when out of memory).
 */
static uint64_t *
pmap_pte(pmap_t pmap, vaddr_t va, bool create, uint64_t **walk)
{
	uint64_t *table = pmap->pm_pml4, *e;
	static const int shift[3] = { 39, 30, 21 };

	for (int level = 0; level < 3; level++) {
		e = &table[(va >> shift[level]) & 511];
		if (walk != NULL)
			walk[level] = e;
		if (!(*e & X86_PG_V)) {
			paddr_t pa;

			if (!create || (pa = pmap_alloc_ptp()) == 0)
				return (NULL);
			*e = pa | X86_PG_V | X86_PG_RW | X86_PG_U;
			if (level > 0)
				ptp_of(e)->ref_count++;
		}
		table = pt_va(*e);
	}
	return (&table[pt_index(va)]);
}

/* Clear a valid user PTE and free the tables it leaves empty. */
static void
pmap_remove_pte(pmap_t pmap, vaddr_t va, uint64_t *pte, uint64_t **walk)
{
	uint64_t *e = pte;

	*pte = 0;
	pmap->pm_resident--;
	pmap_invlpg(pmap, va);
	for (int level = 2; level >= 0; level--) {
		vm_page_t ptp = ptp_of(e);

		if (--ptp->ref_count > 0)
			break;
		/* e's table is empty: unlink it from its parent, free it. */
		*walk[level] = 0;
		pmap_free_ptp(VM_PAGE_TO_PHYS(ptp));
		e = walk[level];
	}
}

int
pmap_pinit(pmap_t pmap)
{
	paddr_t pa = pmap_alloc_ptp();

	if (pa == 0)
		return (-ENOMEM);
	spin_init(&pmap->pm_lock, "pmap");
	pmap->pm_cr3 = pa;
	pmap->pm_pml4 = PHYS_TO_DMAP(pa);
	pmap->pm_resident = 0;
	for (int i = 256; i < NPTEPG; i++)
		pmap->pm_pml4[i] = kernel_pmap->pm_pml4[i];
	return (0);
}

/* Free every user page-table page under `table` at `level` (0 = PML4). */
static void
pmap_release_tables(uint64_t *table, int level, int n)
{
	for (int i = 0; i < n; i++) {
		if (!(table[i] & X86_PG_V))
			continue;
		if (level < 2)
			pmap_release_tables(pt_va(table[i]), level + 1, NPTEPG);
		pmap_free_ptp(table[i] & X86_PG_FRAME);
		table[i] = 0;
	}
}

void
pmap_release(pmap_t pmap)
{
	KASSERT(pmap != kernel_pmap, "pmap_release: kernel pmap");
	/* A dying process may still run on its own tables: leave them. */
	if (rcr3() == pmap->pm_cr3)
		lcr3(kernel_pmap->pm_cr3);
	if (pmap->pm_resident != 0)
		printk(KERN_WARNING "pmap_release: %lu pages still mapped\n",
		    pmap->pm_resident);
	pmap_release_tables(pmap->pm_pml4, 0, 256);
	pmap_free_ptp(pmap->pm_cr3);
	pmap->pm_pml4 = NULL;
	pmap->pm_cr3 = 0;
	pmap->pm_resident = 0;
}

void
pmap_activate(pmap_t pmap)
{
	if (rcr3() != pmap->pm_cr3)
		lcr3(pmap->pm_cr3);
}

static uint64_t
pte_bits(vm_prot_t prot, int flags)
{
	uint64_t bits = X86_PG_V | X86_PG_U;

	if (prot & VM_PROT_WRITE)
		bits |= X86_PG_RW;
	if (!(prot & VM_PROT_EXECUTE))
		bits |= pg_nx;
	if (flags & PMAP_ENTER_WIRED)
		bits |= X86_PG_W;
	return (bits);
}

int
pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, vm_prot_t prot, int flags)
{
	uint64_t *pte, old, *walk[3];

	if (pmap == kernel_pmap || va >= VM_MAXUSER_ADDRESS ||
	    (va & PAGE_MASK) != 0 || (pa & ~X86_PG_FRAME) != 0)
		return (-EINVAL);
	spin_lock(&pmap->pm_lock);
	pte = pmap_pte(pmap, va, true, walk);
	if (pte == NULL) {
		spin_unlock(&pmap->pm_lock);
		return (-ENOMEM);
	}
	old = *pte;
	if (!(old & X86_PG_V)) {
		pmap->pm_resident++;
		ptp_of(pte)->ref_count++;
	}
	/* Same page again: keep what the CPU recorded (accessed, dirty). */
	if ((old & X86_PG_V) && (old & X86_PG_FRAME) == pa)
		*pte = pa | pte_bits(prot, flags) |
		    (old & (X86_PG_A | X86_PG_M));
	else
		*pte = pa | pte_bits(prot, flags);
	if (old & X86_PG_V)
		pmap_invlpg(pmap, va);
	spin_unlock(&pmap->pm_lock);
	return (0);
}

/*
 * Call fn on every valid PTE of [sva, eva), skipping absent tables whole.
 * fn may remove the PTE (and with it empty tables).
 */
static void
pmap_foreach_pte(pmap_t pmap, vaddr_t sva, vaddr_t eva,
    void (*fn)(pmap_t, vaddr_t, uint64_t *, uint64_t **, void *), void *arg)
{
	uint64_t *walk[3], *e, *table;
	static const int shift[3] = { 39, 30, 21 };
	vaddr_t va = sva;

	eva = MIN(eva, VM_MAXUSER_ADDRESS);
	while (va < eva) {
		int level;

		table = pmap->pm_pml4;
		for (level = 0; level < 3; level++) {
			e = &table[(va >> shift[level]) & 511];
			walk[level] = e;
			if (!(*e & X86_PG_V))
				break;
			table = pt_va(*e);
		}
		if (level < 3) {
			/* No table here: on to the next boundary. */
			va = (va + (1UL << shift[level])) &
			    ~((1UL << shift[level]) - 1);
			continue;
		}
		e = &table[pt_index(va)];
		if (*e & X86_PG_V)
			fn(pmap, va, e, walk, arg);
		va += PAGE_SIZE;
	}
}

struct pmap_walk_arg {
	void (*fn)(void *, vaddr_t, paddr_t, vm_prot_t, bool);
	void *arg;
};

static void
walk_fn(pmap_t pmap, vaddr_t va, uint64_t *pte, uint64_t **walk, void *arg)
{
	struct pmap_walk_arg *wa = arg;
	vm_prot_t prot = VM_PROT_READ;
	bool user = true;

	if (*pte & X86_PG_RW)
		prot |= VM_PROT_WRITE;
	if (!(*pte & pg_nx))
		prot |= VM_PROT_EXECUTE;
	for (int i = 0; i < 3; i++)
		if (!(*walk[i] & X86_PG_U))
			user = false;
	if (!(*pte & X86_PG_U))
		user = false;
	wa->fn(wa->arg, va, *pte & X86_PG_FRAME, prot, user);
}

int
pmap_walk(pmap_t pmap, void (*fn)(void *, vaddr_t, paddr_t, vm_prot_t, bool),
    void *arg)
{
	struct pmap_walk_arg wa = { fn, arg };
	uint64_t *e;
	int bad = 0;

	spin_lock(&pmap->pm_lock);
	/* A large page in the user half is never made by pmap_enter. */
	for (int i = 0; i < DMPML4I; i++) {
		e = &pmap->pm_pml4[i];
		if ((*e & X86_PG_V) && (*e & X86_PG_PS))
			bad++;
	}
	if (bad == 0)
		pmap_foreach_pte(pmap, 0, VM_MAXUSER_ADDRESS, walk_fn, &wa);
	spin_unlock(&pmap->pm_lock);
	return (bad);
}

static void
remove_fn(pmap_t pmap, vaddr_t va, uint64_t *pte, uint64_t **walk,
    void *arg)
{
	pmap_remove_pte(pmap, va, pte, walk);
}

void
pmap_remove(pmap_t pmap, vaddr_t sva, vaddr_t eva)
{
	if (pmap == kernel_pmap)
		return;
	spin_lock(&pmap->pm_lock);
	pmap_foreach_pte(pmap, trunc_page(sva), eva, remove_fn, NULL);
	spin_unlock(&pmap->pm_lock);
}

static void
protect_fn(pmap_t pmap, vaddr_t va, uint64_t *pte, uint64_t **walk,
    void *arg)
{
	vm_prot_t prot = *(vm_prot_t *)arg;
	uint64_t old = *pte, new = old;

	if (!(prot & VM_PROT_WRITE))
		new &= ~X86_PG_RW;
	if (!(prot & VM_PROT_EXECUTE))
		new |= pg_nx;
	if (new != old) {
		*pte = new;
		pmap_invlpg(pmap, va);
	}
}

/*
 * Take rights away (as FreeBSD's pmap_protect does, it never adds any:
 * a wider protection is installed by the next fault).  Without
 * VM_PROT_READ nothing can stay mapped, so the range is removed.
 */
void
pmap_protect(pmap_t pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	if (pmap == kernel_pmap)
		return;
	if (!(prot & VM_PROT_READ)) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	spin_lock(&pmap->pm_lock);
	pmap_foreach_pte(pmap, trunc_page(sva), eva, protect_fn, &prot);
	spin_unlock(&pmap->pm_lock);
}

/* The final entry mapping va (PTE, or a large PDE/PDPTE) and its size. */
static uint64_t
pmap_lookup(pmap_t pmap, vaddr_t va, uint64_t **entry, uint64_t *size)
{
	uint64_t *table = pmap->pm_pml4, *e;
	static const int shift[4] = { 39, 30, 21, 12 };

	for (int level = 0; level < 4; level++) {
		e = &table[(va >> shift[level]) & 511];
		if (!(*e & X86_PG_V))
			return (0);
		if (level == 3 || (level > 0 && (*e & X86_PG_PS))) {
			*entry = e;
			*size = 1UL << shift[level];
			return (*e);
		}
		table = pt_va(*e);
	}
	return (0);
}

bool
pmap_extract(pmap_t pmap, vaddr_t va, paddr_t *pa)
{
	uint64_t *e, size, v;

	spin_lock(&pmap->pm_lock);
	v = pmap_lookup(pmap, va, &e, &size);
	spin_unlock(&pmap->pm_lock);
	if (v == 0)
		return (false);
	if (pa != NULL)
		*pa = (v & X86_PG_FRAME & ~(size - 1)) | (va & (size - 1));
	return (true);
}

vm_prot_t
pmap_prot(pmap_t pmap, vaddr_t va)
{
	uint64_t *e, size, v;
	vm_prot_t prot;

	spin_lock(&pmap->pm_lock);
	v = pmap_lookup(pmap, va, &e, &size);
	spin_unlock(&pmap->pm_lock);
	if (v == 0)
		return (VM_PROT_NONE);
	prot = VM_PROT_READ;
	if (v & X86_PG_RW)
		prot |= VM_PROT_WRITE;
	if (!(v & pg_nx))
		prot |= VM_PROT_EXECUTE;
	return (prot);
}

static uint64_t
pmap_user_pte_bits(pmap_t pmap, vaddr_t va)
{
	uint64_t *e, size, v;

	spin_lock(&pmap->pm_lock);
	v = pmap_lookup(pmap, va, &e, &size);
	spin_unlock(&pmap->pm_lock);
	return (v);
}

bool
pmap_is_modified(pmap_t pmap, vaddr_t va)
{
	return ((pmap_user_pte_bits(pmap, va) & X86_PG_M) != 0);
}

bool
pmap_is_referenced(pmap_t pmap, vaddr_t va)
{
	return ((pmap_user_pte_bits(pmap, va) & X86_PG_A) != 0);
}

void
pmap_clear_modify(pmap_t pmap, vaddr_t va)
{
	uint64_t *e, size;

	spin_lock(&pmap->pm_lock);
	if (pmap_lookup(pmap, va, &e, &size) & X86_PG_M) {
		__atomic_and_fetch(e, ~X86_PG_M, __ATOMIC_SEQ_CST);
		pmap_invlpg(pmap, va);
	}
	spin_unlock(&pmap->pm_lock);
}

void
pmap_zero_page(vm_page_t m)
{
	memset(PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)), 0, PAGE_SIZE);
}

void
pmap_copy_page(vm_page_t src, vm_page_t dst)
{
	memcpy(PHYS_TO_DMAP(VM_PAGE_TO_PHYS(dst)),
	    PHYS_TO_DMAP(VM_PAGE_TO_PHYS(src)), PAGE_SIZE);
}

/*
 * Split the large mapping *e (a 1 GiB PDPTE at level 1 or a 2 MiB PDE at
 * level 2) into a table of 512 smaller entries with the same attributes.
 */
static int
pmap_demote(uint64_t *e, int level)
{
	uint64_t step = level == 1 ? NBPDR : PAGE_SIZE;
	uint64_t frame = *e & (level == 1 ? X86_PG_1G_FRAME : X86_PG_PS_FRAME);
	uint64_t attr = *e & ~X86_PG_FRAME & ~(level == 1 ? 0 : X86_PG_PS);
	uint64_t *table;
	paddr_t pa;

	if ((pa = pmap_alloc_ptp()) == 0)
		return (-ENOMEM);
	table = PHYS_TO_DMAP(pa);
	for (int i = 0; i < NPTEPG; i++)
		table[i] = (frame + i * step) | attr;
	*e = pa | X86_PG_V | X86_PG_RW;
	invltlb_all();
	return (0);
}

/*
 * Map [pa, pa + len) uncached (PCD|PWT) at its direct-map address and
 * return PHYS_TO_DMAP(pa).  Each page gets its own 4 KiB PTE, splitting
 * the large direct-map page around it; device memory past the end of RAM
 * gets new tables under the preallocated direct-map slots, so the address
 * is the same in every pmap.  Before vm_phys_init there is no memory for
 * tables: addresses below 4 GiB are returned as mapped at boot (cached,
 * which the MTRRs of real firmware override for the MMIO hole).
 */
void *
pmap_mapdev(paddr_t pa, size_t len)
{
	paddr_t p, end = round_page(pa + len);
	static const int shift[4] = { 39, 30, 21, 12 };

	if (len == 0 || end > DMAP_MAX || end < pa)
		return (NULL);
	if (vm_phys_total_count() == 0)
		return (end <= (4UL << 30) ? PHYS_TO_DMAP(pa) : NULL);
	spin_lock(&kernel_pmap->pm_lock);
	for (p = trunc_page(pa); p < end; p += PAGE_SIZE) {
		vaddr_t va = (vaddr_t)PHYS_TO_DMAP(p);
		uint64_t *table = kernel_pmap->pm_pml4, *e = NULL;

		for (int level = 0; level < 4; level++) {
			e = &table[(va >> shift[level]) & 511];
			if (level == 3)
				break;
			if (!(*e & X86_PG_V)) {
				paddr_t t = pmap_alloc_ptp();

				if (t == 0)
					goto nomem;
				*e = t | X86_PG_V | X86_PG_RW;
			} else if (*e & X86_PG_PS) {
				if (pmap_demote(e, level) != 0)
					goto nomem;
			}
			table = pt_va(*e);
		}
		*e = p | X86_PG_V | X86_PG_RW | X86_PG_NC_PCD |
		    X86_PG_NC_PWT | X86_PG_A | X86_PG_M | pg_g | pg_nx;
		invlpg(va);
	}
	spin_unlock(&kernel_pmap->pm_lock);
	return (PHYS_TO_DMAP(pa));
nomem:
	spin_unlock(&kernel_pmap->pm_lock);
	return (NULL);
}

/*
 * Kernel stacks.  They live in their own PML4 slot (KSPML4I), one slot of
 * KSTACK_SLOT bytes each: unmapped guard pages, then the stack at the top
 * of the slot.  A stack that overflows runs into the guard; the page fault
 * cannot push its frame there either, so the CPU raises a double fault on
 * the IST1 stack, and trap_fatal names the stack (pmap_kstack_guard).  The
 * slot's PDPT is made at boot, so every pmap shares it; the page tables
 * below it are made on demand and kept.
 */
#define KSTACK_BASE	(0xffff000000000000UL | ((uint64_t)KSPML4I << 39))
#define KSTACK_SLOT	(8 * PAGE_SIZE)
#define KSTACK_NSLOTS	4096
static uint64_t kstack_used[KSTACK_NSLOTS / 64];	/* kernel pm_lock */

/* The PTE of kernel-stack address va, making tables when create. */
static uint64_t *
kstack_pte(vaddr_t va, bool create)
{
	uint64_t *table = pt_va(kernel_pmap->pm_pml4[KSPML4I]), *e;

	for (int shift = 30; shift >= 21; shift -= 9) {
		e = &table[(va >> shift) & 511];
		if (!(*e & X86_PG_V)) {
			vm_page_t m;

			if (!create ||
			    (m = vm_page_alloc(VM_ALLOC_ZERO | VM_ALLOC_NOWAIT))
			    == NULL)
				return (NULL);
			m->flags |= PG_PTP;
			m->wire_count = 1;
			*e = VM_PAGE_TO_PHYS(m) | X86_PG_V | X86_PG_RW;
		}
		table = pt_va(*e);
	}
	return (&table[pt_index(va)]);
}

void
pmap_kstack_free(vaddr_t va, int npages)
{
	uint64_t *pte;
	int slot;

	if (va == 0)
		return;
	slot = (int)((va - KSTACK_BASE) / KSTACK_SLOT);
	spin_lock(&kernel_pmap->pm_lock);
	for (int i = 0; i < npages; i++) {
		pte = kstack_pte(va + i * PAGE_SIZE, false);
		if (pte == NULL || !(*pte & X86_PG_V))
			continue;
		vm_page_free(PHYS_TO_VM_PAGE(*pte & X86_PG_FRAME));
		*pte = 0;
		invlpg(va + i * PAGE_SIZE);
	}
	kstack_used[slot / 64] &= ~(1UL << (slot % 64));
	spin_unlock(&kernel_pmap->pm_lock);
}

vaddr_t
pmap_kstack_alloc(int npages)
{
	vaddr_t va = 0;
	uint64_t *pte;
	vm_page_t m;
	int slot;

	KASSERT(npages > 0 && npages * PAGE_SIZE <= KSTACK_SLOT / 2,
	    "pmap_kstack_alloc: bad size");
	spin_lock(&kernel_pmap->pm_lock);
	for (slot = 0; slot < KSTACK_NSLOTS; slot++)
		if (!(kstack_used[slot / 64] & (1UL << (slot % 64))))
			break;
	if (slot == KSTACK_NSLOTS) {
		spin_unlock(&kernel_pmap->pm_lock);
		return (0);
	}
	kstack_used[slot / 64] |= 1UL << (slot % 64);
	va = KSTACK_BASE + (vaddr_t)slot * KSTACK_SLOT + KSTACK_SLOT -
	    (vaddr_t)npages * PAGE_SIZE;
	for (int i = 0; i < npages; i++) {
		if ((m = vm_page_alloc(VM_ALLOC_NOWAIT)) == NULL ||
		    (pte = kstack_pte(va + i * PAGE_SIZE, true)) == NULL) {
			if (m != NULL)
				vm_page_free(m);
			spin_unlock(&kernel_pmap->pm_lock);
			pmap_kstack_free(va, npages);
			return (0);
		}
		m->wire_count = 1;
		*pte = VM_PAGE_TO_PHYS(m) | X86_PG_V | X86_PG_RW | X86_PG_A |
		    X86_PG_M | pg_nx;
	}
	spin_unlock(&kernel_pmap->pm_lock);
	return (va);
}

/* Is va in the guard below some kernel stack?  Its slot in *slotp. */
bool
pmap_kstack_guard(vaddr_t va, int *slotp)
{
	if (va < KSTACK_BASE || va >= KSTACK_BASE +
	    (vaddr_t)KSTACK_NSLOTS * KSTACK_SLOT)
		return (false);
	if (slotp != NULL)
		*slotp = (int)((va - KSTACK_BASE) / KSTACK_SLOT);
	/* Stacks are at most half a slot: the lower half is all guard. */
	return ((va - KSTACK_BASE) % KSTACK_SLOT < KSTACK_SLOT / 2 ||
	    kstack_pte(va, false) == NULL || !(*kstack_pte(va, false) &
	    X86_PG_V));
}
