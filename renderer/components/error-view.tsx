// Shows what went wrong in Kafka's own words (message + error code), never a stack trace.
import { ApiRequestError } from '../api/client.ts';

export function errorText(error: unknown): { code: string; message: string } {
  if (error instanceof ApiRequestError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'ERROR', message: error.message };
  }
  return { code: 'ERROR', message: String(error) };
}

export function ErrorView({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const { code, message } = errorText(error);
  return (
    <div className="error-banner" role="alert">
      {title && <strong>{title}: </strong>}
      <span className="error-message">{message}</span>
      <span className="error-code">{code}</span>
    </div>
  );
}
