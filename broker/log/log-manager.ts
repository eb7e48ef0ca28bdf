// All partition logs of one node under its data dir, one `<topic>-<partition>` directory each
// (Kafka's layout). Existing directories are opened, and recovered if needed, at construction;
// other entries of the data dir (metadata, checkpoints) are left alone. Logs found on disk start
// with the default config until the broker hands them their topic's config (getOrCreate or
// updateConfig).

import fs from 'node:fs';
import path from 'node:path';
import { LogCleaner, type CleanerOptions } from './cleaner.ts';
import { FileLog } from './file-log.ts';
import { isStorageError, LogDir } from './log-dir.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig, type PartitionLog } from './types.ts';

// Topic names may contain '-', so the partition is what follows the last one.
const PARTITION_DIR = /^(.+)-(\d+)$/;

export class LogManager {
  private logs = new Map<string, FileLog>();
  private retentionTimer: NodeJS.Timeout | undefined;
  /** The log cleaner of compacted logs, once startCleaner() ran. */
  cleaner: LogCleaner | undefined;
  /** Online until a storage error (log-dir.ts). */
  readonly dir: LogDir;

  constructor(
    readonly dataDir: string,
    private defaultConfig: LogConfig = DEFAULT_LOG_CONFIG,
  ) {
    this.dir = new LogDir(dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
      const m = entry.isDirectory() ? PARTITION_DIR.exec(entry.name) : null;
      if (!m) continue;
      const [, topic, partition] = m;
      this.logs.set(entry.name, FileLog.open(path.join(dataDir, entry.name), topic, Number(partition), defaultConfig));
    }
  }

  private static dirName(topic: string, partition: number): string {
    if (
      !topic ||
      topic === '.' ||
      topic === '..' ||
      /[/\\\0]/.test(topic) ||
      !Number.isInteger(partition) ||
      partition < 0
    )
      throw new Error(`invalid log name ${JSON.stringify(topic)} partition ${partition}`);
    return `${topic}-${partition}`;
  }

  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(LogManager.dirName(topic, partition));
  }

  /** The partition's log, opened or created; a given config replaces the log's current one. */
  getOrCreate(topic: string, partition: number, config?: LogConfig): PartitionLog {
    const name = LogManager.dirName(topic, partition);
    let log = this.logs.get(name);
    if (log) {
      if (config) log.updateConfig(config);
      return log;
    }
    log = FileLog.open(path.join(this.dataDir, name), topic, partition, config ?? this.defaultConfig);
    this.logs.set(name, log);
    return log;
  }

  all(): PartitionLog[] {
    return [...this.logs.values()];
  }

  /** Closes and deletes the partition's files (topic deletion, reassignment away). */
  remove(topic: string, partition: number): void {
    const name = LogManager.dirName(topic, partition);
    this.logs.get(name)?.delete();
    this.logs.delete(name);
  }

  /** One retention pass over every log; returns segments deleted. One failing log does not stop the others. */
  applyRetention(now: number): number {
    let deleted = 0;
    for (const log of this.logs.values()) {
      try {
        deleted += log.applyRetention(now);
      } catch (err) {
        console.error(`retention of ${log.topic}-${log.partition} failed:`, err);
      }
    }
    return deleted;
  }

  /** Runs applyRetention every intervalMs (log.retention.check.interval.ms). */
  startRetention(intervalMs: number): void {
    this.stopRetention();
    this.retentionTimer = setInterval(() => this.applyRetention(Date.now()), intervalMs);
    this.retentionTimer.unref();
  }

  stopRetention(): void {
    clearInterval(this.retentionTimer);
    this.retentionTimer = undefined;
  }

  /** Starts the log cleaner over this node's logs (cleaner.ts). */
  startCleaner(opts: Partial<CleanerOptions> = {}): LogCleaner {
    this.cleaner?.stop();
    this.cleaner = new LogCleaner(() => this.logs.values(), opts);
    this.cleaner.start();
    return this.cleaner;
  }

  /**
   * Flushes and closes every log, leaving clean-shutdown markers so the next start skips
   * recovery; an offline log dir gets no markers (the next start recovers every log). One log
   * failing to close does not keep the others open.
   */
  closeAll(): void {
    this.cleaner?.stop();
    this.stopRetention();
    for (const log of this.logs.values()) {
      try {
        log.close(!this.dir.offline);
      } catch (err) {
        if (isStorageError(err)) this.dir.fail(`close ${log.topic}-${log.partition}`, err);
        console.error(`closing ${log.topic}-${log.partition} failed:`, err);
      }
    }
    this.logs.clear();
  }
}
