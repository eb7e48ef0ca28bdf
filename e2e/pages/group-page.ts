// Page object: consumer groups list and one group's offsets, lag, reset dialog, its members and
// the members the console runs in it.
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

  consoleMembers() {
    return sel.consoleMembers(this.page);
  }

  /** Sets the number of members the console runs in this group, with the card's input and button. */
  async setConsoleMembers(count: number) {
    const card = this.consoleMembers();
    await card.getByLabel('Number of members').fill(String(count));
    await card.getByRole('button', { name: 'Set members' }).click();
  }

  /** Client id → partitions (sorted), from the console's members table. */
  async split(): Promise<Record<string, number[]>> {
    const rows = await this.consoleMembers().getByTestId('console-member').all();
    const cells = await Promise.all(rows.map((r) => r.getByRole('cell').allTextContents()));
    return byClient(cells.map(([, clientId, , partitions]) => [clientId, partitions.match(/\d+/g)?.map(Number) ?? []]));
  }

  /** Client id → partitions of `topic` (sorted), from the group's own Members table (DescribeGroups). */
  async groupSplit(topic: string): Promise<Record<string, number[]>> {
    const rows = await sel.groupMembers(this.page).getByRole('row').all();
    const cells = await Promise.all(rows.slice(1).map((r) => r.getByRole('cell').allTextContents()));
    const of = (assignment: string) =>
      assignment
        .split('; ')
        .find((a) => a.startsWith(`${topic} [`))
        ?.slice(topic.length)
        .match(/\d+/g)
        ?.map(Number) ?? [];
    return byClient(cells.filter((c) => c.length === 4).map(([clientId, , , assignment]) => [clientId, of(assignment)]));
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

const byClient = (rows: [string, number[]][]): Record<string, number[]> =>
  Object.fromEntries(rows.map(([c, p]) => [c, [...p].sort((a, b) => a - b)] as const).sort(([a], [b]) => a.localeCompare(b)));
