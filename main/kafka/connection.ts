// One cluster's clients, created lazily and reused: an Admin for metadata/configs/groups, a
// Producer, and a group-less Consumer used only for its low-level fetch (browsing must never
// join a group or commit offsets on the user's cluster).
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { type ClusterConfig, toClientOptions } from './cluster-config.ts';

export class KafkaConnection {
  #admin: Admin | undefined;
  #producer: Producer | undefined;
  #fetcher: Consumer | undefined;
  #fetchUsesTopicIds: Promise<boolean> | undefined;

  constructor(readonly config: ClusterConfig) {}

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
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}
