"""confluent-kafka (librdkafka) producer and consumer over SASL_PLAINTEXT SCRAM-SHA-512, for ACL tests.

usage: acl_client.py BOOTSTRAP USER PASSWORD produce TOPIC | consume TOPIC GROUP
produce: one message (acks=all); consume: from the beginning until a message or an error, up to 20 s.
Prints one JSON line: the delivery result or the messages read and the errors librdkafka reported
(KafkaError names, e.g. TOPIC_AUTHORIZATION_FAILED).
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer

boot, user, password, mode, topic = sys.argv[1:6]
conf = {
    "bootstrap.servers": boot,
    "security.protocol": "SASL_PLAINTEXT",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": user,
    "sasl.password": password,
}
out = {}
if mode == "produce":
    p = Producer({**conf, "acks": "all", "message.timeout.ms": 15000})
    results = []
    p.produce(topic, value=b"v", on_delivery=lambda err, m: results.append(err.name() if err else "NONE"))
    p.flush(20)
    out["delivery"] = results
else:
    errors = []
    c = Consumer({**conf, "group.id": sys.argv[6], "auto.offset.reset": "earliest",
                  "error_cb": lambda e: errors.append(e.name())})
    c.subscribe([topic])
    got = 0
    deadline = time.time() + 20
    while time.time() < deadline and not errors and not got:
        m = c.poll(1.0)
        if m is None:
            continue
        if m.error():
            errors.append(m.error().name())
        else:
            got += 1
    c.close()
    out["errors"], out["got"] = errors, got
print(json.dumps(out))
