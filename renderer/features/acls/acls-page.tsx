// ACLs of the selected cluster, as kafka-acls.sh --list shows them, filtered the way its
// --resource-pattern-type and friends filter (DescribeAcls does the filtering, not the page),
// with create and delete. A cluster without an authorizer answers SECURITY_DISABLED: the page
// says so in words, with how to start the bundled cluster with ACLs, instead of an empty table.
import { useState } from 'react';
import {
  ACL_FILTER_OPERATIONS,
  ACL_FILTER_PATTERN_TYPES,
  ACL_FILTER_PERMISSIONS,
  ACL_FILTER_RESOURCE_TYPES,
  ACL_OPERATIONS,
  ACL_PATTERN_TYPES,
  ACL_PERMISSIONS,
  ACL_RESOURCE_TYPES,
  type AclBinding,
  type AclFilter,
  type DeleteAclsRequest,
} from '../../../main/contract/index.ts';
import { ApiRequestError } from '../../api/client.ts';
import { useAcls, useDeleteAcls } from '../../api/security.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { ChoiceSelect } from '../../components/choice-select.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { CreateAclDialog } from './create-acl-dialog.tsx';

const describeBinding = (b: AclBinding) =>
  `${b.permission} ${b.principal} ${b.operation} on ${b.resourceType} ${b.patternType === 'prefixed' ? `${b.resourceName}*` : b.resourceName} from ${b.host}`;

/** The exact filter of one listed binding, or null when the cluster named something this console does not know. */
function exactFilter(b: AclBinding): DeleteAclsRequest | null {
  const resourceType = ACL_RESOURCE_TYPES.find((t) => t === b.resourceType);
  const patternType = ACL_PATTERN_TYPES.find((t) => t === b.patternType);
  const operation = ACL_OPERATIONS.find((t) => t === b.operation);
  const permission = ACL_PERMISSIONS.find((t) => t === b.permission);
  if (!resourceType || !patternType || !operation || !permission) return null;
  return {
    resourceType,
    resourceName: b.resourceName,
    patternType,
    principal: b.principal,
    host: b.host,
    operation,
    permission,
  };
}

function NoAuthorizer({ error }: { error: ApiRequestError }) {
  return (
    <div className="warn-note" role="status" data-testid="acls-unsupported">
      <p>
        <strong>This cluster has no ACL authorizer</strong> ({error.code}): it allows every request and keeps no ACLs.
        Kafka needs <code>authorizer.class.name</code> set; the bundled cluster gets one with{' '}
        <code>samsa serve --security sasl --acls</code>.
      </p>
      <p className="muted small">{error.message}</p>
    </div>
  );
}

function Filters({ filter, onChange }: { filter: AclFilter; onChange: (f: AclFilter) => void }) {
  const text = (k: 'resourceName' | 'principal' | 'host', label: string, placeholder: string) => (
    <label>
      {label}
      <input
        aria-label={`Filter ${label.toLowerCase()}`}
        value={filter[k] ?? ''}
        placeholder={placeholder}
        onChange={(e) => onChange({ ...filter, [k]: e.target.value })}
      />
    </label>
  );
  return (
    <div className="toolbar" role="group" aria-label="ACL filter">
      <label>
        Resource type
        <ChoiceSelect
          label="Filter resource type"
          values={ACL_FILTER_RESOURCE_TYPES}
          value={filter.resourceType ?? 'any'}
          onChange={(v) => onChange({ ...filter, resourceType: v })}
        />
      </label>
      {text('resourceName', 'Resource name', 'any')}
      <label title="match: every pattern that applies to the named resource (literal, prefixed, *)">
        Pattern type
        <ChoiceSelect
          label="Filter pattern type"
          values={ACL_FILTER_PATTERN_TYPES}
          value={filter.patternType ?? 'any'}
          onChange={(v) => onChange({ ...filter, patternType: v })}
        />
      </label>
      {text('principal', 'Principal', 'User:alice')}
      {text('host', 'Host', 'any')}
      <label>
        Operation
        <ChoiceSelect
          label="Filter operation"
          values={ACL_FILTER_OPERATIONS}
          value={filter.operation ?? 'any'}
          onChange={(v) => onChange({ ...filter, operation: v })}
        />
      </label>
      <label>
        Permission
        <ChoiceSelect
          label="Filter permission"
          values={ACL_FILTER_PERMISSIONS}
          value={filter.permission ?? 'any'}
          onChange={(v) => onChange({ ...filter, permission: v })}
        />
      </label>
      <button type="button" onClick={() => onChange({})}>
        Clear filter
      </button>
    </div>
  );
}

/** The list query only takes a principal that reads as User:name; a half-typed one filters nothing yet. */
const queryOf = (f: AclFilter): AclFilter => ({
  ...f,
  principal: f.principal && /^User:.+/.test(f.principal.trim()) ? f.principal : undefined,
});

export function AclsPage({ clusterId }: { clusterId: string }) {
  const [filter, setFilter] = useState<AclFilter>({});
  const acls = useAcls(clusterId, queryOf(filter));
  const del = useDeleteAcls(clusterId);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<AclBinding | null>(null);
  const unsupported =
    acls.error instanceof ApiRequestError &&
    (acls.error.code === 'SECURITY_DISABLED' || acls.error.code === 'UNSUPPORTED_VERSION')
      ? acls.error
      : null;
  const list = acls.data?.acls ?? [];
  const filtered = Object.values(queryOf(filter)).some((v) => v !== undefined && v !== '' && v !== 'any');
  const toDelete = deleting && exactFilter(deleting);

  return (
    <div className="page">
      <PageHeader
        title="ACLs"
        subtitle={acls.data ? `${list.length} ${filtered ? 'matching ' : ''}ACL bindings` : undefined}
        actions={
          <button className="primary" onClick={() => setCreating(true)} disabled={unsupported !== null}>
            Create ACL
          </button>
        }
      />
      {unsupported ? <NoAuthorizer error={unsupported} /> : <ErrorView error={acls.error} />}
      {!unsupported && (
        <>
          <Filters filter={filter} onChange={setFilter} />
          <table className="table" aria-label="ACLs">
            <thead>
              <tr>
                <th>Principal</th>
                <th>Permission</th>
                <th>Operation</th>
                <th>Resource type</th>
                <th>Pattern</th>
                <th>Resource name</th>
                <th>Host</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={describeBinding(b)} data-testid="acl-row">
                  <td>{b.principal}</td>
                  <td>
                    <span className={`badge ${b.permission === 'allow' ? 'ok' : 'bad'}`}>{b.permission}</span>
                  </td>
                  <td>{b.operation}</td>
                  <td>{b.resourceType}</td>
                  <td>{b.patternType}</td>
                  <td>
                    <code>{b.resourceName}</code>
                  </td>
                  <td>{b.host}</td>
                  <td className="num">
                    <button
                      className="ghost"
                      aria-label={`Delete ACL: ${describeBinding(b)}`}
                      disabled={!exactFilter(b)}
                      onClick={() => setDeleting(b)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
              {acls.data && list.length === 0 && (
                <tr>
                  <td colSpan={8} className="empty">
                    {filtered
                      ? 'No ACL matches this filter.'
                      : 'No ACLs. With an authorizer and no ACLs, only super users may do anything.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      {creating && <CreateAclDialog clusterId={clusterId} onClose={() => setCreating(false)} />}
      {deleting && toDelete && (
        <ConfirmDialog
          action="Delete"
          title="Delete ACL"
          busy={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(toDelete, { onSuccess: () => setDeleting(null) })}
          onClose={() => setDeleting(null)}
        >
          <p>{describeBinding(deleting)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
