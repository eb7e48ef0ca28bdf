"""Create a topic through one node and use it at once through another, with an unmodified Python
client (confluent-kafka, i.e. librdkafka, or kafka-python), round after round.

usage: create_and_use.py confluent|kafka-python CREATE_NODE USE_NODE ROUNDS PREFIX [race]
Each round creates PREFIX-<round> (3 partitions, RF 3) with the admin client bootstrapped on
CREATE_NODE only, with the client's default operation timeout, then at once produces 9 messages
(acks=all, one producer for all rounds) and consumes them with a new group subscription, both
bootstrapped on USE_NODE only. With "race", the producer sends before the admin create (so the
broker auto-creates the topic while the explicit create runs); TOPIC_ALREADY_EXISTS is then the
admin's expected answer when auto-creation won, as with Kafka, and the messages go through the
client's partitioner (an auto-created topic has num.partitions partitions). Each round ends by
deleting its topic (so the cluster does not grow round after round). Every error any client reports
(delivery reports, consumer errors, error callbacks, admin results) is collected. Prints one
JSON line: {"rounds": n, "errors": [...], "created_ms": [...]}; the caller asserts on it.
"""
import json
import sys
import time

lib, create_node, use_node, rounds, prefix = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
race = len(sys.argv) > 6 and sys.argv[6] == "race"
N = 9
errors = []
created_ms = []


def note(r, what, e):
    errors.append(f"round {r}: {what}: {e}")


if lib == "confluent":
    from confluent_kafka import Consumer, KafkaError, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": create_node, "error_cb": lambda e: note(-1, "admin error_cb", e)})
    producer = Producer({
        "bootstrap.servers": use_node,
        "acks": "all",
        "linger.ms": 0,
        "message.timeout.ms": 15000,
        "error_cb": lambda e: note(-1, "producer error_cb", e),
    })

    def create(r, topic):
        t0 = time.time()
        try:
            admin.create_topics([NewTopic(topic, 3, 3)])[topic].result(30)
        except Exception as e:  # noqa: BLE001 - the error a user would see
            code = e.args[0].code() if e.args and hasattr(e.args[0], "code") else None
            if not (race and code == KafkaError.TOPIC_ALREADY_EXISTS):
                note(r, "create", e)
        created_ms.append(round((time.time() - t0) * 1000))

    def produce(r, topic):
        for i in range(N):
            where = {} if race else {"partition": i % 3}
            producer.produce(topic, value=f"v{i}", on_delivery=lambda e, m, r=r: e and note(r, "produce", e), **where)
        producer.poll(0)

    def flush(r):
        left = producer.flush(20)
        if left:
            note(r, "produce", f"{left} messages not delivered")

    def delete(r, topic):
        try:
            admin.delete_topics([topic])[topic].result(30)
        except Exception as e:  # noqa: BLE001
            note(r, "delete", e)

    def consume(r, topic):
        c = Consumer({
            "bootstrap.servers": use_node,
            "group.id": topic,
            "auto.offset.reset": "earliest",
            "error_cb": lambda e, r=r: note(r, "consumer error_cb", e),
        })
        c.subscribe([topic])
        got, deadline = 0, time.time() + 20
        while got < N and time.time() < deadline:
            m = c.poll(0.2)
            if m is None:
                continue
            if m.error():
                note(r, "consume", m.error())
                continue
            got += 1
        c.close()
        return got
else:
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=create_node)
    # One producer per round: kafka-python's keeps refreshing every topic it has used and would
    # auto-create each deleted one again.
    producer = None
    pending = []

    def create(r, topic):
        t0 = time.time()
        try:
            admin.create_topics([NewTopic(topic, 3, 3)])  # raises the topic's error
        except TopicAlreadyExistsError as e:
            if not race:
                note(r, "create", e)
        except Exception as e:  # noqa: BLE001
            note(r, "create", repr(e))
        created_ms.append(round((time.time() - t0) * 1000))

    def produce(r, topic):
        global producer
        producer = KafkaProducer(bootstrap_servers=use_node, acks="all", linger_ms=0)
        for i in range(N):
            pending.append((r, producer.send(topic, value=f"v{i}".encode(), partition=None if race else i % 3)))

    def flush(r):
        producer.flush(20)
        for rr, f in pending:
            try:
                f.get(timeout=1)
            except Exception as e:  # noqa: BLE001
                note(rr, "produce", repr(e))
        pending.clear()
        producer.close()

    def delete(r, topic):
        try:
            admin.delete_topics([topic])
        except Exception as e:  # noqa: BLE001
            note(r, "delete", repr(e))

    def consume(r, topic):
        c = KafkaConsumer(topic, bootstrap_servers=use_node, group_id=topic, auto_offset_reset="earliest",
                          consumer_timeout_ms=20000)
        got = 0
        try:
            for _ in c:
                got += 1
                if got == N:
                    break
        except Exception as e:  # noqa: BLE001
            note(r, "consume", repr(e))
        c.close()
        return got

for r in range(rounds):
    topic = f"{prefix}-{r}"
    if race:
        produce(r, topic)
        create(r, topic)
    else:
        create(r, topic)
        produce(r, topic)
    flush(r)
    got = consume(r, topic)
    if got != N:
        note(r, "consume", f"consumed {got}/{N}")
    delete(r, topic)

print(json.dumps({"rounds": rounds, "errors": errors[:20], "error_count": len(errors), "created_ms": created_ms}))
