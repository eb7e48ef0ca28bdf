// Page object: the topics list, the create dialog and delete confirmation.
import { expect, type Page } from '@playwright/test';
import { sel } from '../fixtures/selectors.ts';

export class TopicsPage {
  constructor(readonly page: Page) {}

  async open() {
    await sel.nav(this.page, /topics/i).click();
    await expect(this.page.getByRole('heading', { name: 'Topics', level: 1 })).toBeVisible();
  }

  async create(name: string, partitions = 1) {
    await sel.button(this.page, 'Create topic').click();
    const dialog = sel.dialog(this.page);
    await dialog.getByLabel('Topic name').fill(name);
    await dialog.getByLabel('Partitions').fill(String(partitions));
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  }

  async delete(name: string) {
    await this.page.getByRole('button', { name: `Delete topic ${name}` }).click();
    const dialog = sel.dialog(this.page);
    await dialog.getByLabel('Confirm name').fill(name);
    await dialog.getByRole('button', { name: 'Delete topic' }).click();
    await expect(dialog).toBeHidden();
  }

  topicLink(name: string) {
    return sel.topicLink(this.page, name);
  }
}
