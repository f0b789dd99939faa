"""CPython's side of SyncCallsBenchmark.java: synchronization calls made by a child on its parent's objects."""
import multiprocessing as mp
import statistics
import sys
import time

CALLS = 5_000
ROUNDS = 6


def child(lock, queue, full, report):
    micros = [[], [], [], []]
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(CALLS):
            lock.acquire()
            lock.release()
        locked = time.perf_counter()
        for _ in range(CALLS):
            queue.qsize()
        sized = time.perf_counter()
        for _ in range(CALLS):
            full.get()
        got = time.perf_counter()
        for i in range(CALLS):
            queue.put(i)
            queue.get()
        end = time.perf_counter()
        for kind, seconds in enumerate((locked - start, sized - locked, got - sized, end - got)):
            micros[kind].append(seconds / CALLS * 1e6)
    report.put([statistics.median(m[1:]) for m in micros])


def main(method):
    ctx = mp.get_context(method)
    lock, queue, full, report = ctx.Lock(), ctx.Queue(), ctx.Queue(), ctx.Queue()
    for i in range(CALLS * ROUNDS):
        full.put(i)
    time.sleep(1)  # the parent's feeder thread writes the items into the pipe meanwhile
    p = ctx.Process(target=child, args=(lock, queue, full, report))
    p.start()
    medians = report.get()
    p.join()
    for name, value in zip(("lock_acquire_release", "qsize", "get", "put_then_get"), medians):
        print(f"RESULT python_{method}_child_{name}_us value={value:.2f}")


if __name__ == "__main__":
    for method in (sys.argv[1:] or ["spawn", "fork"]):
        main(method)
