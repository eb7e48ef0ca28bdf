// The one place a thrown error becomes the `{ error: { code, message } }` a client sees, for
// HTTP routes and stream jobs alike; server-side failures are logged.
import { toErrorBody, type ErrorBody } from '../kafka/errors.ts';

export type Log = (line: string) => void;

export function errorReply(err: unknown, log: Log, where = ''): ErrorBody {
  const reply = toErrorBody(err);
  if (reply.status >= 500) log(`${where ? `${where}: ` : ''}${reply.body.error.code} ${reply.body.error.message}`);
  return reply;
}
