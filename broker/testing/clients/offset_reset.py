"""librdkafka (confluent-kafka) consumers that start out of range and must carry on.

usage: offset_reset.py BOOTSTRAP TOPIC setup|consume
setup: creates TOPIC (1 partition, RF 3) and produces v0..v4 (the test then deletes the records
below offset 2 with DeleteRecords, which this confluent-kafka has no API for).
consume:
- "latest": assigns offset 1000 (past the end) with auto.offset.reset=latest and produces
  "after-1", "after-2" ... once a second until the consumer receives one (those produced
  before its reset to the end are skipped, as they should be): it must receive an "after-N"
  and nothing older;
- "earliest": assigns offset 0 (below the log start) with auto.offset.reset=earliest and must
  receive v2..v4 and the first "after-N" that "latest" received.
Every consumer error event is recorded. Prints one JSON line; the calling test asserts on it.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

boot, topic, mode = sys.argv[1], sys.argv[2], sys.argv[3]
producer = Producer({"bootstrap.servers": boot, "acks": "all"})
if mode == "setup":
    admin = AdminClient({"bootstrap.servers": boot})  # kept: a dropped handle cancels its futures
    admin.create_topics([NewTopic(topic, 1, 3)])[topic].result(30)
    for i in range(5):
        producer.produce(topic, value=f"v{i}", partition=0)
    producer.flush(30)
    print(json.dumps({"ok": True}))
    sys.exit(0)


def consumer(reset):
    c = Consumer({"bootstrap.servers": boot, "group.id": f"reset-{reset}", "auto.offset.reset": reset,
                  "enable.auto.commit": False, "fetch.wait.max.ms": 100})
    return c


def consume(c, want, deadline_s, on_idle=None):
    got, errors = [], []
    deadline = time.time() + deadline_s
    while time.time() < deadline and len(got) < want:
        m = c.poll(0.2)
        if m is None:
            if on_idle:
                on_idle()
            continue
        if m.error():
            errors.append(str(m.error()))
            continue
        got.append(m.value().decode())
    return got, errors


out = {}
latest = consumer("latest")
latest.assign([TopicPartition(topic, 0, 1000)])
sent = []


def produce_now_and_then():
    if not sent or time.time() - sent[-1] >= 1:
        sent.append(time.time())
        producer.produce(topic, value=f"after-{len(sent)}", partition=0)
        producer.flush(30)


got, errors = consume(latest, 1, 30, produce_now_and_then)
out["latest"] = {"got": [v.split("-")[0] for v in got], "errors": errors}
first_after = got[0] if got else None
latest.close()

earliest = consumer("earliest")
earliest.assign([TopicPartition(topic, 0, 0)])
got, errors = consume(earliest, 3 + len(sent), 30)
out["earliest"] = {"got": got[:3], "errors": errors, "after_found": first_after in got}
earliest.close()
print(json.dumps(out))
