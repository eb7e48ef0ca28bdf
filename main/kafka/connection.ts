// One cluster's clients, created lazily and reused: an Admin for metadata/configs/groups, a
// Producer, and a group-less Consumer used only for its low-level fetch (browsing must never
// join a group or commit offsets on the user's cluster). Metadata reads go through
// cluster-metadata.ts, which keeps partition errors as data.
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { type ClusterConfig, toClientOptions } from './cluster-config.ts';
import { BrokerMemory, readClusterView, type ClusterView } from './cluster-metadata.ts';

/** How old a per-topic view may be for reads: a tail or a paged browse asks once per fetch. */
const TOPIC_VIEW_MAX_AGE_MS = 1000;

export class KafkaConnection {
  #admin: Admin | undefined;
  #producer: Producer | undefined;
  #fetcher: Consumer | undefined;
  #fetchUsesTopicIds: Promise<boolean> | undefined;
  #liveBrokers: string | undefined;
  #topicViews = new Map<string, { at: number; view: Promise<ClusterView> }>();
  /** Brokers seen during this console session, so one that leaves Metadata is shown as down. */
  readonly brokers = new BrokerMemory();

  constructor(readonly config: ClusterConfig) {}

  /** Fresh Metadata of every topic (or of `topics`), partition errors kept as data. */
  async clusterView(topics: string[] | null = null): Promise<ClusterView> {
    const view = await readClusterView(this.admin, this.brokers, topics);
    // The library's clients route by a broker list they cache; when the live brokers change
    // (a node died, came back or was added), make them fetch it again on their next call.
    const live = view.brokers
      .filter((b) => b.up)
      .map((b) => `${b.id}@${b.host}:${b.port}`)
      .join(',');
    if (live !== this.#liveBrokers) {
      if (this.#liveBrokers !== undefined) for (const c of [this.#admin, this.#producer, this.#fetcher]) c?.clearMetadata();
      this.#liveBrokers = live;
    }
    return view;
  }

  /** Metadata of one topic, at most a second old; forget() drops it after a failed read. */
  topicView(topic: string): Promise<ClusterView> {
    const cached = this.#topicViews.get(topic);
    if (cached && Date.now() - cached.at < TOPIC_VIEW_MAX_AGE_MS) return cached.view;
    const view = this.clusterView([topic]);
    this.#topicViews.set(topic, { at: Date.now(), view });
    view.catch(() => this.forget(topic));
    return view;
  }

  forget(topic: string): void {
    this.#topicViews.delete(topic);
    // The fetcher routes by its own cached broker list: let it refresh too.
    this.#fetcher?.clearMetadata();
  }

  get admin(): Admin {
    this.#admin ??= new Admin(toClientOptions(this.config, 'samsa-console-admin'));
    return this.#admin;
  }

  get producer(): Producer {
    this.#producer ??= new Producer({ ...toClientOptions(this.config, 'samsa-console-producer'), autocreateTopics: false });
    return this.#producer;
  }

  /** Never calls consume(): the group id is only required by the constructor. */
  get fetcher(): Consumer {
    this.#fetcher ??= new Consumer({
      ...toClientOptions(this.config, 'samsa-console-browser'),
      groupId: 'samsa-console-browser',
      maxWaitTime: 200,
      minBytes: 1,
      maxBytes: 8 * 1024 * 1024,
    });
    return this.#fetcher;
  }

  /** Fetch v13+ addresses topics by id, v12 by name: ask the cluster which one we will speak. */
  fetchUsesTopicIds(): Promise<boolean> {
    this.#fetchUsesTopicIds ??= this.fetcher
      .listApis()
      .then((apis) => {
        const fetch = apis.find((a) => a.name === 'Fetch');
        return Math.min(fetch?.maxVersion ?? 12, 17) >= 13;
      })
      .catch((err) => {
        this.#fetchUsesTopicIds = undefined;
        throw err;
      });
    return this.#fetchUsesTopicIds;
  }

  async close(): Promise<void> {
    const clients = [this.#admin, this.#producer, this.#fetcher].filter((c) => c !== undefined);
    this.#admin = this.#producer = this.#fetcher = undefined;
    this.#fetchUsesTopicIds = undefined;
    this.#topicViews.clear();
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}
