"""A consumer-group member through an unmodified Python client, for the group coordinator tests.

usage: group_member.py confluent|kafka-python BOOTSTRAP GROUP TOPIC SECONDS [commit]
Subscribes TOPIC in GROUP (session timeout 3 s, roundrobin assignment so it can share a group
with the JavaScript clients), prints one JSON line per event: {"assigned": [partitions]} after
each rebalance, {"consumed": n, "last": {partition: next offset}} every second, and with
`commit` commits what it consumed and closes cleanly (LeaveGroup) after SECONDS, printing
{"closed": true}. Kill it to simulate a crashed member.
"""
import json
import sys
import time

lib, boot, group, topic, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
commit = len(sys.argv) > 6 and sys.argv[6] == "commit"
consumed = 0
last = {}


def emit(o):
    print(json.dumps(o), flush=True)


end = time.time() + seconds
next_report = time.time() + 1
if lib == "confluent":
    from confluent_kafka import Consumer

    c = Consumer({"bootstrap.servers": boot, "group.id": group, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "session.timeout.ms": 3000, "heartbeat.interval.ms": 500,
                  "partition.assignment.strategy": "roundrobin", "client.id": "py-confluent"})
    c.subscribe([topic], on_assign=lambda _c, ps: emit({"assigned": sorted(p.partition for p in ps)}))
    while time.time() < end:
        m = c.poll(0.2)
        if m is not None and not m.error():
            consumed += 1
            last[m.partition()] = m.offset() + 1
        if time.time() > next_report:
            next_report = time.time() + 1
            emit({"consumed": consumed, "last": last})
    if commit and consumed:
        c.commit(asynchronous=False)
    c.close()
else:
    from kafka import KafkaConsumer, ConsumerRebalanceListener
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor

    class L(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            pass

        def on_partitions_assigned(self, assigned):
            emit({"assigned": sorted(p.partition for p in assigned)})

    c = KafkaConsumer(bootstrap_servers=boot, group_id=group, auto_offset_reset="earliest",
                      enable_auto_commit=False, session_timeout_ms=3000, heartbeat_interval_ms=500,
                      partition_assignment_strategy=[RoundRobinPartitionAssignor], client_id="py-kafka-python")
    c.subscribe([topic], listener=L())
    while time.time() < end:
        for tp, msgs in c.poll(timeout_ms=200).items():
            for m in msgs:
                consumed += 1
                last[tp.partition] = m.offset + 1
        if time.time() > next_report:
            next_report = time.time() + 1
            emit({"consumed": consumed, "last": last})
    if commit and consumed:
        c.commit()
    c.close()
emit({"consumed": consumed, "last": last})
emit({"closed": True})
