// The Electron shell hands a URL to the operating system only when this says yes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppExternalLink, topicConfigDocUrl } from './external-links.ts';

test('accepts the links the console renders', () => {
  for (const name of ['retention.ms', 'cleanup.policy', 'min.insync.replicas']) assert.ok(isAppExternalLink(topicConfigDocUrl(name)), name);
  assert.ok(isAppExternalLink('https://kafka.apache.org/documentation/'));
});

test('refuses everything else', () => {
  for (const url of [
    'http://kafka.apache.org/documentation/',
    'https://kafka.apache.org.evil.example/documentation/',
    'https://evil.example/documentation/#topicconfigs_retention.ms',
    'https://user:pw@kafka.apache.org/documentation/',
    'https://kafka.apache.org/documentation/?q=1',
    'https://kafka.apache.org/documentation/#topicconfigs_x"><script>',
    'https://kafka.apache.org/other',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'ms-msdt:/id',
    'not a url',
  ]) {
    assert.equal(isAppExternalLink(url), false, url);
  }
});
