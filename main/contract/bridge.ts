// What the desktop app's preload hands the page (window.samsa): a way to ask the main process
// for the launch token over IPC. The answer crosses a process boundary, so it is parsed.
import { z } from 'zod';

export const BridgeSessionSchema = z.object({ token: z.string().min(16) });
export type BridgeSession = z.infer<typeof BridgeSessionSchema>;

/** The object the preload exposes as window.samsa. */
export interface SamsaBridge {
  session(): Promise<unknown>;
}
