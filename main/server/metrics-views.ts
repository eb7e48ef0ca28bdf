// Which series and markers each screen asks for (MetricsView): the server sends a page only
// the series it draws, so an Overview never carries every partition of every topic.
import { scopeOf, type Marker, type Metric, type MetricsQuery, type SeriesMeta } from '../contract/metrics.ts';

export interface ViewFilter {
  series(m: SeriesMeta): boolean;
  marker(m: Marker): boolean;
}

const OVERVIEW = new Set<Metric>(['bytesIn', 'bytesOut', 'messagesIn', 'produceP99', 'fetchP99', 'underReplicated', 'offline', 'cpu', 'rss']);
const TOPIC = new Set<Metric>(['bytesIn', 'bytesOut', 'messagesIn']);
const TOPICS = new Set<Metric>(['bytesIn', 'messagesIn']);

type ParsedQuery = Required<Pick<MetricsQuery, 'view'>> & { topic: string | null; group: string | null };

export function viewFilter(q: ParsedQuery): ViewFilter {
  const clusterWide = (m: Marker) => m.group === null;
  switch (q.view) {
    case 'overview':
      return { series: (m) => OVERVIEW.has(m.metric) && (scopeOf(m) === 'cluster' || scopeOf(m) === 'node'), marker: clusterWide };
    case 'nodes':
      return { series: (m) => scopeOf(m) === 'node', marker: clusterWide };
    case 'topics':
      return { series: (m) => TOPICS.has(m.metric) && scopeOf(m) === 'topic', marker: () => false };
    case 'topic':
      return { series: (m) => TOPIC.has(m.metric) && m.group === null && m.topic === q.topic, marker: clusterWide };
    case 'group':
      return { series: (m) => m.group === q.group, marker: (m) => m.group === q.group || clusterWide(m) };
  }
}
