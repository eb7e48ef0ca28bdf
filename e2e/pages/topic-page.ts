// Page object: one topic — browse messages (seek modes), message detail, produce form.
import { expect, type Page } from '@playwright/test';
import { sel } from '../fixtures/selectors.ts';

export class TopicPage {
  constructor(readonly page: Page) {}

  async openFromList(topic: string) {
    await sel.nav(this.page, /topics/i).click();
    await sel.topicLink(this.page, topic).click();
    await expect(this.page.getByRole('heading', { name: topic, level: 1 })).toBeVisible();
  }

  async browse(opts: { mode: 'Latest' | 'Earliest' | 'Offset' | 'Timestamp'; offset?: number; time?: string; partition?: string; filter?: string }) {
    await sel.tab(this.page, 'Messages').click();
    const form = this.page.getByRole('form', { name: 'Browse messages' });
    if (opts.partition !== undefined) await form.getByLabel('Partition').selectOption(opts.partition);
    await form.getByLabel('Seek mode').selectOption({ label: opts.mode });
    if (opts.offset !== undefined) await form.getByLabel('Offset').fill(String(opts.offset));
    if (opts.time !== undefined) await form.getByLabel('Timestamp').fill(opts.time);
    if (opts.filter !== undefined) await form.getByLabel('Filter', { exact: true }).fill(opts.filter);
    await form.getByRole('button', { name: 'Load' }).click();
  }

  rows() {
    return sel.messageRows(this.page);
  }

  async produce(opts: { key?: string; value: string; headers?: Record<string, string> }) {
    await sel.tab(this.page, 'Produce').click();
    const form = this.page.getByRole('form', { name: 'Produce a message' });
    if (opts.key !== undefined) await form.getByLabel('Key', { exact: true }).fill(opts.key);
    await form.getByLabel('Value', { exact: true }).fill(opts.value);
    let i = 1;
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      await form.getByRole('button', { name: '+ Add header' }).click();
      await form.getByLabel(`Header ${i} key`).fill(k);
      await form.getByLabel(`Header ${i} value`).fill(v);
      i++;
    }
    await form.getByRole('button', { name: 'Produce' }).click();
    await expect(form.getByRole('status')).toContainText('Produced 1 message');
  }
}
