/*
 * The C perf client of `npm run bench -- rdkafka` (bench/rdkafka.ts compiles it against Debian's
 * librdkafka-dev and runs it): one librdkafka producer sends COUNT messages of SIZE bytes to
 * partition 0 of TOPIC with the given acks and librdkafka's default batching (linger.ms 5,
 * batch.size 1 000 000), and prints one JSON line: messages, bytes, seconds from the first
 * produce() to the last delivery report, failed deliveries, and p50/p99 of the delivery latency
 * (produce() to delivery report) in ms.
 * BOOTSTRAP "mock" makes librdkafka's in-memory mock cluster of 3 brokers in a second client
 * handle of this process (a second, independent Kafka) and creates TOPIC there with 1 partition
 * and RF; otherwise BOOTSTRAP is a real cluster's and TOPIC must exist.
 * Usage: rdkafka-perf BOOTSTRAP TOPIC ACKS COUNT SIZE RF
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t *latencies;
static long delivered, failed;
static int64_t last_delivery_us;
static char first_error[256];

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  (void)opaque;
  int64_t t = now_us();
  if (m->err) {
    if (!failed) snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2name(m->err));
    failed++;
  } else if (m->_private) {
    latencies[delivered++] = t - (int64_t)(intptr_t)m->_private;
  }
  last_delivery_us = t;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
  char err[512];
  if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "%s=%s: %s\n", k, v, err);
    exit(2);
  }
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s BOOTSTRAP|mock TOPIC ACKS COUNT SIZE RF\n", argv[0]);
    return 2;
  }
  const char *bootstrap = argv[1], *topic = argv[2], *acks = argv[3];
  long count = atol(argv[4]);
  size_t size = (size_t)atol(argv[5]);
  int rf = atoi(argv[6]);
  char err[512];
  rd_kafka_t *mock_rk = NULL;

  if (strcmp(bootstrap, "mock") == 0) {
    rd_kafka_conf_t *mc = rd_kafka_conf_new();
    set(mc, "test.mock.num.brokers", "3");
    set(mc, "log_level", "0");
    mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, mc, err, sizeof err);
    if (!mock_rk) {
      fprintf(stderr, "mock cluster: %s\n", err);
      return 1;
    }
    rd_kafka_mock_cluster_t *mcluster = rd_kafka_handle_mock_cluster(mock_rk);
    if (rd_kafka_mock_topic_create(mcluster, topic, 1, rf)) {
      fprintf(stderr, "mock topic create failed\n");
      return 1;
    }
    bootstrap = rd_kafka_mock_cluster_bootstraps(mcluster);
  }

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "acks", acks);
  set(conf, "queue.buffering.max.messages", "1000000");
  set(conf, "queue.buffering.max.kbytes", "1048576");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "producer: %s\n", err);
    return 1;
  }
  latencies = calloc((size_t)count, sizeof *latencies);
  char *payload = malloc(size);
  memset(payload, 'x', size);

  /* Warm-up: metadata and the connection to the leader, not timed. */
  if (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE(payload, size),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) {
    fprintf(stderr, "warm-up produce failed\n");
    return 1;
  }
  rd_kafka_flush(rk, 30000);
  if (failed) {
    fprintf(stderr, "warm-up delivery failed: %s\n", first_error);
    return 1;
  }

  int64_t start = now_us();
  for (long i = 0; i < count;) {
    rd_kafka_resp_err_t e = rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE(payload, size),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void *)(intptr_t)now_us()), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 1);
      continue;
    }
    if (e) {
      fprintf(stderr, "produce: %s\n", rd_kafka_err2name(e));
      return 1;
    }
    i++;
    if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 120000);
  long outstanding = rd_kafka_outq_len(rk);
  double secs = (double)(last_delivery_us - start) / 1e6;

  qsort(latencies, (size_t)delivered, sizeof *latencies, cmp);
  double p50 = delivered ? latencies[(delivered - 1) / 2] / 1000.0 : 0;
  double p99 = delivered ? latencies[(long)(0.99 * (double)(delivered - 1))] / 1000.0 : 0;
  printf("{\"msgs\":%ld,\"bytes\":%ld,\"secs\":%.4f,\"failed\":%ld,\"outstanding\":%ld,\"firstError\":\"%s\","
         "\"p50ms\":%.3f,\"p99ms\":%.3f}\n",
         delivered, delivered * (long)size, secs, failed, outstanding, first_error, p50, p99);
  rd_kafka_destroy(rk);
  if (mock_rk) rd_kafka_destroy(mock_rk);
  return failed || outstanding ? 1 : 0;
}
