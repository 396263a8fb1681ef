/*
 * weak.c: stand-ins for what other layers provide, so the CPU layer links
 * and runs on its own.
 *
 * Each definition is weak: the real one (the process layer's curthread,
 * trapsignal, userret, sched_clock; the VM's vm_curmap and vm_fault; the
 * pmap's pmap_mapdev) replaces it at link time with no other change.
 * Until then the kernel has no threads and no user address space: every
 * user fault is unresolvable and a user-mode signal is a panic.
 */
#include <cpu.h>
#include <kernel.h>
#include <pmap.h>
#include <proc.h>
#include <trap.h>
#include <vm_map.h>
#include <vm_param.h>

__attribute__((weak)) struct thread *curthread;

__attribute__((weak)) vm_map_t
vm_curmap(void)
{
	return (NULL);
}

__attribute__((weak)) int
vm_fault(vm_map_t map, vaddr_t va, vm_prot_t fault_type)
{
	return (KERN_INVALID_ADDRESS);
}

__attribute__((weak)) void
trapsignal(struct thread *td, int sig, int code, uint64_t addr)
{
	panic("trapsignal(sig %d, code %d, addr %#lx): no process layer",
	    sig, code, addr);
}

__attribute__((weak)) void
userret(struct trapframe *tf)
{
}

__attribute__((weak)) void
sched_clock(struct trapframe *tf)
{
}

/* The boot page tables map the first 4 GiB into the direct map. */
__attribute__((weak)) void *
pmap_mapdev(paddr_t pa, size_t len)
{
	KASSERT(pa + len <= (4UL << 30), "pmap_mapdev: above 4 GiB");
	return (PHYS_TO_DMAP(pa));
}
