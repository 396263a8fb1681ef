/*
 * kern_oom.c: what happens when user memory runs out.
 *
 * vm_page_alloc refuses pages for user memory while the free count is
 * under vm_page_reserve (mm/vm_page.c), so the kernel's own allocations
 * keep working after user space has eaten everything else.  A user page
 * fault that cannot get a page then calls oom_kill: like Linux's OOM
 * killer it picks the user process with the most resident pages (never
 * init, never a kernel thread) and sends it SIGKILL.  If the victim is
 * another process, the faulting one waits a tick and retries its fault
 * (the victim's pages come back when it exits); if it is itself, it dies.
 * A victim still there a second after its SIGKILL is stuck: then the
 * faulting process dies instead of waiting for ever (not init).
 * System calls that need memory (mmap with MAP_POPULATE, mlock, fork)
 * answer ENOMEM or EAGAIN instead and kill nobody.
 */
#include <clock.h>
#include <file.h>
#include <kmem.h>
#include <kernel.h>
#include <proc.h>
#include <uapi/signal.h>
#include <vm_map.h>
#include <vm_phys.h>

static int oom_lastpid;		/* proc_lock: last victim, printed once */
static uint64_t oom_since;	/* proc_lock: when it was chosen (ns) */

/* A victim that has not gone after this long is stuck (asleep for ever). */
#define OOM_PATIENCE	(1000ULL * 1000 * 1000)

/*
 * The processes when a victim does not go (once per boot): where the
 * memory is, and what the victim sleeps on.  proc_lock held.
 */
static void
oom_report(void)
{
	static const char st[] = "IQRSTZ";	/* enum td_state */
	static bool done;
	struct proc *p;

	if (done)
		return;
	done = true;
	LIST_FOREACH(p, &allproc, p_list) {
		struct thread *td = p->p_thread;

		printk("oom: pid %d ppid %d %c %s flags %#x resident %lu "
		    "%.16s\n", p->p_pid, p->p_pptr != NULL ?
		    p->p_pptr->p_pid : 0, td != NULL ? st[td->td_state] : '-',
		    td != NULL && td->td_wmesg != NULL ? td->td_wmesg : "-",
		    p->p_flag, p->p_vmspace != NULL ? (unsigned long)
		    pmap_resident_count(&p->p_vmspace->vm_pmap) : 0UL,
		    p->p_comm);
	}
}

/* true: another process was killed (retry the fault); false: die. */
bool
oom_kill(struct proc *self)
{
	struct proc *p, *victim = NULL;
	uint64_t most = 0, n;
	bool print;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid <= 1 || (p->p_flag & (P_KPROC | P_WEXIT)) ||
		    p->p_state != PRS_NORMAL || p->p_vmspace == NULL)
			continue;
		n = pmap_resident_count(&p->p_vmspace->vm_pmap);
		if (victim == NULL || n > most) {
			victim = p;
			most = n;
		}
	}
	if (victim == NULL)
		victim = self;
	print = victim->p_pid != oom_lastpid;
	if (print) {
		oom_lastpid = victim->p_pid;
		oom_since = nanotime();
	} else if (victim != self && self != initproc &&
	    nanotime() - oom_since > OOM_PATIENCE) {
		/*
		 * The victim was killed a second ago and still holds its
		 * memory (stuck in a sleep that never ends): rather than
		 * wait for ever, the faulting process gives up and dies.
		 */
		oom_report();
		spin_unlock(&proc_lock);
		printk(KERN_WARNING "oom: pid %d still alive after SIGKILL: "
		    "killing pid %d (%.16s) instead\n", victim->p_pid,
		    self->p_pid, self->p_comm);
		return (false);
	}
	spin_unlock(&proc_lock);
	if (print)
		printk(KERN_WARNING "oom: out of memory: killed pid %d (%.16s), "
		    "%lu pages resident; free %lu pages, heap %lu pages, %lu "
		    "pipes\n", victim->p_pid, victim->p_comm,
		    (unsigned long)most, (unsigned long)vm_phys_free_count(),
		    (unsigned long)kmem_pages(), (unsigned long)npipes);
	if (victim == self)
		return (false);
	psignal(victim, SIGKILL);
	return (true);
}
