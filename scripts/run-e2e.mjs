// `npm run test:e2e`: runs the Playwright specs in e2e/ (see playwright.config.ts); extra
// arguments go to `playwright test` (e.g. a spec file or --headed).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('@playwright/test/cli');
const r = spawnSync(process.execPath, [cli, 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
