"""Round trip through a real Python Kafka client (confluent-kafka or kafka-python).

usage: roundtrip.py confluent|kafka-python BOOTSTRAP TOPIC N [produce|consume|both]
Creates TOPIC with 3 partitions (admin API), produces N keyed messages with headers (first
half with timestamp T0, second half T0+60s) to partition i % 3, reads them back, checks
per-partition order, headers and count, and looks up offsets by timestamp. Prints one JSON
line with the findings; the calling test asserts on it.
"""
import json
import sys
import time

lib, boot, topic, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "both"
T0 = 1_700_000_000_000
T1 = T0 + 60_000
half = n // 2
out = {}


def ts_of(i):
    return T0 if i < half else T1


def check(records):
    """records: list of (partition, offset, key, value, headers dict, timestamp)."""
    last = {}
    ok_order = ok_headers = True
    seen = set()
    for p, off, k, v, h, ts in records:
        i = int(v[1:])
        seen.add(i)
        if k != f"k{i % 100}" or p != i % 3 or ts != ts_of(i):
            ok_headers = False
        if h.get("h") != str(i):
            ok_headers = False
        if last.get(p, -1) >= i:
            ok_order = False
        last[p] = i
    return {"consumed": len(records), "distinct": len(seen), "order_ok": ok_order, "fields_ok": ok_headers}


if lib == "confluent":
    from confluent_kafka import Consumer, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    if mode in ("produce", "both"):
        a = AdminClient({"bootstrap.servers": boot})
        a.create_topics([NewTopic(topic, 3, 1)])[topic].result(30)
        p = Producer({"bootstrap.servers": boot, "acks": "all", "linger.ms": 5})
        for i in range(n):
            p.produce(topic, key=f"k{i % 100}", value=f"v{i}", partition=i % 3, headers=[("h", str(i))], timestamp=ts_of(i))
            if i % 1000 == 0:
                p.poll(0)
        out["unflushed"] = p.flush(60)
    if mode in ("consume", "both"):
        c = Consumer({"bootstrap.servers": boot, "group.id": f"rt-{time.time()}", "enable.auto.commit": False})
        c.assign([TopicPartition(topic, q, 0) for q in range(3)])
        recs = []
        end = time.time() + 60
        while len(recs) < n and time.time() < end:
            for m in c.consume(1000, 1.0):
                if m.error():
                    continue
                recs.append((m.partition(), m.offset(), m.key().decode(), m.value().decode(),
                             {k: v.decode() for k, v in (m.headers() or [])}, m.timestamp()[1]))
        out.update(check(recs))
        found = c.offsets_for_times([TopicPartition(topic, q, T1) for q in range(3)], 20)
        out["offsets_for_t1"] = [tp.offset for tp in found]
        c.close()
else:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient, NewTopic

    if mode in ("produce", "both"):
        a = KafkaAdminClient(bootstrap_servers=boot)
        a.create_topics([NewTopic(topic, 3, 1)])
        a.close()
        p = KafkaProducer(bootstrap_servers=boot, acks="all", linger_ms=5)
        futs = [p.send(topic, key=f"k{i % 100}".encode(), value=f"v{i}".encode(), partition=i % 3,
                       headers=[("h", str(i).encode())], timestamp_ms=ts_of(i)) for i in range(n)]
        p.flush(60)
        out["unflushed"] = sum(1 for f in futs if not f.succeeded())
        p.close()
    if mode in ("consume", "both"):
        c = KafkaConsumer(bootstrap_servers=boot, enable_auto_commit=False, consumer_timeout_ms=3000)
        tps = [TopicPartition(topic, q) for q in range(3)]
        c.assign(tps)
        c.seek_to_beginning()
        recs = []
        end = time.time() + 60
        while len(recs) < n and time.time() < end:
            for tp, ms in c.poll(1000, max_records=2000).items():
                for m in ms:
                    recs.append((m.partition, m.offset, m.key.decode(), m.value.decode(),
                                 {k: v.decode() for k, v in m.headers}, m.timestamp))
        out.update(check(recs))
        found = c.offsets_for_times({tp: T1 for tp in tps})
        out["offsets_for_t1"] = [found[tp].offset if found[tp] else None for tp in tps]
        c.close()

print(json.dumps(out))
