#!/usr/bin/env python3
"""tools/p9fault.py: a 9P2000.L server that misbehaves on request.

  tools/p9fault.py SOCKET [--log FILE]

Listens on the unix socket SOCKET (QEMU's virtserialport chardev connects
to it, with reconnect=1 so a dropped connection comes back) and serves,
one connection after another, a tiny tree: the root directory and one file
`file` holding FILE_DATA.  The Tattach aname picks the behaviour for the
rest of that connection: its last path component is the mode.

  ok          behave (the baseline, and "later mounts work")
  lerror      attach and the root's getattr succeed; every later request
              is answered Rlerror(ENOSPC), clunks included
  attacherr   Tattach itself is answered Rlerror(EACCES)
  The rest misbehave on the first Tread (walk, getattr, lopen of `file`
  work, so the guest gets as far as read(2)), then drop the connection
  unless noted:
  smallsize   a reply whose size field is 3
  bigsize     a reply whose size field is 0x7fffffff
  truncated   a header promising 200 bytes, 20 sent, then silence (kept)
  badtag      Rread with a tag nobody used, never the right one (kept)
  badtype     an Rwrite where the Rread belongs (kept)
  hugeread    an Rread with count larger than asked (kept)
  delay       no answer for 8 s, then the right one (kept)
  disconnect  close the connection without answering
  stall       files file0, file1... too; on the first Twrite: read
              nothing more for 3 s (QEMU's chardev fills up and holds
              back a transmit chain), then close the connection (QEMU
              drops that chain for good)
  (Twrite is otherwise answered EOPNOTSUPP.)

This is a test tool: one connection at a time, no real files, no auth.

Proxy mode (the fuzzer's 9P faults, tools/fuzz):

  tools/p9fault.py SOCKET --proxy DIOD_SOCK|HOST:PORT --seed N --rate P
                   [--delay S] [--log FILE]

sits between QEMU's chardev (which connects to SOCKET, reconnect=1) and a
real diod.  T-messages go to diod unchanged, R-messages come back; a
seeded random fraction P (0..1) of the replies gets one fault instead:

  lerror      Rlerror with a random errno (also 0, 512, 513, 4095, huge)
  dup         the reply sent twice
  drop        the reply never sent
  badtag      the reply under another tag (one in flight, or unused)
  badtype     the reply under another R type, or as Rlerror
  hugeread    an Rread whose count is larger than asked (data appended),
              or larger than the bytes that follow
  delay       the reply held back 0.5..S s (default 6; other replies
              pass it), sent only if the session is still the same
  smallsize   a size field below 7, or a few bytes short (the stream
              desynchronises); then silence until the next Tversion
  bigsize     a size field of 0x7fffffff or msize + 1; then silence
  truncated   part of the reply, then silence until the next Tversion
  disconnect  both connections closed (QEMU reconnects after 1 s)

A session is a Tversion and what follows it: each Tversion gets a fresh
diod connection (the old one, and anything still queued or delayed for
it, is dropped), so a guest that remounts after a fault starts clean.
The server keeps going forever: faults come in a loop, one per reply at
most, each logged as `p9fault: fault N KIND: ...` (tools/fuzz counts them).
"""
import os
import random
import selectors
import socket
import struct
import sys
import time

FILE_DATA = b"fault-server file contents\n"
QID_ROOT = (0x80, 0, 1)
QID_FILE = (0x00, 0, 2)
ENOENT, EACCES, ENOSPC, EOPNOTSUPP = 2, 13, 28, 95
LOG = sys.stderr


def log(msg):
    LOG.write("p9fault: %s\n" % msg)
    LOG.flush()


def qid(q):
    return struct.pack("<BIQ", *q)


def msg(typ, tag, body=b""):
    return struct.pack("<IBH", 7 + len(body), typ, tag) + body


def lerror(tag, errno):
    return msg(7, tag, struct.pack("<I", errno))


