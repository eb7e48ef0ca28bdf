// The IPC contract between a supervisor (`samsa serve`, the app) and the console server it runs
// as its own child process (main/console-child.ts), so that a console crash never takes the
// nodes down. The token travels over IPC, never on a command line (other users read
// /proc/<pid>/cmdline). Both ends parse what they receive.
import { z } from 'zod';
import { SaslSchema } from './clusters.ts';

export const ConsoleChildConfigSchema = z.object({
  type: z.literal('start'),
  /** the bundled (or --bootstrap) cluster's bootstrap servers */
  bootstrap: z.array(z.string()).min(1),
  bundledName: z.string(),
  /** How the console logs in to a bundled cluster started with --security: the admin user, and
   *  the local CA's certificate (PEM) to trust. Absent: PLAINTEXT. */
  bundledSecurity: z.object({ sasl: SaslSchema.optional(), tlsCa: z.string().optional() }).optional(),
  /** where the console keeps its clusters file; null keeps nothing */
  appDataDir: z.string().nullable(),
  /** the built renderer; null serves the API only */
  staticDir: z.string().nullable(),
  /** 0 on the first start; the first start's port on every restart, so the URL stays valid */
  port: z.number().int().min(0).max(65535),
  token: z.string().min(16),
  /** the data dir whose control endpoint drives the bundled cluster (ControlClient.open); null with --bootstrap */
  controlDataDir: z.string().nullable(),
});
export type ConsoleChildConfig = z.infer<typeof ConsoleChildConfigSchema>;

/** ready: loaded and waiting for its config (a warm spare); listening: serving; failed: could not start. */
export const ConsoleChildMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('listening'), port: z.number().int(), url: z.string(), pageUrl: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ConsoleChildMessage = z.infer<typeof ConsoleChildMessageSchema>;
