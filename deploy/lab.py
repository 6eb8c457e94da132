"""Several hosts on one machine: network namespaces joined by a bridge, and processes started in them.

Every name starts with PREFIX ("qtdrill"): the namespaces (`qtdrill-db`, `qtdrill-app1`, …), the
bridge's own namespace (`qtdrill-net`, where each host's veth peer is plugged into `br0`), the
temporary directory (/tmp/qtdrill-*) and the lock (/run/qtdrill.lock). The host's own network is
not touched: no interface, address or route is added outside the namespaces, so the hosts reach
each other (SUBNET) and their own loopback, and nothing else.

`Lab` is a context manager: entered, it takes the lock (one drill at a time on the machine),
removes what a killed earlier run left (namespaces named so, their processes, its temporary
directories), and creates the hosts; left — normally, on an error, on Ctrl+C or SIGTERM — it stops
every process it started (SIGTERM, then SIGKILL), kills whatever still runs in its namespaces (only
its own processes can), deletes the namespaces and the temporary directory, and releases the lock.

The calling thread may join a host (`enter`): its sockets, and the processes it starts, are then
inside that host's network (the drill's client runs so); `close` brings it back first.
"""

import ctypes
import fcntl
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from bench._common import log

PREFIX = "qtdrill"
SUBNET = "10.77.0"
BRIDGE_HOST = f"{PREFIX}-net"
LOCK_PATH = f"/run/{PREFIX}.lock"
CLONE_NEWNET = 0x40000000
#: Seconds a process has to stop after SIGTERM before it is killed.
STOP_GRACE = 10
#: The signals that ask the drill to stop: ignored while it removes what it created.
QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Refusal(Exception):
    """The machine cannot run the drill (not root, no `ip netns`, a program missing): said plainly."""


