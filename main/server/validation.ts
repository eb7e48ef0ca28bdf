// Zod failures become one readable sentence naming the field, e.g. "partitions: Too small:
// expected number to be >=1", so the UI can show it as is.
import type { z } from 'zod';
import { ConsoleError } from '../kafka/errors.ts';

export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConsoleError('BAD_REQUEST', formatZodError(r.error), 400);
  return r.data;
}
