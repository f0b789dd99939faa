"""CPython's side of SharingBenchmark.java: queue and pipe throughput, and a child filling a shared array."""
import multiprocessing as mp
import statistics
import sys
import time

SMALL = 50_000
LARGE = 100
MIB = 1 << 20
DOUBLES = 100_000_000 // 8


def queue_small(q):
    q.put(-1)
    for i in range(SMALL):
        q.put(i)


def queue_large(q):
    block = bytes(MIB)
    q.put(b"")
    for _ in range(LARGE):
        q.put(block)


def pipe_small(conn):
    conn.send(-1)
    for i in range(SMALL):
        conn.send(i)


def pipe_large(conn):
    block = bytes(MIB)
    conn.send_bytes(b"")
    for _ in range(LARGE):
        conn.send_bytes(block)


def pipe_one(conn, size):
    block = bytes(size)
    conn.send_bytes(b"")
    conn.send_bytes(block)


def pipe_one_100mib(conn):
    pipe_one(conn, 100 * MIB)


def pipe_one_1gib(conn):
    pipe_one(conn, 1024 * MIB)


def pipe_small_to_sibling(conn):
    pipe_small(conn)


def receive_small_from_sibling(conn, out):
    conn.recv()
    start = time.perf_counter()
    for _ in range(SMALL):
        conn.recv()
    out.put(time.perf_counter() - start)


def fill(arr, out):
    start = time.perf_counter()
    for i in range(len(arr)):
        arr[i] = i
    out.put(time.perf_counter() - start)


def measure(runs, action):
    action()
    return sorted(action() for _ in range(runs))


def main(method):
    ctx = mp.get_context(method)

    def via_queue(target, count, maxsize=0):
        q = ctx.Queue(maxsize)
        p = ctx.Process(target=target, args=(q,))
        p.start()
        q.get()
        start = time.perf_counter()
        for _ in range(count):
            q.get()
        elapsed = time.perf_counter() - start
        p.join()
        return elapsed

    def via_pipe(target, count, raw):
        mine, theirs = ctx.Pipe()
        p = ctx.Process(target=target, args=(theirs,))
        p.start()
        receive = mine.recv_bytes if raw else mine.recv
        receive()
        start = time.perf_counter()
        for _ in range(count):
            receive()
        elapsed = time.perf_counter() - start
        p.join()
        return elapsed

    t = measure(5, lambda: via_queue(queue_small, SMALL))
    print(f"RESULT python_{method}_queue_small_msgs_per_s value={SMALL / statistics.median(t):.1f}")
    t = measure(5, lambda: via_queue(queue_large, LARGE, 8))
    print(f"RESULT python_{method}_queue_1MiB_MB_per_s value={LARGE * MIB / 1e6 / statistics.median(t):.1f}")
    t = measure(5, lambda: via_pipe(pipe_small, SMALL, False))
    print(f"RESULT python_{method}_pipe_small_msgs_per_s value={SMALL / statistics.median(t):.1f}")
    t = measure(5, lambda: via_pipe(pipe_large, LARGE, True))
    print(f"RESULT python_{method}_pipe_1MiB_MB_per_s value={LARGE * MIB / 1e6 / statistics.median(t):.1f}")

    def between_children():
        ours, theirs = ctx.Pipe()
        out = ctx.Queue()
        sender = ctx.Process(target=pipe_small_to_sibling, args=(ours,))
        receiver = ctx.Process(target=receive_small_from_sibling, args=(theirs, out))
        receiver.start()
        sender.start()
        ours.close()
        theirs.close()
        seconds = out.get()
        sender.join()
        receiver.join()
        return seconds

    t = measure(5, between_children)
    print(f"RESULT python_{method}_pipe_children_small_msgs_per_s value={SMALL / statistics.median(t):.1f}")

    t = measure(5, lambda: via_pipe(pipe_one_100mib, 1, True))
    print(f"RESULT python_{method}_pipe_one_100MiB_MB_per_s value={100 * MIB / 1e6 / statistics.median(t):.1f}")
    t = measure(3, lambda: via_pipe(pipe_one_1gib, 1, True))
    print(f"RESULT python_{method}_pipe_one_1GiB_MB_per_s value={1024 * MIB / 1e6 / statistics.median(t):.1f}")

    arr = ctx.RawArray("d", DOUBLES)
    out = ctx.Queue()

    def one_fill():
        p = ctx.Process(target=fill, args=(arr, out))
        p.start()
        seconds = out.get()
        p.join()
        return seconds

    t = measure(3, one_fill)
    print(f"RESULT python_{method}_array_fill_100MB_GB_per_s value={0.1 / statistics.median(t):.3f}")


if __name__ == "__main__":
    for method in (sys.argv[1:] or ["spawn", "fork"]):
        main(method)
