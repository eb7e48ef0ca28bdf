// A dialog around one form: Cancel and a submit button in the footer (Enter in a field submits
// too), the submit label while the request runs, and the request's error below the fields.
import { useId, type ReactNode } from 'react';
import { Dialog } from './dialog.tsx';
import { ErrorView } from './error-view.tsx';

export function FormDialog({
  title,
  onClose,
  onSubmit,
  submitLabel,
  pendingLabel,
  pending,
  disabled = false,
  error,
  wide,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The form is not ready to submit (e.g. a required field is empty). */
  disabled?: boolean;
  error: unknown;
  wide?: boolean;
  children: ReactNode;
}) {
  const formId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" form={formId} type="submit" disabled={pending || disabled}>
            {pending ? pendingLabel : submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending && !disabled) onSubmit();
        }}
      >
        {children}
        <ErrorView error={error} />
      </form>
    </Dialog>
  );
}
