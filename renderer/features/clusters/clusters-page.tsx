// Clusters the console knows: the bundled one and remote Kafka clusters the user adds
// (bootstrap servers, optional SASL and TLS). Selecting one scopes every other screen.
import { useState } from 'react';
import { saslPlaintextWarning } from '../../../main/contract/index.ts';
import { useAddCluster, useClusters, useRemoveCluster, useSession } from '../../api/cluster.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useUiStore } from '../../stores/ui-store.ts';

type Mechanism = 'none' | 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export function ClustersPage() {
  const clusters = useClusters();
  const session = useSession();
  const add = useAddCluster();
  const remove = useRemoveCluster();
  const { clusterId, setClusterId } = useUiStore();
  const [name, setName] = useState('');
  const [bootstrap, setBootstrap] = useState('');
  const [mechanism, setMechanism] = useState<Mechanism>('none');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState(false);
  const [insecure, setInsecure] = useState(false);
  const [ca, setCa] = useState<{ name: string; pem: string } | null>(null);

  const plainWarning =
    mechanism === 'none' ? null : saslPlaintextWarning({ sasl: { mechanism }, tls, bootstrap: bootstrap.split(',').map((b) => b.trim()) });

  const submit = () =>
    add.mutate(
      {
        name,
        bootstrap,
        tls,
        tlsInsecure: tls && insecure,
        ...(tls && ca ? { tlsCa: ca.pem } : {}),
        ...(mechanism === 'none' ? {} : { sasl: { mechanism, username, password } }),
      },
      {
        onSuccess: (c) => {
          setName('');
          setBootstrap('');
          setPassword('');
          setClusterId(c.id);
        },
      },
    );

  return (
    <div className="page">
      <PageHeader title="Clusters" subtitle="The bundled cluster and any Kafka cluster you add" />
      <ErrorView error={clusters.error} />
      <ErrorView error={remove.error} />
      <table className="table" aria-label="Clusters">
        <thead>
          <tr>
            <th>Name</th>
            <th>Bootstrap servers</th>
            <th>Security</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {(clusters.data?.clusters ?? []).map((c) => (
            <tr key={c.id} className={c.id === clusterId ? 'highlight' : ''}>
              <td>
                {c.name} {c.bundled && <span className="badge info">bundled</span>}
              </td>
              <td className="mono">{c.bootstrap.join(', ')}</td>
              <td>
                {[c.saslMechanism ? `SASL ${c.saslMechanism}` : null, c.tls ? 'TLS' : null].filter(Boolean).join(' + ') || 'plaintext'}
                {c.warnings.map((w) => (
                  <div key={w} className="warn-note small">
                    {w}
                  </div>
                ))}
              </td>
              <td className="row-actions">
                {c.id !== clusterId && (
                  <button className="ghost" onClick={() => setClusterId(c.id)}>
                    Select
                  </button>
                )}
                {!c.bundled && (
                  <button className="ghost danger" aria-label={`Remove cluster ${c.name}`} onClick={() => remove.mutate(c.id)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="section">Add a cluster</h2>
      <form
        className="card form-card"
        aria-label="Add a cluster"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="grid-2">
          <label className="field">
            <span>Name</span>
            <input aria-label="Cluster name" value={name} onChange={(e) => setName(e.target.value)} placeholder="staging" />
          </label>
          <label className="field">
            <span>Bootstrap servers</span>
            <input aria-label="Bootstrap servers" value={bootstrap} onChange={(e) => setBootstrap(e.target.value)} placeholder="broker1:9092,broker2:9092" />
          </label>
          <label className="field">
            <span>SASL</span>
            <select aria-label="SASL mechanism" value={mechanism} onChange={(e) => setMechanism(e.target.value as Mechanism)}>
              <option value="none">None</option>
              <option>PLAIN</option>
              <option>SCRAM-SHA-256</option>
              <option>SCRAM-SHA-512</option>
            </select>
          </label>
          <div className="field checks">
            <label className="check">
              <input type="checkbox" checked={tls} onChange={(e) => setTls(e.target.checked)} /> TLS
            </label>
            {tls && (
              <label className="check">
                <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} /> accept self-signed certificates
              </label>
            )}
            {tls && (
              <label className="field">
                <span>Trust this CA (PEM){ca ? `: ${ca.name}` : ''}</span>
                <input
                  aria-label="CA certificate file"
                  type="file"
                  accept=".pem,.crt,.cer"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (!f) return setCa(null);
                    void f.text().then((pem) => setCa({ name: f.name, pem }));
                  }}
                />
              </label>
            )}
          </div>
          {mechanism !== 'none' && (
            <>
              <label className="field">
                <span>Username</span>
                <input aria-label="SASL username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
              </label>
              <label className="field">
                <span>Password</span>
                <input aria-label="SASL password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
              </label>
            </>
          )}
        </div>
        {plainWarning && (
          <p className="warn-note" role="note">
            {plainWarning}
          </p>
        )}
        <ErrorView error={add.error} />
        <div className="form-actions">
          <button className="primary" type="submit" disabled={add.isPending}>
            Add cluster
          </button>
          <span className="muted small" data-testid="password-storage">
            {session.data?.passwordStorage === 'os-encrypted'
              ? 'Passwords are saved encrypted with a key from your operating system, in a file only you can read.'
              : 'Passwords are saved unencrypted, in a file only you can read (clusters.json in the console data folder): encrypted storage needs the desktop app with an OS keyring.'}
          </span>
        </div>
      </form>
    </div>
  );
}
