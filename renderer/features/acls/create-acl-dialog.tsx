// Create one ACL binding in Kafka's vocabulary, as kafka-acls.sh --add takes it: a resource
// pattern (type, name, literal or prefixed) and an entry (principal, host, operation, allow/deny).
// The contract checks the input (User:name, kafka-cluster); Kafka's own refusal shows as is.
import { useState } from 'react';
import {
  ACL_OPERATIONS,
  ACL_PATTERN_TYPES,
  ACL_PERMISSIONS,
  ACL_RESOURCE_TYPES,
  CLUSTER_RESOURCE_NAME,
  type CreateAclRequest,
} from '../../../main/contract/index.ts';
import { useCreateAcl } from '../../api/security.ts';
import { FormDialog } from '../../components/form-dialog.tsx';
import { ChoiceSelect } from '../../components/choice-select.tsx';

type ResourceType = (typeof ACL_RESOURCE_TYPES)[number];

export function CreateAclDialog({ clusterId, onClose }: { clusterId: string; onClose: () => void }) {
  const create = useCreateAcl(clusterId);
  const [form, setForm] = useState<Required<CreateAclRequest>>({
    resourceType: 'topic',
    resourceName: '',
    patternType: 'literal',
    principal: 'User:',
    host: '*',
    operation: 'read',
    permission: 'allow',
  });
  const set = <K extends keyof CreateAclRequest>(k: K, v: Required<CreateAclRequest>[K]) =>
    setForm((f) => ({ ...f, [k]: v }));
  const setType = (t: ResourceType) =>
    setForm((f) =>
      t === 'cluster'
        ? { ...f, resourceType: t, resourceName: CLUSTER_RESOURCE_NAME, patternType: 'literal' }
        : { ...f, resourceType: t, resourceName: f.resourceName === CLUSTER_RESOURCE_NAME ? '' : f.resourceName },
    );
  const isCluster = form.resourceType === 'cluster';
  return (
    <FormDialog
      title="Create ACL"
      onClose={onClose}
      onSubmit={() => create.mutate(form, { onSuccess: onClose })}
      submitLabel="Create"
      pendingLabel="Creating…"
      pending={create.isPending}
      error={create.error}
    >
        <div className="grid-2">
          <label className="field">
            <span>Resource type</span>
            <ChoiceSelect
              label="Resource type"
              values={ACL_RESOURCE_TYPES}
              value={form.resourceType}
              onChange={setType}
            />
          </label>
          <label className="field">
            <span>Pattern type</span>
            <ChoiceSelect
              label="Pattern type"
              values={ACL_PATTERN_TYPES}
              value={form.patternType}
              disabled={isCluster}
              onChange={(v) => set('patternType', v)}
            />
          </label>
        </div>
        <label className="field">
          <span>
            Resource name {form.patternType === 'prefixed' ? '(prefix)' : '(* for every resource of this type)'}
          </span>
          <input
            aria-label="Resource name"
            value={form.resourceName}
            readOnly={isCluster}
            onChange={(e) => set('resourceName', e.target.value)}
            placeholder="orders"
            autoComplete="off"
          />
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Principal</span>
            <input
              aria-label="Principal"
              value={form.principal}
              onChange={(e) => set('principal', e.target.value)}
              placeholder="User:alice"
              autoComplete="off"
            />
          </label>
          <label className="field">
            <span>Host</span>
            <input
              aria-label="Host"
              value={form.host}
              onChange={(e) => set('host', e.target.value)}
              autoComplete="off"
            />
          </label>
        </div>
        <div className="grid-2">
          <label className="field">
            <span>Operation</span>
            <ChoiceSelect
              label="Operation"
              values={ACL_OPERATIONS}
              value={form.operation}
              onChange={(v) => set('operation', v)}
            />
          </label>
          <label className="field">
            <span>Permission</span>
            <ChoiceSelect
              label="Permission"
              values={ACL_PERMISSIONS}
              value={form.permission}
              onChange={(v) => set('permission', v)}
            />
          </label>
        </div>
    </FormDialog>
  );
}
