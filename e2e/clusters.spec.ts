// Journey: adding a remote cluster with SASL. In `samsa serve` the console says where and how
// the password is kept (plain, user-only file: no OS key outside the desktop app), and warns
// while SASL PLAIN would go without TLS to another machine; the saved cluster keeps the warning.
import { sel } from './fixtures/selectors.ts';
import { expect, test, uniqueName } from './fixtures/test.ts';

test('password storage is stated, and SASL PLAIN without TLS to a remote host is flagged', async ({ console: _c, page }) => {
  await sel.nav(page, /clusters/i).click();
  const form = page.getByRole('form', { name: 'Add a cluster' });
  await expect(page.getByTestId('password-storage')).toContainText('saved unencrypted, in a file only you can read');

  const name = uniqueName('remote');
  await form.getByLabel('Cluster name').fill(name);
  await form.getByLabel('Bootstrap servers').fill('kafka.example.com:9092');
  await form.getByLabel('SASL mechanism').selectOption('PLAIN');
  await form.getByLabel('SASL username').fill('alice');
  await form.getByLabel('SASL password').fill('not-so-secret');
  const warning = form.getByRole('note');
  await expect(warning).toContainText('sends the password in clear text over the network to kafka.example.com');
  await form.getByLabel('TLS').check();
  await expect(warning).toHaveCount(0);
  await form.getByLabel('TLS').uncheck();
  await form.getByRole('button', { name: 'Add cluster' }).click();

  const row = page.getByRole('table', { name: 'Clusters' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('SASL PLAIN');
  await expect(row).toContainText('clear text');
  await expect(row).not.toContainText('not-so-secret');
  await page.getByRole('button', { name: `Remove cluster ${name}` }).click();
  await expect(row).toHaveCount(0);
});
