// Page object: consumer groups list and one group's offsets, lag and reset dialog.
import { expect, type Page } from '@playwright/test';
import { sel } from '../fixtures/selectors.ts';

export class GroupPage {
  constructor(readonly page: Page) {}

  async open(groupId: string) {
    await sel.nav(this.page, /consumer groups/i).click();
    await this.page.getByRole('table', { name: 'Consumer groups' }).getByRole('link', { name: groupId, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: groupId, level: 1 })).toBeVisible();
  }

  totalLag() {
    return sel.totalLag(this.page);
  }

  async resetTo(strategy: 'Earliest' | 'Latest') {
    await sel.button(this.page, 'Reset offsets').click();
    const dialog = sel.dialog(this.page);
    await dialog.getByLabel('Reset strategy').selectOption({ label: strategy });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('table', { name: 'Reset preview' })).toBeVisible();
    return dialog;
  }
}
