// SCRAM users of the selected cluster, as kafka-configs.sh --describe --entity-type users shows
// them: each user's mechanisms with their iterations (never a salt or a key), with add or change
// password (AlterUserScramCredentials upsert; the console server salts the password) and delete
// of one mechanism's credential.
import { useState } from 'react';
import {
  SCRAM_MAX_ITERATIONS,
  SCRAM_MECHANISM_NAMES,
  SCRAM_MIN_ITERATIONS,
  type UpsertScramUserRequest,
} from '../../../main/contract/index.ts';
import { ApiRequestError } from '../../api/client.ts';
import { useDeleteScramCredential, useScramUsers, useUpsertScramUser } from '../../api/security.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FormDialog } from '../../components/form-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { ChoiceSelect } from '../../components/choice-select.tsx';
import { PageHeader } from '../../components/page-header.tsx';

function PasswordDialog({ clusterId, user, onClose }: { clusterId: string; user: string | null; onClose: () => void }) {
  const upsert = useUpsertScramUser(clusterId);
  const [form, setForm] = useState<Required<UpsertScramUserRequest>>({
    user: user ?? '',
    mechanism: 'SCRAM-SHA-256',
    password: '',
    iterations: SCRAM_MIN_ITERATIONS,
  });
  return (
    <FormDialog
      title={user ? `Change password of ${user}` : 'Add user'}
      onClose={onClose}
      onSubmit={() => upsert.mutate(form, { onSuccess: onClose })}
      submitLabel="Save"
      pendingLabel="Saving…"
      pending={upsert.isPending}
      error={upsert.error}
    >
        <label className="field">
          <span>User</span>
          <input
            aria-label="User name"
            value={form.user}
            readOnly={user !== null}
            onChange={(e) => setForm({ ...form, user: e.target.value })}
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            aria-label="Password"
            type="password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            autoComplete="new-password"
          />
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Mechanism</span>
            <ChoiceSelect
              label="Mechanism"
              values={SCRAM_MECHANISM_NAMES}
              value={form.mechanism}
              onChange={(mechanism) => setForm({ ...form, mechanism })}
            />
          </label>
          <label className="field">
            <span>
              Iterations ({SCRAM_MIN_ITERATIONS}–{SCRAM_MAX_ITERATIONS})
            </span>
            <input
              aria-label="Iterations"
              type="number"
              min={SCRAM_MIN_ITERATIONS}
              max={SCRAM_MAX_ITERATIONS}
              value={form.iterations}
              onChange={(e) => setForm({ ...form, iterations: Number(e.target.value) })}
            />
          </label>
        </div>
    </FormDialog>
  );
}

export function UsersPage({ clusterId }: { clusterId: string }) {
  const users = useScramUsers(clusterId);
  const del = useDeleteScramCredential(clusterId);
  const [editing, setEditing] = useState<{ user: string | null } | null>(null);
  const [deleting, setDeleting] = useState<{ user: string; mechanism: string } | null>(null);
  const list = users.data?.users ?? [];
  const unsupported = users.error instanceof ApiRequestError && users.error.code === 'UNSUPPORTED_VERSION';
  return (
    <div className="page">
      <PageHeader
        title="Users"
        subtitle={users.data ? `${list.length} SCRAM users` : 'SCRAM credentials'}
        actions={
          <button className="primary" onClick={() => setEditing({ user: null })}>
            Add user
          </button>
        }
      />
      {unsupported ? (
        <p className="warn-note" role="status">
          This cluster does not manage SCRAM credentials through the Kafka API (DescribeUserScramCredentials needs Kafka
          2.7 or later).
        </p>
      ) : (
        <ErrorView error={users.error} />
      )}
      <table className="table" aria-label="Users">
        <thead>
          <tr>
            <th>User</th>
            <th>Credentials</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((u) => (
            <tr key={u.user} data-testid="user-row">
              <td>{u.user}</td>
              <td>
                {u.credentials.map((c) => (
                  <span key={c.mechanism} className="credential">
                    {c.mechanism} <span className="muted small">({c.iterations} iterations)</span>{' '}
                    <button
                      className="ghost"
                      aria-label={`Delete ${c.mechanism} credential of ${u.user}`}
                      onClick={() => setDeleting({ user: u.user, mechanism: c.mechanism })}
                    >
                      Delete
                    </button>
                  </span>
                ))}
              </td>
              <td className="num">
                <button aria-label={`Change password of ${u.user}`} onClick={() => setEditing({ user: u.user })}>
                  Change password
                </button>
              </td>
            </tr>
          ))}
          {users.data && list.length === 0 && (
            <tr>
              <td colSpan={3} className="empty">
                No SCRAM users. Add one; clients then log in with SASL SCRAM-SHA-256 or SCRAM-SHA-512 (and PLAIN on
                Samsa).
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {editing && <PasswordDialog clusterId={clusterId} user={editing.user} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          action="Delete"
          title="Delete credential"
          busy={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(deleting, { onSuccess: () => setDeleting(null) })}
          onClose={() => setDeleting(null)}
        >
          <p>
            Delete the {deleting.mechanism} credential of <strong>{deleting.user}</strong>? Clients logging in with it
            are refused from then on.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
