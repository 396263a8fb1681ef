/*
 * virtio_console.h: named byte-stream ports of a virtio-serial device.
 *
 * With VIRTIO_CONSOLE_F_MULTIPORT the device announces ports over a
 * control queue (PORT_ADD, PORT_NAME, PORT_OPEN) and each port is a pair
 * of virtqueues carrying a byte stream.  A kernel user finds a port by the
 * name given on the QEMU command line (`virtserialport,name=org.9p.0`),
 * opens it (the guest's PORT_OPEN, after which the host's data flows) and
 * reads and writes bytes.  PORT_OPEN 0 from the host is a hang-up: reads
 * return 0 once the buffered bytes are gone, writes fail with -EPIPE.
 */
#ifndef _VIRTIO_CONSOLE_H_
#define _VIRTIO_CONSOLE_H_

#include <types.h>

struct vcons_port;

/* The port named `name` once the device has announced it, or NULL. */
struct vcons_port *vcons_port_lookup(const char *name);
/*
 * Wait up to timo_ns for the port to be announced (polls the device); NULL
 * at the timeout, or as soon as every announced port is named and none
 * has this name.
 */
struct vcons_port *vcons_port_wait(const char *name, uint64_t timo_ns);
/* Tell the host the guest end is open (PORT_OPEN 1) / closed (0). */
int vcons_port_open(struct vcons_port *p);
int vcons_port_open_excl(struct vcons_port *p);	/* -EBUSY if open */
void vcons_port_close(struct vcons_port *p);
/* The host end is connected (its last PORT_OPEN said 1). */
bool vcons_port_connected(struct vcons_port *p);
/* Wait up to timo_ns for the host end; 0 or -ETIMEDOUT. */
int vcons_port_wait_connected(struct vcons_port *p, uint64_t timo_ns);

/*
 * Write all len bytes (waits for the device to take them).  len, or
 * -ENOTCONN (host end not connected), -EPIPE (hung up while writing),
 * -EINVAL, -ENOMEM.
 */
ssize_t vcons_port_write(struct vcons_port *p, const void *buf, size_t len);
/*
 * Read what is there, up to len bytes.  blocking: wait for at least one
 * byte.  >0 bytes, 0 at hang-up with nothing buffered, -EAGAIN (not
 * blocking and nothing there).
 */
ssize_t vcons_port_read(struct vcons_port *p, void *buf, size_t len,
    bool blocking);
/* The same with a time limit (0 = none): -ETIMEDOUT when it passes. */
ssize_t vcons_port_read_timo(struct vcons_port *p, void *buf, size_t len,
    uint64_t timo_ns);
const char *vcons_port_name(const struct vcons_port *p);
/* Receive buffers that found the byte ring full and waited (parked). */
uint64_t vcons_port_nparked(struct vcons_port *p);
/* The device announced the port (PORT_ADD) and it has buffers. */
bool vcons_port_present(struct vcons_port *p);

/* /dev/vportNpM (drivers/virtio_console_dev.c). */
struct cdev;
struct cdevsw;
struct cdev *vcons_make_dev(struct vcons_port *p, int unit, int id);
const struct cdevsw *vcons_cdevsw(void);
/* The node of a port, or NULL. */
struct cdev *vcons_port_cdev(struct vcons_port *p);

#endif /* !_VIRTIO_CONSOLE_H_ */
