// The one place a thrown error becomes the `{ error: { code, message } }` a client sees, for
// HTTP routes and stream jobs alike. Kafka's and the console's own errors go out as they are;
// anything unexpected (a bug, a file system error with an absolute path in it) goes out as a
// generic sentence with an error id, and the details are logged under that id.
import { randomBytes } from 'node:crypto';
import { toErrorBody, type ErrorBody } from '../kafka/errors.ts';

export type Log = (line: string) => void;

export function errorReply(err: unknown, log: Log, where = ''): ErrorBody {
  const reply = toErrorBody(err);
  const prefix = where ? `${where}: ` : '';
  if (!reply.unexpected) {
    if (reply.status >= 500) log(`${prefix}${reply.body.error.code} ${reply.body.error.message}`);
    return reply;
  }
  const id = randomBytes(4).toString('hex');
  const details = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`${prefix}error ${id}: ${reply.body.error.message}\n${details}`);
  return {
    status: reply.status,
    body: { error: { code: reply.body.error.code, message: `Unexpected error in the console server (error id ${id}). The details are in the console's log.` } },
  };
}
