#!/usr/bin/env python3
"""The LVM data path benchmark's body (bench/lvm.sh starts the box and calls this).

In one run, on one 2 GiB aes-xts-plain drive of an lvm pool in a storage box, interleaved over
the repeats:
  api   upload 1 GiB through the API (gzipped 4 MiB chunks, IN_FLIGHT requests at once, as the
        CLI sends them) and download it (4 MiB reads, IN_FLIGHT at once, checked by CRC-32);
  dd    inside the box, dd of 1 GiB into and out of the same volume's opened dm-crypt device
        /dev/mapper/ec-DRIVE (bs=4M, O_DIRECT, write ended by fsync), run through the guest agent;
  nbd   (second baseline, the link alone) qemu-img bench from this host against a
        qemu-storage-daemon export of the same device in the box, started as the storage service
        starts its own: 1 MiB writes and 4 MiB reads, IN_FLIGHT deep.
The guest agent serves one client at a time and the system keeps its connection open, so the
system is stopped for the dd and nbd phases of each repeat and started again for the next.
"""
import base64
import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib

MIB = 1 << 20
CHUNK = 4 * MIB
NBD_PATTERN = 90


def log(*args):
    print("bench/lvm:", *args, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Agent:
    """qemu-guest-agent over its UNIX socket: guest-sync-delimited, then guest-exec + status polls."""

    def __init__(self, path, timeout=30):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        ident = int.from_bytes(os.urandom(6), "big")
        self.sock.sendall(b"\xff" + json.dumps({"execute": "guest-sync-delimited",
                                                "arguments": {"id": ident}}).encode() + b"\n")
        for _ in range(100):
            self._skip_past_sentinel()
            try:
                if json.loads(self._line()).get("return") == ident:
                    return
            except ValueError:
                continue
        raise IOError("the guest agent did not answer the sync")

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise IOError("the guest agent closed the connection")
        self.buf += data

    def _skip_past_sentinel(self):
        while b"\xff" not in self.buf:
            self.buf = b""
            self._fill()
        self.buf = self.buf[self.buf.index(b"\xff") + 1:]

    def _line(self):
        while b"\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def _call(self, execute, arguments):
        self.sock.sendall(json.dumps({"execute": execute, "arguments": arguments}).encode() + b"\n")
        reply = json.loads(self._line())
        if "error" in reply:
            raise IOError(f"the guest agent refused {execute}: {reply['error']}")
        return reply["return"]

    def run(self, argv, timeout=600, stdin=b""):
        """(exit, stdout, stderr, seconds from exec to the status saying exited)."""
        t0 = time.monotonic()
        pid = self._call("guest-exec", {"path": argv[0], "arg": argv[1:], "capture-output": True,
                                        "input-data": base64.b64encode(stdin).decode()})["pid"]
        pause = 0.002
        while time.monotonic() - t0 < timeout:
            status = self._call("guest-exec-status", {"pid": pid})
            if status.get("exited"):
                seconds = time.monotonic() - t0
                out = base64.b64decode(status.get("out-data", ""))
                err = base64.b64decode(status.get("err-data", ""))
                return status.get("exitcode", 128 + status.get("signal", 0)), out, err, seconds
            time.sleep(pause)
            pause = min(2 * pause, 0.05)
        raise IOError(f"{argv} did not finish within {timeout} s in the box")

    def require(self, argv, timeout=600, stdin=b""):
        code, out, err, seconds = self.run(argv, timeout, stdin)
        if code != 0:
            raise IOError(f"{' '.join(argv)} in the box: exit {code}: {err.decode(errors='replace').strip()}")
        return out, err, seconds

    def close(self):
        self.sock.close()


class System:
    """deploy/run-single-host.sh with one lvm pool in the box; started and stopped by the benchmark."""

    def __init__(self, repo, work, port, admin, box_ip, agent_socket, java_opts):
        self.repo, self.work, self.port, self.admin = repo, work, port, admin
        self.args = ["--server.address=127.0.0.1",
                     "--elastic.storage.pools[0].name=pool-0",
                     "--elastic.storage.pools[0].backend=lvm",
                     "--elastic.storage.pools[0].lvm.volume-group=elastic",
                     f"--elastic.storage.pools[0].lvm.agent-socket={agent_socket}",
                     f"--elastic.storage.pools[0].lvm.address={box_ip}"]
        self.env = dict(os.environ, SERVER_PORT=str(port), ELASTIC_DATA_DIR=f"{work}/data",
                        ELASTIC_ADMIN_PASSWORD=admin, JAVA_OPTS=java_opts)
        self.proc = None
        self.starts = 0

    def start(self):
        self.starts += 1
        logfile = open(f"{self.work}/system.log", "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([f"{self.repo}/deploy/run-single-host.sh", *self.args], env=self.env,
                                     stdout=logfile, stderr=subprocess.STDOUT)
        deadline = t0 + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the system died; see {self.work}/system.log")
            try:
                status, body = self.request("GET", "/actuator/health", auth=None)
                if status == 200 and b'"UP"' in body:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the system was not healthy in 240 s; see {self.work}/system.log")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def request(self, method, path, body=None, auth=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            h = dict(headers or {})
            if auth:
                h["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
            conn.request(method, path, body=body, headers=h)
            reply = conn.getresponse()
            return reply.status, reply.read()
        finally:
            conn.close()


def make_chunks(size):
    """Per 4 MiB: 1.5 MiB random, 0.5 MiB text, 2 MiB zeros (bench/cli's mix); gzip level 1, as the CLI."""
    text = b"".join(b"block %08d of a file system image, with some text that compresses\n" % i
                    for i in range(8000))[:MIB // 2]
    chunks, crcs = [], []
    for _ in range(size // CHUNK):
        raw = os.urandom(3 * MIB // 2) + text + bytes(2 * MIB)
        chunks.append(gzip.compress(raw, 1))
        crcs.append(zlib.crc32(raw))
    return chunks, crcs


def basic(auth):
    return "Basic " + base64.b64encode(auth.encode()).decode()


def in_flight(system, jobs, work_fn, parallel):
    """Runs work_fn(conn, job) over jobs on `parallel` keep-alive connections; returns seconds."""
    lock = threading.Lock()
    todo = list(jobs)
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", system.port, timeout=300)
        try:
            while not errors:
                with lock:
                    if not todo:
                        return
                    job = todo.pop(0)
                work_fn(conn, job)
        except Exception as e:  # reported by the caller
            errors.append(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0
    if errors:
        raise errors[0]
    return seconds


def api_upload(system, auth, drive, chunks, parallel):
    header = basic(auth)

    def put(conn, i):
        conn.request("POST", f"/drives/{drive}/write/{i * CHUNK}", body=chunks[i],
                     headers={"Authorization": header, "Content-Type": "application/octet-stream",
                              "Content-Encoding": "gzip"})
        reply = conn.getresponse()
        body = reply.read()
        if reply.status != 204:
            raise IOError(f"write of chunk {i}: {reply.status} {body[:200]!r}")
    return in_flight(system, range(len(chunks)), put, parallel)


def api_download(system, auth, drive, crcs, parallel):
    bad = []
    header = basic(auth)

    def get(conn, i):
        conn.request("GET", f"/drives/{drive}/read/{i * CHUNK}/{CHUNK}", headers={"Authorization": header})
        reply = conn.getresponse()
        body = reply.read()
        if reply.status != 200 or len(body) != CHUNK:
            raise IOError(f"read of chunk {i}: {reply.status}, {len(body)} bytes")
        if zlib.crc32(body) != crcs[i]:
            bad.append(i)
    seconds = in_flight(system, range(len(crcs)), get, parallel)
    if bad:
        raise IOError(f"{len(bad)} chunks read back differ from those written (first: {min(bad)})")
    return seconds


def dd_in_box(agent, device, size):
    count = str(size // CHUNK)
    _, _, write_s = agent.require(["dd", "if=/dev/zero", f"of={device}", "bs=4M", f"count={count}",
                                   "oflag=direct", "conv=fsync"])
    _, _, read_s = agent.require(["dd", f"if={device}", "of=/dev/null", "bs=4M", f"count={count}", "iflag=direct"])
    return write_s, read_s


def nbd_alone(agent, device, box_ip, port, size, parallel):
    """qemu-img bench against a qsd export of `device` started as BoxDevices starts it."""
    pidfile = f"/run/elastic-bench-{port}.pid"
    blockdev = json.dumps({"driver": "host_device", "node-name": "d", "filename": device,
                           "cache": {"direct": True}, "aio": "native"})
    server = json.dumps({"addr": {"type": "inet", "host": box_ip, "port": str(port)}})
    export = json.dumps({"type": "nbd", "id": "e", "node-name": "d", "name": "d", "writable": True})
    agent.require(["qemu-storage-daemon", "--daemonize", "--pidfile", pidfile, "--blockdev", blockdev,
                   "--nbd-server", server, "--export", export], timeout=60)
    url = f"nbd://{box_ip}:{port}/d"
    try:
        def bench(*args):
            t0 = time.monotonic()
            subprocess.run(["qemu-img", "bench", "-f", "raw", "-t", "none", "-d", str(parallel), "-q", *args, url],
                           check=True, stdout=subprocess.DEVNULL)
            return time.monotonic() - t0
        write_s = bench("-w", "-s", "1M", "-c", str(size // MIB), "--flush-interval", "4", "--pattern", str(NBD_PATTERN))
        read_s = bench("-s", "4M", "-c", str(size // CHUNK))
        return write_s, read_s
    finally:
        agent.run(["sh", "-c", 'kill "$(cat "$1")"; rm -f "$1"', "stop", pidfile], timeout=30)


def main():
    repo, work, box_ip, agent_socket = sys.argv[1:5]
    size = int(os.environ.get("BENCH_SIZE_MIB", "1024")) * MIB
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    parallel = int(os.environ.get("BENCH_IN_FLIGHT", "4"))
    with_nbd = os.environ.get("BENCH_NBD", "1") == "1"
    with_cold = os.environ.get("BENCH_COLD", "1") == "1"
    java_opts = os.environ.get("BENCH_SYSTEM_JAVA_OPTS", "")
    port = int(os.environ["BENCH_PORT"])
    admin = base64.b64encode(os.urandom(18)).decode().replace("/", "a").replace("+", "b")
    system = System(repo, work, port, admin, box_ip, agent_socket, java_opts)

    log(f"preparing {size // MIB} MiB of gzipped 4 MiB chunks")
    chunks, crcs = make_chunks(size)
    log(f"gzipped: {sum(map(len, chunks)) / MIB:.1f} MiB")
    rows = {k: [] for k in ("api_up", "api_down", "api_cold", "dd_up", "dd_down", "nbd_up", "nbd_down")}
    rate = lambda s: f"{size / MIB / s:6.1f}" if s else "     -"
    per_repeat = []
    load_start = loadavg()
    try:
        log(f"starting the system on 127.0.0.1:{port} (log {work}/system.log)")
        up = system.start()
        log(f"healthy after {up:.1f} s")
        status, body = system.request("POST", "/actuator/users", auth=f"admin:{admin}",
                                      headers={"Accept": "application/json"})
        if status != 200:
            raise RuntimeError(f"admin could not create a customer: {status} {body[:200]!r}")
        creds = json.loads(body)
        auth = f"{creds['user']}:{creds['key']}"
        status, body = system.request("POST", "/drives/create", auth=auth, headers={"Content-Type": "text/plain"},
                                      body=b"name lvm-bench\nsize 2147483648\nencryption:cipher aes-xts-plain\n")
        if status != 200:
            raise RuntimeError(f"drive create: {status} {body[:300]!r}")
        drive = next(line.split()[1] for line in body.decode().splitlines() if line.startswith("drive "))
        device = f"/dev/mapper/ec-{drive}"
        log(f"drive {drive} (aes-xts-plain, 2 GiB); its device in the box {device}")
        # the first pass provisions the thin LV's blocks, so every timed pass rewrites them, as dd does
        log("warm-up: a first upload and download (the thin blocks provisioned, the JVM compiled)")
        w_up = api_upload(system, auth, drive, chunks, parallel)
        w_down = api_download(system, auth, drive, crcs, parallel)
        log(f"warm-up: upload {size / MIB / w_up:.1f} MiB/s, download {size / MIB / w_down:.1f} MiB/s")
        system.stop()
        for r in range(1, repeats + 1):
            system.start()
            # after a start the service knows nothing of the volume: the first download looks at the
            # ciphertext of every sector for holes (and looks the volume up in the box first)
            # what the last writer left: qemu-img bench's pattern byte, or dd's zeros
            last = [zlib.crc32(bytes([NBD_PATTERN] if with_nbd else [0]) * CHUNK)] * len(crcs) if r > 1 else crcs
            cold_s = api_download(system, auth, drive, last, parallel) if with_cold else None
            up_s = api_upload(system, auth, drive, chunks, parallel)
            down_s = api_download(system, auth, drive, crcs, parallel)
            system.stop()
            agent = Agent(agent_socket)
            try:
                dd_up, dd_down = dd_in_box(agent, device, size)
                nbd = nbd_alone(agent, device, box_ip, 10900, size, parallel) if with_nbd else (None, None)
            finally:
                agent.close()
            for key, value in zip(rows, (up_s, down_s, cold_s, dd_up, dd_down, *nbd)):
                if value is not None:
                    rows[key].append(value)
            line = (f"repeat {r}: MiB/s up/down: api {rate(up_s)} {rate(down_s)} (first download after the start"
                    f" {rate(cold_s)}); dd in box {rate(dd_up)} {rate(dd_down)}; nbd alone {rate(nbd[0])}"
                    f" {rate(nbd[1])}; load {loadavg()}")
            per_repeat.append(line)
            log(line)
    finally:
        system.stop()

    med = {k: statistics.median(v) for k, v in rows.items() if v}
    mibs = lambda k: size / MIB / med[k]
    print()
    print(f"bench/lvm: {size // MIB} MiB, aes-xts-plain drive of an lvm pool in a storage box at {box_ip}"
          f" ({os.cpu_count()} CPUs, {os.environ.get('BENCH_LAYOUT', 'not pinned')}; load average {load_start}"
          f" at the start, {loadavg()} at the end);"
          f" medians of {repeats} repeats, {parallel} requests in flight")
    for line in per_repeat:
        print("  " + line)
    print(f"  {'figure':<46} {'MiB/s':>7} {'baseline':<40} {'MiB/s':>7} {'ratio':>6}")
    ok = True
    for what, api, base, label in (("upload, gzip 4 MiB chunks", "api_up", "dd_up", "dd into dm-crypt in the box"),
                                   ("download, 4 MiB reads", "api_down", "dd_down", "dd out of dm-crypt in the box")):
        ratio = mibs(api) / mibs(base)
        ok &= ratio >= 0.70
        print(f"  {'API ' + what:<46} {mibs(api):7.1f} {label:<40} {mibs(base):7.1f} {ratio:6.2f}"
              f"  {'met' if ratio >= 0.70 else 'MISSED'} (target >= 0.70)")
    if "api_cold" in med:
        ratio = mibs("api_cold") / mibs("dd_down")
        print(f"  {'API download, first after a start':<46} {mibs('api_cold'):7.1f} {'dd out of dm-crypt in the box':<40}"
              f" {mibs('dd_down'):7.1f} {ratio:6.2f}  (every sector's ciphertext checked for holes)")
    if "nbd_up" in med:
        for what, api, base in (("upload", "api_up", "nbd_up"), ("download", "api_down", "nbd_down")):
            print(f"  {'API ' + what:<46} {mibs(api):7.1f} {'qemu-img bench over NBD (link alone)':<40}"
                  f" {mibs(base):7.1f} {mibs(api) / mibs(base):6.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
