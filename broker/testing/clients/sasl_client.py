"""confluent-kafka (librdkafka) over SASL_PLAINTEXT, or PROTOCOL (SSL, SASL_SSL) trusting CA.

usage: sasl_client.py BOOTSTRAP MECHANISM USER PASSWORD produce|trickle|consume|metadata TOPIC N [PROTOCOL [CA]]
(with PROTOCOL SSL, MECHANISM USER PASSWORD are ignored; without CA, the system's trust store)
produce: N acked messages v0..v(N-1) (acks=all); trickle: the same, one every 500 ms, each
awaited (one producer, so one connection per broker unless the broker closes it); consume: reads from the beginning with a new
group until N messages or 30 s; metadata: lists topics. Prints one JSON line: what happened and
every error librdkafka reported (e.g. the broker's authentication failure message).
"""
import json
import sys
import uuid

from confluent_kafka import Consumer, KafkaException, Producer

boot, mech, user, password, mode, topic, n = sys.argv[1:8]
protocol = sys.argv[8] if len(sys.argv) > 8 else "SASL_PLAINTEXT"
n = int(n)
errors = []
conf = {
    "bootstrap.servers": boot,
    "security.protocol": protocol,
    "error_cb": lambda e: errors.append(e.str()),
}
if protocol.startswith("SASL"):
    conf.update({"sasl.mechanisms": mech, "sasl.username": user, "sasl.password": password})
if len(sys.argv) > 9:
    conf["ssl.ca.location"] = sys.argv[9]
out = {}
try:
    if mode == "produce":
        p = Producer({**conf, "acks": "all"})
        acked = []
        for i in range(n):
            p.produce(topic, value=f"v{i}".encode(), on_delivery=lambda err, m: acked.append(err is None))
        p.flush(30)
        out["acked"] = sum(acked)
    elif mode == "trickle":
        import time

        p = Producer({**conf, "acks": "all"})
        acked = []
        for i in range(n):
            p.produce(topic, value=f"v{i}".encode(), on_delivery=lambda err, m: acked.append(err is None))
            p.flush(30)
            time.sleep(0.5)
        out["acked"] = sum(acked)
    elif mode == "consume":
        c = Consumer({**conf, "group.id": f"g-{uuid.uuid4()}", "auto.offset.reset": "earliest"})
        c.subscribe([topic])
        got = []
        import time

        deadline = time.time() + 30
        while len(got) < n and time.time() < deadline:
            m = c.poll(1.0)
            if m is not None and m.error() is None:
                got.append(m.value().decode())
        c.close()
        out["values"] = got
    else:
        p = Producer(conf)
        try:
            md = p.list_topics(timeout=8)
            out["topics"] = sorted(md.topics.keys())
        finally:
            for _ in range(3):
                p.poll(0.5)  # serves error_cb: librdkafka reports the broker's refusal there
except KafkaException as e:
    out["exception"] = str(e)
out["errors"] = errors
print(json.dumps(out))