def run(*command, check=True, **kwargs) -> subprocess.CompletedProcess:
    """COMMAND run to its end; its output captured (and shown in the error when it fails)."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # noqa: S603
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} → {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
    return done


def namespaces() -> list[str]:
    """The names of the network namespaces of the machine (`ip netns list`)."""
    return [line.split()[0] for line in run("ip", "netns", "list").stdout.splitlines() if line.strip()]


@dataclass
class Process:
    """A process started in a host, the leader of its own session (so its children go with it)."""

    name: str
    host: str
    popen: subprocess.Popen
    log: str
    #: What asks it to stop (then SIGKILL after STOP_GRACE): SIGINT for PostgreSQL's fast shutdown.
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])


@dataclass
class Lab:
    """HOSTS {name: last byte of its address} as namespaces `PREFIX-name` on SUBNET.0/24."""

    hosts: dict[str, int]
    #: Where to copy the processes' logs before everything is removed ("" : not kept).
    keep_logs: str = ""
    workdir: str = ""
    processes: list[Process] = field(default_factory=list)
    _lock: int | None = None
    _home: int | None = None  # the calling thread's own network namespace, while it is in a host

    # ------------------------------------------------------------ setting up and tearing down

    def __enter__(self):
        self._take_lock()
        try:
            self._remove_leftovers()
            self.workdir = tempfile.mkdtemp(prefix=f"{PREFIX}-")
            os.makedirs(self.path("logs"))
            self._create()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Remove everything (see the module docstring); Ctrl+C or SIGTERM cannot interrupt it half-way."""
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in QUIT_SIGNALS}
        try:
            self.leave()
            for process in reversed(self.processes):
                self.stop(process)
            self._remove(self._ours())
            if self.workdir:
                if self.keep_logs:
                    shutil.copytree(self.path("logs"), self.keep_logs, dirs_exist_ok=True)
                shutil.rmtree(self.workdir, ignore_errors=True)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if self._lock is not None:
                os.close(self._lock)  # releases the lock
                self._lock = None

    def _take_lock(self):
        self._lock = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            self._lock = None
            raise Refusal(f"Một lượt diễn tập khác đang chạy trên máy này ({LOCK_PATH} đang bị giữ).") from None

    def _ours(self) -> list[str]:
        return [name for name in namespaces() if name.startswith(f"{PREFIX}-")]

    def _remove_leftovers(self):
        """What a run killed before its cleanup left: its namespaces (and processes), its directories."""
        names = self._ours()
        directories = glob.glob(os.path.join(tempfile.gettempdir(), f"{PREFIX}-*"))
        if names or directories:
            log(f"removing what an earlier drill left: {', '.join(names + directories)}")
        self._remove(names)
        for directory in directories:
            shutil.rmtree(directory, ignore_errors=True)

    def _remove(self, names: list[str]):
        for name in names:
            for pid in run("ip", "netns", "pids", name, check=False).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)  # only the drill's own processes live there
                except ProcessLookupError:
                    pass
        for name in names:
            run("ip", "netns", "del", name, check=False)

    def _create(self):
        try:
            run("ip", "netns", "add", BRIDGE_HOST)
        except RuntimeError as error:
            raise Refusal(f"Không tạo được network namespace (ip netns): {error}") from None
        run("ip", "-n", BRIDGE_HOST, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", BRIDGE_HOST, "link", "set", "br0", "up")
        for name, last in self.hosts.items():
            ns, peer = self.ns(name), f"to-{name}"
            run("ip", "netns", "add", ns)
            # Both ends are created inside namespaces: the veth pair never appears in the host's network.
            run("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", peer, "netns", BRIDGE_HOST)
            run("ip", "-n", BRIDGE_HOST, "link", "set", peer, "master", "br0", "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "addr", "add", f"{SUBNET}.{last}/24", "dev", "eth0")
            run("ip", "-n", ns, "link", "set", "eth0", "up")

    # ------------------------------------------------------------ hosts and processes

    @staticmethod
    def ns(host: str) -> str:
        return f"{PREFIX}-{host}"

    def address(self, host: str) -> str:
        return f"{SUBNET}.{self.hosts[host]}"

    def path(self, *parts) -> str:
        return os.path.join(self.workdir, *parts)

    def start(self, host: str, name: str, command: list[str], env: dict, cwd=None, stop_signal=signal.SIGTERM):
        """COMMAND started in HOST's network, in a session of its own; output to logs/NAME.log.
        STOP_SIGNAL asks it to stop at the end."""
        log = self.path("logs", f"{name}.log")
        with open(log, "ab") as out:
            popen = subprocess.Popen(  # noqa: S603
                ["ip", "netns", "exec", self.ns(host), *command],  # noqa: S607
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, host, popen, log, stop_signal)
        self.processes.append(process)
        return process

    def kill(self, process: Process, sig=signal.SIGKILL):
        """SIG to PROCESS and every process of its session (a gunicorn master and its workers)."""
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, process: Process):
        if process.alive():
            self.kill(process, process.stop_signal)
            try:
                process.popen.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                pass
        self.kill(process, signal.SIGKILL)  # what is left of its session
        process.popen.wait()

    # ------------------------------------------------------------ the calling thread's network

    def enter(self, host: str):
        """Move the calling thread (and what it starts) into HOST's network."""
        if self._home is None:
            self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        _setns(f"/run/netns/{self.ns(host)}")

    def leave(self):
        if self._home is not None:
            _setns_fd(self._home)
            os.close(self._home)
            self._home = None


def _setns(path: str):
    fd = os.open(path, os.O_RDONLY)
    try:
        _setns_fd(fd)
    finally:
        os.close(fd)


def _setns_fd(fd: int):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


def wait_for(check, what: str, timeout: float = 60, every: float = 0.2):
    """Call CHECK until it returns a true value (returned); RuntimeError naming WHAT after TIMEOUT."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: chưa sẵn sàng sau {timeout:.0f} giây")
        time.sleep(every)
