// Journeys on `samsa serve --security sasl --acls`: an ACL created in the ACLs screen is listed,
// found by the filter, and deleted; a user added in the Users screen logs in with kafkajs; the
// same user added as a cluster on the Clusters screen connects with the right password and shows
// Kafka's SASL_AUTHENTICATION_FAILED with a wrong one. On a cluster without an authorizer the
// ACLs screen says so instead of showing an empty list.
import { Kafka, logLevel } from 'kafkajs';
import { sel } from './fixtures/selectors.ts';
import { expect, securedTest, test, uniqueName } from './fixtures/test.ts';

securedTest('create an ACL in the ACLs screen, find it with the filter, delete it', async ({ console: _c, page }) => {
  const prefix = uniqueName('orders');
  await sel.nav(page, /^ACLs$/).click();
  const table = page.getByRole('table', { name: 'ACLs' });
  await expect(table).toContainText('No ACLs.');

  await sel.button(page, 'Create ACL').click();
  const dialog = sel.dialog(page);
  await dialog.getByLabel('Resource type').selectOption('topic');
  await dialog.getByLabel('Pattern type').selectOption('prefixed');
  await dialog.getByLabel('Resource name').fill(prefix);
  await dialog.getByLabel('Principal').fill('User:alice');
  await dialog.getByLabel('Operation').selectOption('write');
  await dialog.getByLabel('Permission').selectOption('allow');
  await dialog.getByLabel('Principal').press('Enter'); // the form submits from the keyboard
  await expect(dialog).toHaveCount(0);

  const row = page.getByTestId('acl-row').filter({ hasText: prefix });
  await expect(row).toHaveCount(1);
  for (const text of ['User:alice', 'allow', 'write', 'topic', 'prefixed', '*']) await expect(row).toContainText(text);

  await page.getByLabel('Filter principal').fill('User:bob');
  await expect(table).toContainText('No ACL matches this filter.');
  await page.getByLabel('Filter principal').fill('User:alice');
  await page.getByLabel('Filter operation').selectOption('write');
  await expect(row).toHaveCount(1);
  await page.getByLabel('Filter operation').selectOption('read');
  await expect(table).toContainText('No ACL matches this filter.');
  await sel.button(page, 'Clear filter').click();
  await expect(row).toHaveCount(1);

  await row.getByRole('button', { name: /^Delete ACL/ }).click();
  await sel.dialog(page).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row).toHaveCount(0);
  await expect(table).toContainText('No ACLs.');
});

securedTest('add a user in the Users screen; it logs in, and the Clusters screen tells a wrong password', async ({ console: c, page }) => {
  const user = uniqueName('alice');
  const password = 'correct-horse-battery';
  await sel.nav(page, /^Users$/).click();
  await expect(page.getByTestId('user-row').filter({ hasText: 'admin' })).toContainText('SCRAM-SHA-512');
  await sel.button(page, 'Add user').click();
  const dialog = sel.dialog(page);
  await dialog.getByLabel('User name').fill(user);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByLabel('Mechanism').selectOption('SCRAM-SHA-256');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId('user-row').filter({ hasText: user });
  await expect(row).toContainText('SCRAM-SHA-256 (4096 iterations)');

  // A real client logs in as the new user.
  const admin = new Kafka({
    brokers: c.bootstrap.split(','),
    clientId: 'e2e-acls',
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
    sasl: { mechanism: 'scram-sha-256', username: user, password },
  }).admin();
  await admin.connect();
  await admin.disconnect();

  // The Clusters screen: the bundled cluster again, as this user, right and wrong password.
  const addAs = async (name: string, pw: string) => {
    await sel.nav(page, /clusters/i).click();
    const form = page.getByRole('form', { name: 'Add a cluster' });
    await form.getByLabel('Cluster name').fill(name);
    await form.getByLabel('Bootstrap servers').fill(c.bootstrap);
    await form.getByLabel('SASL mechanism').selectOption('SCRAM-SHA-256');
    await form.getByLabel('SASL username').fill(user);
    await form.getByLabel('SASL password').fill(pw);
    await form.getByRole('button', { name: 'Add cluster' }).click();
    await expect(page.getByRole('combobox', { name: 'Cluster' })).toHaveValue(/.+/);
    await expect(page.getByRole('combobox', { name: 'Cluster' }).locator('option:checked')).toHaveText(name);
    await sel.nav(page, /overview/i).click();
  };
  await addAs(uniqueName('as-user'), password);
  await expect(sel.stat(page, 'Brokers')).toHaveText('1');
  await expect(sel.alert(page)).toHaveCount(0);

  await addAs(uniqueName('wrong-pw'), 'wrong-password');
  await expect(sel.alert(page)).toContainText('SASL_AUTHENTICATION_FAILED');
  await expect(sel.alert(page)).toContainText('invalid credentials');

  // Back on the bundled cluster: change the password, then delete the credential.
  await page.getByRole('combobox', { name: 'Cluster' }).selectOption({ label: 'Local cluster' });
  await sel.nav(page, /^Users$/).click();
  await row.getByRole('button', { name: `Change password of ${user}` }).click();
  await sel.dialog(page).getByLabel('Password').fill('another-password');
  await sel.dialog(page).getByLabel('Iterations').fill('8192');
  await sel.dialog(page).getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('SCRAM-SHA-256 (8192 iterations)');
  await row.getByRole('button', { name: `Delete SCRAM-SHA-256 credential of ${user}` }).click();
  await sel.dialog(page).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row).toHaveCount(0);
});

test('a cluster without an authorizer: the ACLs screen says so', async ({ console: _c, page }) => {
  await sel.nav(page, /^ACLs$/).click();
  await expect(page.getByTestId('acls-unsupported')).toContainText('This cluster has no ACL authorizer (SECURITY_DISABLED)');
  await expect(sel.button(page, 'Create ACL')).toBeDisabled();
});
