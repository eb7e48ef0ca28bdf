// Confirmation for destructive actions: with `name`, the user types the resource name, as Kafka
// tools and cloud consoles do, so a mis-click never deletes a topic; without it (an ACL binding,
// a credential: nothing short to type) the body says what goes and the action button does it.
import { useState } from 'react';
import { Dialog } from './dialog.tsx';
import { ErrorView } from './error-view.tsx';

export function ConfirmDialog({
  title,
  name,
  action,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  name?: string;
  action: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  children?: React.ReactNode;
}) {
  const [typed, setTyped] = useState('');
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="danger" disabled={(name !== undefined && typed !== name) || busy} onClick={onConfirm}>
            {busy ? 'Working…' : action}
          </button>
        </>
      }
    >
      {children}
      {name !== undefined && (
        <label className="field">
          <span>
            Type <code>{name}</code> to confirm
          </span>
          <input
            aria-label="Confirm name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
        </label>
      )}
      <ErrorView error={error} />
    </Dialog>
  );
}
