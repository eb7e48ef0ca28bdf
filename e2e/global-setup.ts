// Builds the console UI once before the workers start their `samsa serve` processes.
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';

export default async function globalSetup(): Promise<void> {
  await ensureRendererBuilt((line) => console.log(line));
}
