// Confirmation of a delete that needs no typed name (an ACL binding, a credential): what goes is
// said in the body, Delete does it, and Kafka's refusal stays in the dialog.
import { Dialog } from './dialog.tsx';
import { ErrorView } from './error-view.tsx';

export function DeleteDialog({
  title,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="danger" disabled={busy} onClick={onConfirm}>
            {busy ? 'Deleting…' : 'Delete'}
          </button>
        </>
      }
    >
      {children}
      <ErrorView error={error} />
    </Dialog>
  );
}
