"""Transactions through librdkafka (confluent-kafka), as a user would write them.

usage: txn_basic.py BOOTSTRAP MODE TOPIC
MODE basic: TOPIC has 2 partitions. init_transactions(); begin, produce a0..a9 to partitions 0
  and 1, abort; begin, produce c0..c9 to both, flush, read the watermarks of partition 0 with
  both isolation levels while the transaction is open, commit. Then a read_committed and a
  read_uncommitted consumer read both partitions from the start to the end.
MODE fencing: producer A begins and writes z0..z4; producer B with the same transactional.id
  initializes (fencing A), writes b0..b4 and commits; A's commit must fail as fenced.
MODE timeout: transaction.timeout.ms 2000; begin, write x0..x4, flush, then wait 6 s: the
  coordinator aborts it; the commit must fail.
MODE misuse: transaction.timeout.ms far above transaction.max.timeout.ms: init_transactions()
  must fail at once with the fatal INVALID_TRANSACTION_TIMEOUT.
Prints one JSON line with what was seen; the calling test asserts on it.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

boot, mode, topic = sys.argv[1], sys.argv[2], sys.argv[3]
out = {"errors": []}


def producer(tid, **extra):
    return Producer({"bootstrap.servers": boot, "transactional.id": tid, "transaction.timeout.ms": 60000, **extra})


def read(isolation, partitions=2):
    c = Consumer({"bootstrap.servers": boot, "group.id": f"g-{isolation}-{time.time()}", "enable.auto.commit": False,
                  "isolation.level": isolation, "enable.partition.eof": True})
    c.assign([TopicPartition(topic, q, 0) for q in range(partitions)])
    values, eof = [], set()
    end = time.time() + 30
    while len(eof) < partitions and time.time() < end:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                eof.add(m.partition())
            else:
                out["errors"].append(str(m.error()))
            continue
        values.append(m.value().decode())
    c.close()
    return sorted(values)


def watermarks(isolation):
    c = Consumer({"bootstrap.servers": boot, "group.id": f"w-{time.time()}", "isolation.level": isolation})
    lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10, cached=False)
    c.close()
    return [lo, hi]


def error_of(fn):
    try:
        fn()
    except KafkaException as e:
        err = e.args[0]
        return {"name": err.name(), "fatal": err.fatal(), "abortable": err.txn_requires_abort()}
    return None


if mode == "basic":
    p = producer(f"txn-basic-{topic}")
    p.init_transactions(30)
    p.begin_transaction()
    for i in range(10):
        p.produce(topic, value=f"a{i}", partition=i % 2)
    p.flush(30)
    p.abort_transaction(30)
    p.begin_transaction()
    for i in range(10):
        p.produce(topic, value=f"c{i}", partition=i % 2)
    p.flush(30)
    out["open_committed"] = watermarks("read_committed")
    out["open_uncommitted"] = watermarks("read_uncommitted")
    p.commit_transaction(30)
    out["closed_committed"] = watermarks("read_committed")
    out["committed"] = read("read_committed")
    out["uncommitted"] = read("read_uncommitted")
elif mode == "fencing":
    tid = f"txn-fence-{topic}"
    a = producer(tid)
    a.init_transactions(30)
    a.begin_transaction()
    for i in range(5):
        a.produce(topic, value=f"z{i}", partition=0)
    a.flush(30)
    b = producer(tid)
    b.init_transactions(60)  # fences a: its open transaction is aborted by the coordinator
    b.begin_transaction()
    for i in range(5):
        b.produce(topic, value=f"b{i}", partition=0)
    b.commit_transaction(30)
    out["zombie"] = error_of(lambda: a.commit_transaction(30))
    out["committed"] = read("read_committed", 1)
    out["uncommitted"] = read("read_uncommitted", 1)
elif mode == "timeout":
    p = producer(f"txn-timeout-{topic}", **{"transaction.timeout.ms": 2000})
    p.init_transactions(30)
    p.begin_transaction()
    for i in range(5):
        p.produce(topic, value=f"x{i}", partition=0)
    p.flush(30)
    time.sleep(6)
    out["late_commit"] = error_of(lambda: p.commit_transaction(30))
    out["committed"] = read("read_committed", 1)
    out["uncommitted"] = read("read_uncommitted", 1)
elif mode == "misuse":
    p = producer(f"txn-misuse-{topic}", **{"transaction.timeout.ms": 2147483647})
    t0 = time.time()
    out["init"] = error_of(lambda: p.init_transactions(10))
    out["seconds"] = round(time.time() - t0, 1)
print(json.dumps(out))
