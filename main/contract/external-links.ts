// The only external pages the console links to. The renderer builds its links with these, and
// the Electron shell opens a link in the system browser only when isAppExternalLink() accepts
// it (any other URL a page might try to open, javascript:, file:, custom schemes, is dropped).
const KAFKA_DOCS = 'https://kafka.apache.org/documentation/';

/** Kafka's documentation of one topic config (anchors are `#topicconfigs_<name>`). */
export const topicConfigDocUrl = (name: string) => `${KAFKA_DOCS}#topicconfigs_${name}`;

const ALLOWED_ANCHOR = /^(#topicconfigs_[a-z0-9.]+)?$/;

export function isAppExternalLink(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    u.protocol === 'https:' &&
    u.host === 'kafka.apache.org' &&
    u.pathname === '/documentation/' &&
    u.username === '' &&
    u.password === '' &&
    u.search === '' &&
    ALLOWED_ANCHOR.test(u.hash)
  );
}
