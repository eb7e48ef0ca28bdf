"""Produces 0, 1, 2 ... with acks=all for SECONDS and prints every acknowledged value, one per
line, as the delivery report arrives (confluent-kafka). Used by the kill -9 and failover tests.

usage: acked_producer.py BOOTSTRAP TOPIC SECONDS [RATE_PER_SEC] [idempotent]
SECONDS "stdin": produce until standard input closes (the test decides when to stop).
With "idempotent", enable.idempotence=true: retries after a failover must not duplicate.
"""
import sys
import threading
import time

from confluent_kafka import Producer

boot, topic = sys.argv[1], sys.argv[2]
until_stdin_closes = sys.argv[3] == "stdin"
seconds = 0.0 if until_stdin_closes else float(sys.argv[3])
stdin_closed = threading.Event()
if until_stdin_closes:
    threading.Thread(target=lambda: (sys.stdin.read(), stdin_closed.set()), daemon=True).start()
rate = float(sys.argv[4]) if len(sys.argv) > 4 else 2000.0
idempotent = len(sys.argv) > 5 and sys.argv[5] == "idempotent"


def on_delivery(err, msg):
    if err is None:
        sys.stdout.write(f"{msg.value().decode()}\n")


p = Producer({"bootstrap.servers": boot, "acks": "all", "linger.ms": 2, "message.timeout.ms": 15000,
              "retry.backoff.ms": 50, "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 200,
              "enable.idempotence": idempotent})
start = time.time()
i = 0
while (not stdin_closed.is_set()) if until_stdin_closes else (time.time() - start < seconds):
    try:
        p.produce(topic, value=str(i), on_delivery=on_delivery)
        i += 1
    except BufferError:
        pass
    p.poll(0)
    time.sleep(1.0 / rate)
p.flush(30)
sys.stdout.flush()
sys.stderr.write(f"sent {i}\n")
