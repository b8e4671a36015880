# SPDX-License-Identifier: GPL-2.0
"""qemu - a running guest: the QEMU process, its QMP monitor, its serial log.

Guest runs one QEMU (under TCG; it dies with its parent) and follows its
console; qmp_command() and hmp() talk to its monitor.
"""

import ctypes
import json
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time

from machines import qemu_cmdline


def qmp_command(sock_path, execute, arguments=None, timeout=10):
    """Run one QMP command on a fresh connection; returns its 'return'."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock_path)
    f = s.makefile("rwb")
    try:
        json.loads(f.readline())    # greeting

        def call(cmd, args=None):
            msg = {"execute": cmd}
            if args:
                msg["arguments"] = args
            f.write(json.dumps(msg).encode() + b"\n")
            f.flush()
            while True:
                reply = json.loads(f.readline())
                if "return" in reply:
                    return reply["return"]
                if "error" in reply:
                    raise RuntimeError(reply["error"].get("desc", str(reply)))

        call("qmp_capabilities")
        return call(execute, arguments)
    finally:
        f.close()
        s.close()


def hmp(sock_path, command):
    return qmp_command(sock_path, "human-monitor-command",
                       {"command-line": command})


class Guest:
    """One QEMU run: its serial console read line by line (the "uiox-guest:"
    lines frame CMD, its exit status and the final dmesg), the kernel log
    streamed beside the serial log (log_path with .kmsg), and the monitor
    commands asked for (--unplug-after, "uiox-host: hmp ...") run in order."""

    def __init__(self, args, image, initramfs, log_path, qmp_path, dtb=None):
        self.args = args
        self.log_path = log_path
        self.kmsg_path = os.path.splitext(log_path)[0] + ".kmsg"
        self.qmp_path = qmp_path
        self.proc = None
        self.status = None
        self.cmd_started = None
        self.dmesg = []
        self.lines = []
        self.in_cmd = False
        self.in_dmesg = False
        self.actions = queue.Queue()
        self.cmdline = qemu_cmdline(args, image, initramfs, self.kmsg_path,
                                    qmp_path, dtb)

    def host_action(self, what):
        try:
            out = hmp(self.qmp_path, what).strip()
        except (OSError, RuntimeError, ValueError) as e:
            out = "Error: %s" % e
        # HMP reports a failed command as text, not as a QMP error
        if out.startswith("Error"):
            self.note("host: %s: FAILED: %s" % (what, out))
            return
        self.note("host: %s: ok%s" % (what, (": " + out) if out else ""))
        m = re.match(r"device_del (\S+)$", what)
        if m:
            self.wait_deleted(m.group(1))

    def wait_deleted(self, dev_id, secs=30):
        """device_del only asks the guest: wait until QEMU removed it."""
        deadline = time.monotonic() + secs
        while self.proc.poll() is None and time.monotonic() < deadline:
            try:
                ids = [c["name"] for c in
                       qmp_command(self.qmp_path, "qom-list",
                                   {"path": "/machine/peripheral"})]
            except (OSError, RuntimeError, ValueError):
                ids = [dev_id]
            if dev_id not in ids:
                self.note("host: %s removed by QEMU" % dev_id)
                return
            time.sleep(0.2)
        self.note("host: %s still present %ds after device_del" % (dev_id, secs))

    def host_actions(self):
        while True:
            self.host_action(self.actions.get())

    def note(self, msg):
        line = "vmrun: " + msg
        print(line, flush=True)
        with open(self.log_path, "a") as log:
            log.write(line + "\n")

    def unplug_later(self, secs, dev_id):
        time.sleep(secs)
        if self.proc and self.proc.poll() is None:
            self.actions.put("device_del " + dev_id)

    def on_line(self, line):
        if line.startswith("uiox-guest: start"):
            self.in_cmd = True
            self.cmd_started = time.monotonic()
            for secs, dev_id in self.args.unplug_after:
                threading.Thread(target=self.unplug_later,
                                 args=(float(secs), dev_id),
                                 daemon=True).start()
            if self.args.verbose:
                print(line, flush=True)
            return
        m = re.match(r"uiox-guest: exit (\d+)$", line)
        if m:
            self.in_cmd = False
            self.status = int(m.group(1))
        elif line == "uiox-guest: dmesg begin":
            self.in_dmesg = True
        elif line == "uiox-guest: dmesg end":
            self.in_dmesg = False
        elif self.in_dmesg:
            self.dmesg.append(line)
        m = re.match(r"uiox-host: hmp (.+)$", line)
        if m:
            self.actions.put(m.group(1))
        if (self.in_cmd and not line.startswith("uiox-host:")) or self.args.verbose:
            print(line, flush=True)

    def reader(self):
        with open(self.log_path, "ab") as log:
            for raw in self.proc.stdout:
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.lines.append(line)
                self.on_line(line)

    def run(self):
        """Boot and wait; False when --timeout stopped it."""
        libc = ctypes.CDLL(None, use_errno=True)

        def child_setup():
            os.setsid()
            libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG: die with vmrun

        with open(self.log_path, "w") as log:
            log.write("# " + " ".join(self.cmdline) + "\n")
        self.proc = subprocess.Popen(self.cmdline, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     preexec_fn=child_setup)
        t = threading.Thread(target=self.reader, daemon=True)
        t.start()
        threading.Thread(target=self.host_actions, daemon=True).start()
        try:
            self.proc.wait(timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            t.join(5)
            return False
        t.join(10)
        return True

    def kill(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
