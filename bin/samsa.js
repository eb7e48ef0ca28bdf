#!/usr/bin/env node
// The `samsa` command. Runs the TypeScript sources through tsx, so `npm ci` is the only setup.
import { register } from 'tsx/esm/api';

register();
await import('../broker/cli.ts');
