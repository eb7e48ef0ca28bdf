// The one error shape every route and stream returns, so the UI can always show Kafka's own words
// (e.g. "Topic name is illegal, it contains a character other than ASCII alphanumerics...")
// and never a stack trace.
import { z } from 'zod';

export const ApiErrorSchema = z.object({
  error: z.object({
    /** Kafka error name (INVALID_TOPIC_EXCEPTION), or a console code (BAD_REQUEST, NOT_FOUND...). */
    code: z.string(),
    message: z.string(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof OkSchema>;
