"""Transactions through librdkafka (confluent-kafka), as a user would write them.

usage: txn_basic.py BOOTSTRAP TOPIC
TOPIC has 2 partitions. One transactional producer: init_transactions(); begin, produce a0..a9
to partitions 0 and 1, abort; begin, produce c0..c9 to both, commit. Then a read_committed and a
read_uncommitted consumer read both partitions from the start to the end. Prints one JSON line:
{"committed": [...values], "uncommitted": [...values], "errors": [...]}.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

boot, topic = sys.argv[1], sys.argv[2]
out = {"errors": []}

p = Producer({"bootstrap.servers": boot, "transactional.id": f"txn-basic-{topic}", "transaction.timeout.ms": 60000})
p.init_transactions(30)
p.begin_transaction()
for i in range(10):
    p.produce(topic, value=f"a{i}", partition=i % 2)
p.flush(30)
p.abort_transaction(30)
p.begin_transaction()
for i in range(10):
    p.produce(topic, value=f"c{i}", partition=i % 2)
p.commit_transaction(30)


def read(isolation):
    c = Consumer({"bootstrap.servers": boot, "group.id": f"g-{isolation}-{time.time()}", "enable.auto.commit": False,
                  "isolation.level": isolation, "enable.partition.eof": True})
    c.assign([TopicPartition(topic, q, 0) for q in range(2)])
    values, eof = [], set()
    end = time.time() + 30
    while len(eof) < 2 and time.time() < end:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
            else:
                out["errors"].append(str(m.error()))
            continue
        values.append(m.value().decode())
    c.close()
    return sorted(values)


out["committed"] = read("read_committed")
out["uncommitted"] = read("read_uncommitted")
print(json.dumps(out))