def s9(b):
    return struct.pack("<H", len(b)) + b


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.mode = "ok"
        self.fids = {}          # fid -> qid
        self.root_getattr_done = False
        self.fired = False

    def recv_msg(self):
        while True:
            if len(self.buf) >= 4:
                size = struct.unpack("<I", self.buf[:4])[0]
                if size < 7:
                    return None
                if len(self.buf) >= size:
                    m, self.buf = self.buf[:size], self.buf[size:]
                    return m
            d = self.sock.recv(65536)
            if not d:
                return None
            self.buf += d

    def send(self, data):
        self.sock.sendall(data)

    def getattr_body(self, q):
        isdir = q[0] & 0x80
        mode = 0o40755 if isdir else 0o100644
        size = 0 if isdir else len(FILE_DATA)
        now = int(time.time())
        return (struct.pack("<Q", 0x7ff) + qid(q) +
                struct.pack("<IIIQQQQQ", mode, 0, 0, 1, 0, size, 4096,
                            (size + 511) // 512) +
                struct.pack("<QQQQQQQQ", now, 0, now, 0, now, 0, 0, 0) +
                struct.pack("<QQ", 0, 0))

    def misbehave(self, tag, count):
        """The first Tread under a bad mode: True to keep the connection."""
        m = self.mode
        log("misbehaving: %s" % m)
        if m == "smallsize":
            self.send(struct.pack("<IBH", 3, 117, tag))
        elif m == "bigsize":
            self.send(struct.pack("<IBH", 0x7fffffff, 117, tag) + b"x" * 64)
        elif m == "truncated":
            self.send(struct.pack("<IBH", 200, 117, tag) + b"y" * 13)
            return True
        elif m == "badtag":
            self.send(msg(117, (tag + 17) % 60 + 1 if tag != 0xffff else 3,
                          struct.pack("<I", 1) + b"z"))
            return True
        elif m == "badtype":
            self.send(msg(119, tag, struct.pack("<I", count)))
            return True
        elif m == "hugeread":
            data = FILE_DATA * 4
            self.send(msg(117, tag, struct.pack("<I", count + 1000) + data))
            return True
        elif m == "delay":
            time.sleep(8)
            data = FILE_DATA
            self.send(msg(117, tag, struct.pack("<I", len(data)) + data))
            return True
        elif m == "disconnect":
            pass
        return False

    def handle(self, m):
        size, typ, tag = struct.unpack("<IBH", m[:7])
        b = m[7:]
        if typ == 100:                              # Tversion
            msize = struct.unpack("<I", b[:4])[0]
            # A new session (a new mount): forget the last one.
            self.fids.clear()
            self.mode = "ok"
            self.root_getattr_done = False
            self.fired = False
            self.send(msg(101, tag, struct.pack("<I", min(msize, 65536)) +
                          s9(b"9P2000.L")))
            return True
        if typ == 108:                              # Tflush
            self.send(msg(109, tag))
            return True
        if self.mode == "lerror" and self.root_getattr_done:
            self.send(lerror(tag, ENOSPC))
            return True
        if typ == 104:                              # Tattach
            fid, afid = struct.unpack("<II", b[:8])
            n = struct.unpack("<H", b[8:10])[0]
            p = 10 + n
            an = struct.unpack("<H", b[p:p + 2])[0]
            aname = b[p + 2:p + 2 + an].decode(errors="replace")
            self.mode = aname.rstrip("/").split("/")[-1] or "ok"
            log("attach %r: mode %s" % (aname, self.mode))
            if self.mode == "attacherr":
                self.send(lerror(tag, EACCES))
                return True
            self.fids[fid] = QID_ROOT
            self.send(msg(105, tag, qid(QID_ROOT)))
            return True
        if typ == 110:                              # Twalk
            fid, newfid, nw = struct.unpack("<IIH", b[:10])
            q = self.fids.get(fid)
            if q is None:
                self.send(lerror(tag, ENOENT))
                return True
            p, qids = 10, []
            for _ in range(nw):
                n = struct.unpack("<H", b[p:p + 2])[0]
                name = b[p + 2:p + 2 + n]
                p += 2 + n
                if q == QID_ROOT and name == b"file":
                    q = QID_FILE
                elif q == QID_ROOT and self.mode == "stall" and \
                        name[:4] == b"file" and name[4:].isdigit():
                    q = (0x00, 0, 100 + int(name[4:]))  # file0, file1...
                elif name == b"..":
                    q = QID_ROOT
                else:
                    break
                qids.append(q)
            if len(qids) < nw:
                self.send(lerror(tag, ENOENT) if not qids else
                          msg(111, tag, struct.pack("<H", len(qids)) +
                              b"".join(qid(x) for x in qids)))
                return True
            self.fids[newfid] = q
            self.send(msg(111, tag, struct.pack("<H", nw) +
                          b"".join(qid(x) for x in qids)))
            return True
        fid = struct.unpack("<I", b[:4])[0] if len(b) >= 4 else None
        q = self.fids.get(fid)
        if q is None:
            self.send(lerror(tag, ENOENT))
            return True
        if typ == 24:                               # Tgetattr
            if q == QID_ROOT:
                self.root_getattr_done = True
            self.send(msg(25, tag, self.getattr_body(q)))
        elif typ == 12:                             # Tlopen
            self.send(msg(13, tag, qid(q) + struct.pack("<I", 0)))
        elif typ == 116:                            # Tread
            off, count = struct.unpack("<QI", b[4:16])
            if self.mode not in ("ok", "lerror") and not self.fired:
                self.fired = True
                return self.misbehave(tag, count)
            data = FILE_DATA[off:off + count] if q == QID_FILE else b""
            self.send(msg(117, tag, struct.pack("<I", len(data)) + data))
        elif typ == 40:                             # Treaddir
            off = struct.unpack("<Q", b[4:12])[0]
            ents = b""
            if off == 0:
                ents = qid(QID_FILE) + struct.pack("<QB", 1, 8) + s9(b"file")
            self.send(msg(41, tag, struct.pack("<I", len(ents)) + ents))
        elif typ == 118 and self.mode == "stall":   # Twrite
            log("misbehaving: stall")
            time.sleep(3)
            return False
        elif typ == 120:                            # Tclunk
            self.fids.pop(fid, None)
            self.send(msg(121, tag))
        elif typ == 8:                              # Tstatfs
            self.send(msg(9, tag, struct.pack("<IIQQQQQQI", 0x01021997,
                                              4096, 100, 50, 50, 10, 5, 1,
                                              255)))
        else:
            self.send(lerror(tag, EOPNOTSUPP))
        return True


def serve(path):
    try:
        os.unlink(path)
    except OSError:
        pass
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(path)
    ls.listen(1)
    while True:
        s, _ = ls.accept()
        log("connection")
        c = Conn(s)
        try:
            while True:
                m = c.recv_msg()
                if m is None or not c.handle(m):
                    break
        except (OSError, struct.error) as e:
            log("connection error: %s" % e)
        log("closing the connection (mode %s)" % c.mode)
        s.close()


# ---- proxy mode -----------------------------------------------------------

KINDS = ("lerror", "dup", "drop", "badtag", "badtype", "hugeread", "delay",
         "smallsize", "bigsize", "truncated", "disconnect")
WEIGHTS = (18, 10, 6, 10, 10, 10, 10, 6, 6, 6, 8)
RTYPES = (7, 9, 13, 15, 17, 19, 21, 23, 25, 27, 41, 51, 53, 55, 71, 73, 75,
          77, 101, 103, 105, 109, 111, 117, 119, 121, 123)
ODD_ERRNOS = (0, 512, 513, 4095, 4096, 0xffffffff, 0x80000000, 1, 5, 11,
              12, 28, 95, 110, 104)


def frames(buf):
    """Whole 9P messages at the front of buf: (messages, rest, broken)."""
    out = []
    while len(buf) >= 4:
        size = struct.unpack("<I", buf[:4])[0]
        if size < 7 or size > (1 << 20):
            return out, buf, True
        if len(buf) < size:
            break
        out.append(buf[:size])
        buf = buf[size:]
    return out, buf, False


class Proxy:
    def __init__(self, path, target, seed, rate, delay):
        self.path = path
        self.target = target
        self.seed = seed
        self.rng = random.Random(seed)
        self.rate = rate
        self.delay = delay
        self.sel = selectors.DefaultSelector()
        self.g = self.d = None          # guest (QEMU) and diod sockets
        self.gbuf = self.dbuf = b""
        self.session = 0
        self.silent = False             # drop replies until the next Tversion
        self.inflight = {}              # tag -> (T type, Tread count)
        self.delayed = []               # [due, session, reply]
        self.msize = 65536
        self.nfaults = 0
        self.nreplies = 0
        self.counts = {}

    def dial(self):
        if "/" in self.target or ":" not in self.target:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.target)
        else:
            host, port = self.target.rsplit(":", 1)
            s = socket.create_connection((host, int(port)))
        return s

    def close_d(self):
        if self.d is not None:
            self.sel.unregister(self.d)
            self.d.close()
            self.d = None
        self.dbuf = b""
        self.inflight.clear()

    def close_g(self, why):
        if self.g is not None:
            log("guest connection closed (%s)" % why)
            self.sel.unregister(self.g)
            self.g.close()
            self.g = None
        self.gbuf = b""
        self.close_d()

    def to_guest(self, data):
        if self.g is None:
            return
        try:
            self.g.sendall(data)
        except OSError as e:
            self.close_g("send: %s" % e)

    def fault(self, kind, r, what):
        self.nfaults += 1
        self.counts[kind] = self.counts.get(kind, 0) + 1
        typ, tag = struct.unpack("<BH", r[4:7])
        log("fault %d %s: R%d tag %d, %d bytes, session %d: %s" %
            (self.nfaults, kind, typ, tag, len(r), self.session, what))

    def inject(self, r, info):
        """Send reply r to the guest with one fault in it."""
        rng = self.rng
        typ, tag = struct.unpack("<BH", r[4:7])
        kind = rng.choices(KINDS, WEIGHTS)[0]
        if kind == "hugeread" and typ != 117:
            kind = "lerror"
        if kind == "lerror":
            e = rng.choice(ODD_ERRNOS) if rng.random() < 0.3 else \
                rng.randint(1, 133)
            self.fault(kind, r, "errno %d" % e)
            self.to_guest(lerror(tag, e))
        elif kind == "dup":
            self.fault(kind, r, "sent twice")
            self.to_guest(r + r)
        elif kind == "drop":
            self.fault(kind, r, "never sent")
        elif kind == "badtag":
            others = [t for t in self.inflight if t != tag]
            if others and rng.random() < 0.5:
                nt = rng.choice(others)
            else:
                nt = rng.randint(0, 0xfffe)
                while nt == tag or nt in self.inflight:
                    nt = rng.randint(0, 0xfffe)
            self.fault(kind, r, "tag %d instead" % nt)
            self.to_guest(r[:5] + struct.pack("<H", nt) + r[7:])
        elif kind == "badtype":
            nt = rng.choice([t for t in RTYPES if t != typ])
            self.fault(kind, r, "type %d instead" % nt)
            self.to_guest(r[:4] + bytes([nt]) + r[5:])
        elif kind == "hugeread":
            asked = info[1] if info else 0
            have = struct.unpack("<I", r[7:11])[0]
            if rng.random() < 0.5:
                n = asked + rng.randint(1, 4096)
                body = struct.pack("<I", n) + r[11:] + b"H" * (n - have)
                self.fault(kind, r, "count %d (asked %d), all there" %
                           (n, asked))
                self.to_guest(msg(117, tag, body))
            else:
                n = rng.choice((have + 1, asked + 1000, 0xffffffff))
                self.fault(kind, r, "count %d (asked %d), %d bytes" %
                           (n, asked, have))
                self.to_guest(r[:7] + struct.pack("<I", n) + r[11:])
        elif kind == "delay":
            t = rng.uniform(0.5, self.delay)
            self.fault(kind, r, "%.1f s" % t)
            self.delayed.append([time.monotonic() + t, self.session, r])
        elif kind == "smallsize":
            if rng.random() < 0.5 or len(r) < 9:
                n = rng.randint(0, 6)
                self.fault(kind, r, "size %d" % n)
                self.to_guest(struct.pack("<I", n) + r[4:])
            else:
                n = len(r) - rng.randint(1, min(5, len(r) - 7))
                self.fault(kind, r, "size %d of %d" % (n, len(r)))
                self.to_guest(struct.pack("<I", n) + r[4:])
            self.silent = True
        elif kind == "bigsize":
            n = rng.choice((0x7fffffff, self.msize + 1, 0xffffffff))
            self.fault(kind, r, "size %#x" % n)
            self.to_guest(struct.pack("<I", n) + r[4:])
            self.silent = True
        elif kind == "truncated":
            n = rng.randint(1, len(r) - 1)
            self.fault(kind, r, "%d of %d bytes, then silence" % (n, len(r)))
            self.to_guest(r[:n])
            self.silent = True
        elif kind == "disconnect":
            self.fault(kind, r, "both connections closed")
            self.close_g("fault")

    def from_diod(self, data):
        if not data:
            log("diod closed the connection (session %d)" % self.session)
            self.close_g("diod hung up")
            return
        self.dbuf += data
        ms, self.dbuf, broken = frames(self.dbuf)
        for r in ms:
            if self.d is None:
                break
            typ, tag = struct.unpack("<BH", r[4:7])
            info = self.inflight.pop(tag, None)
            self.nreplies += 1
            if typ == 101 and len(r) >= 11:
                self.msize = struct.unpack("<I", r[7:11])[0]
            if self.silent:
                continue
            # Rversion passes: without it no mount comes up to fuzz.
            if typ != 101 and self.rng.random() < self.rate:
                self.inject(r, info)
            else:
                self.to_guest(r)
        if broken:
            log("diod sent a broken frame")
            self.close_g("diod framing")

    def from_guest(self, data):
        if not data:
            self.close_g("QEMU hung up")
            return
        self.gbuf += data
        ms, self.gbuf, broken = frames(self.gbuf)
        for m in ms:
            typ, tag = struct.unpack("<BH", m[4:7])
            if typ == 100:
                # A new session: a fresh diod connection, nothing stale.
                self.close_d()
                self.session += 1
                self.silent = False
                try:
                    self.d = self.dial()
                except OSError as e:
                    log("cannot reach diod at %s: %s" % (self.target, e))
                    self.close_g("no diod")
                    return
                self.sel.register(self.d, selectors.EVENT_READ, "d")
                log("session %d" % self.session)
            if self.d is None:
                continue                # no session: nobody to ask
            count = struct.unpack("<I", m[19:23])[0] \
                if typ == 116 and len(m) >= 23 else 0
            self.inflight[tag] = (typ, count)
            try:
                self.d.sendall(m)
            except OSError as e:
                log("send to diod: %s" % e)
                self.close_g("diod send")
                return
        if broken:
            self.close_g("guest framing")

    def serve(self):
        try:
            os.unlink(self.path)
        except OSError:
            pass
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ls.bind(self.path)
        ls.listen(4)
        self.sel.register(ls, selectors.EVENT_READ, "l")
        log("proxy to %s, seed %d, rate %g, delays up to %g s" %
            (self.target, self.seed, self.rate, self.delay))
        while True:
            now = time.monotonic()
            due = [x for x in self.delayed if x[0] <= now]
            for x in due:
                self.delayed.remove(x)
                if x[1] == self.session and not self.silent and \
                        self.g is not None:
                    self.to_guest(x[2])
                else:
                    log("delayed reply of session %d dropped" % x[1])
            timo = min([x[0] for x in self.delayed], default=now + 1) - now
            for key, _ in self.sel.select(max(0.01, min(timo, 1.0))):
                s = key.fileobj
                if key.data == "l":
                    c, _ = ls.accept()
                    if self.g is not None:
                        self.close_g("new connection")
                    self.g = c
                    self.sel.register(c, selectors.EVENT_READ, "g")
                    log("guest connection")
                    continue
                if s is not self.g and s is not self.d:
                    continue            # closed earlier in this round
                try:
                    data = s.recv(65536)
                except OSError as e:
                    log("recv: %s" % e)
                    data = b""
                if key.data == "g":
                    self.from_guest(data)
                else:
                    self.from_diod(data)


def main():
    global LOG
    args = sys.argv[1:]
    opts = {"--log": None, "--proxy": None, "--seed": "1", "--rate": "0.02",
            "--delay": "6"}
    for k in list(opts):
        if k in args:
            i = args.index(k)
            if i + 1 >= len(args):
                sys.stderr.write("p9fault: %s needs a value\n" % k)
                sys.exit(2)
            opts[k] = args[i + 1]
            del args[i:i + 2]
    if opts["--log"] is not None:
        LOG = open(opts["--log"], "a")
    if len(args) != 1:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        sys.exit(2)
    if opts["--proxy"] is not None:
        Proxy(args[0], opts["--proxy"], int(opts["--seed"], 0),
              float(opts["--rate"]), float(opts["--delay"])).serve()
    else:
        serve(args[0])


if __name__ == "__main__":
    main()
