"""Admin round trips and errors with an unmodified Python client (confluent-kafka or kafka-python).

Usage: admin.py confluent|kafka-python BOOTSTRAP PREFIX
Prints one JSON object: step name -> "ok", a value, or {"code": kafka error code, "msg": text}.
The caller (broker/api/admin-python.test.ts) asserts on it.
"""
import json
import sys

lib, bootstrap, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}


def step(name, fn):
    try:
        r = fn()
        out[name] = "ok" if r is None else r
    except Exception as e:  # the error a user of this client would see
        out[name] = err_of(e)


if lib == "confluent":
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

    a = AdminClient({"bootstrap.servers": bootstrap})

    def err_of(e):
        if isinstance(e, KafkaException):
            k = e.args[0]
            return {"code": k.code(), "msg": k.str()}
        return {"code": None, "msg": repr(e)}

    def one(futures):
        for f in futures.values():
            f.result(20)

    def create(name, partitions=1, rf=1, config=None, validate_only=False, assignment=None):
        if assignment is not None:
            t = NewTopic(name, len(assignment), replica_assignment=assignment, config=config or {})
        else:
            t = NewTopic(name, partitions, rf, config=config or {})
        one(a.create_topics([t], validate_only=validate_only, operation_timeout=10))

    def partitions(name, count):
        one(a.create_partitions([NewPartitions(name, count)], operation_timeout=10))

    def delete(name):
        one(a.delete_topics([name], operation_timeout=10))

    def describe(rtype, name):
        res = ConfigResource(rtype, name)
        entries = a.describe_configs([res])[res].result(20)
        return {k: {"value": v.value, "source": v.source, "readOnly": v.is_read_only} for k, v in entries.items()}

    def alter(rtype, name, configs):
        res = ConfigResource(rtype, name, set_config=configs)
        a.alter_configs([res])[res].result(20)

    def topics():
        return sorted(a.list_topics(timeout=10).topics)

else:
    import kafka.errors as Errors
    from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewPartitions, NewTopic

    a = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=20000)

    def err_of(e):
        return {"code": getattr(e, "errno", None), "msg": str(e)}

    def check(resp_resources):
        for r in resp_resources:
            code, msg = r[0], r[1]
            if code != 0:
                raise Errors.for_code(code)(msg)

    def create(name, partitions=1, rf=1, config=None, validate_only=False, assignment=None):
        if assignment is not None:
            t = NewTopic(name, -1, -1, replica_assignments={i: r for i, r in enumerate(assignment)}, topic_configs=config or {})
        else:
            t = NewTopic(name, partitions, rf, topic_configs=config or {})
        a.create_topics([t], validate_only=validate_only)

    def partitions(name, count):
        a.create_partitions({name: NewPartitions(count)})

    def delete(name):
        a.delete_topics([name])

    TYPES = {"topic": ConfigResourceType.TOPIC, "broker": ConfigResourceType.BROKER}

    def describe(rtype, name):
        [resp] = a.describe_configs([ConfigResource(TYPES[rtype], name)])
        check(resp.resources)
        entries = resp.resources[0][4]
        # v1+: (name, value, read_only, config_source, is_sensitive, synonyms)
        return {e[0]: {"value": e[1], "source": e[3], "readOnly": e[2]} for e in entries}

    def alter(rtype, name, configs):
        resp = a.alter_configs([ConfigResource(TYPES[rtype], name, configs=configs)])
        check(resp.resources)

    def topics():
        return sorted(a.list_topics())


p = prefix
step("create", lambda: create(f"{p}-a", 3, 1, {"retention.ms": "3600000"}))
step("create-again", lambda: create(f"{p}-a", 3, 1))
step("create-rf-too-big", lambda: create(f"{p}-b", 1, 2))
step("create-zero-partitions", lambda: create(f"{p}-c", 0, 1))
step("create-bad-config-value", lambda: create(f"{p}-d", 1, 1, {"retention.ms": "soon"}))
step("create-unknown-config", lambda: create(f"{p}-e", 1, 1, {"no.such.config": "1"}))
step("create-bad-name", lambda: create(f"{p} bad name!", 1, 1))
step("create-validate-only", lambda: create(f"{p}-v", 2, 1, validate_only=True))
step("create-assignment", lambda: create(f"{p}-f", assignment=[[1], [1]]))
step("partitions", lambda: partitions(f"{p}-a", 5))
step("partitions-decrease", lambda: partitions(f"{p}-a", 2))
step("partitions-unknown-topic", lambda: partitions(f"{p}-nope", 2))
step("topics", topics)
step("describe-topic", lambda: describe("topic", f"{p}-a"))
step("describe-unknown-topic", lambda: describe("topic", f"{p}-nope"))
step("alter-topic", lambda: alter("topic", f"{p}-a", {"cleanup.policy": "compact"}))
step("describe-after-alter", lambda: describe("topic", f"{p}-a"))
step("alter-topic-bad-value", lambda: alter("topic", f"{p}-a", {"segment.bytes": "big"}))
step("alter-unknown-topic", lambda: alter("topic", f"{p}-nope", {"retention.ms": "1000"}))
step("describe-broker", lambda: describe("broker", "1"))
step("alter-broker", lambda: alter("broker", "1", {"log.retention.ms": "100000000"}))
step("describe-topic-broker-default", lambda: describe("topic", f"{p}-f"))
step("alter-broker-read-only", lambda: alter("broker", "1", {"num.partitions": "4"}))
step("alter-broker-reset", lambda: alter("broker", "1", {}))
step("delete", lambda: delete(f"{p}-a"))
step("delete-again", lambda: delete(f"{p}-a"))
step("topics-after", topics)
print(json.dumps(out))
