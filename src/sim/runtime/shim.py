#!/usr/bin/env python3
"""The simulated runtime's shim (src/sim/runtime; conmon's job): runs ARGV and relays its output.

  shim.py --tty [--rows R --cols C] [--input FIFO] [--log FILE] [--resize FIFO | --resize-fd N] -- ARGV...
  shim.py --log FILE -- ARGV...

With --tty, ARGV runs on a new pseudo-terminal (TTY exec and TTY containers). Input comes from stdin, or
from FIFO opened read-write (so it never reads EOF: a later `kubectl attach` writes to it). Each line
"ROWS COLS" on the resize channel resizes the terminal (TIOCSWINSZ; the kernel sends SIGWINCH).
Without --tty, ARGV keeps this process's stdin and writes stdout and stderr to two pipes.

Output goes to stdout as it comes, or with --log is appended to FILE in the CRI log format the kubelet
reads (kuberuntime/logs): one line per output line, `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`,
F for a full line, P for a part without its newline yet (a prompt). A terminal's output is all stdout.

SIGTERM, SIGINT, SIGHUP and SIGQUIT sent to the shim go on to ARGV. Exits with ARGV's status, 128 + N
when a signal N ended it. The ARGV values are passed to exec unchanged, never to a shell.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

EOF_CHAR = b"\x04"
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def cri_time():
    ns = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000)) + ".%09dZ" % (
        ns % 1_000_000_000
    )


class Sink:
    """Raw bytes to a descriptor, or CRI log lines to a file (one write per chunk, O_APPEND)."""

    def __init__(self, log):
        self.cri = log is not None
        self.fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if log else 1

    def write(self, stream, data):
        if not self.cri:
            os.write(self.fd, data)
            return
        prefix = ("%s %s " % (cri_time(), stream)).encode()
        parts = data.split(b"\n")
        out = [prefix + b"F " + line + b"\n" for line in parts[:-1]]
        if parts[-1]:
            out.append(prefix + b"P " + parts[-1] + b"\n")
        os.write(self.fd, b"".join(out))


def forward_signals(pid):
    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)


def exit_with(status):
    code = os.waitstatus_to_exitcode(status)
    sys.exit(128 - code if code < 0 else code)


def run_pipes(args, sink):
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (out_r, out_w, err_r, err_w):
                os.close(fd)
            os.execvp(args.argv[0], args.argv)
        finally:
            os._exit(127)
    os.close(out_w)
    os.close(err_w)
    forward_signals(pid)
    streams = {out_r: "stdout", err_r: "stderr"}
    while streams:
        try:
            ready, _, _ = select.select(list(streams), [], [])
        except InterruptedError:
            continue
        for fd in ready:
            data = os.read(fd, 65536)
            if data:
                sink.write(streams[fd], data)
            else:
                del streams[fd]  # every writer closed it: the container's processes are gone
    _, status = os.waitpid(pid, 0)
    exit_with(status)


def run_tty(args, sink):
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(args.argv[0], args.argv)
        finally:
            os._exit(127)
    set_size(master, args.rows, args.cols)
    forward_signals(pid)

    source = os.open(args.input, os.O_RDWR) if args.input else 0
    resize = None
    if args.resize:
        resize = os.open(args.resize, os.O_RDWR)
    elif args.resize_fd is not None:
        resize = args.resize_fd
    pending = b""
    readers = [master, source] + ([resize] if resize is not None else [])
    status = None
    while True:
        try:
            ready, _, _ = select.select(readers, [], [], 0.2 if status is not None else None)
        except InterruptedError:
            continue
        if not ready and status is not None:
            break  # the command ended and its terminal has been quiet: a leftover holds the slave open
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""  # EIO: every slave descriptor is closed
            if not data:
                break
            sink.write("stdout", data)
        if source in ready:
            data = os.read(source, 65536)
            if data:
                os.write(master, data)
            else:
                os.write(master, EOF_CHAR)  # the client closed stdin: the terminal's Ctrl-D
                readers.remove(source)
        if resize is not None and resize in ready:
            data = os.read(resize, 4096)
            if not data:
                readers.remove(resize)
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                parts = line.split()
                if len(parts) == 2:
                    set_size(master, int(parts[0]), int(parts[1]))
        if status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
    if status is None:
        _, status = os.waitpid(pid, 0)
    exit_with(status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tty", action="store_true")
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--input")
    parser.add_argument("--log")
    parser.add_argument("--resize")
    parser.add_argument("--resize-fd", type=int)
    parser.add_argument("argv", nargs="+")
    args = parser.parse_args()
    sink = Sink(args.log)
    if args.tty:
        run_tty(args, sink)
    elif args.log:
        run_pipes(args, sink)
    else:
        parser.error("without --tty, --log is required")


if __name__ == "__main__":
    main()
