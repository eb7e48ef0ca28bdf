// Node built-ins a node or the supervisor needs only sometimes, loaded on first use (decision
// 0033): node:tls only on a cluster with TLS on, node:zlib only for a gzip-compressed batch,
// node:v8 and node:vm only for the request budget's full collection after a flood.
// Through require, not an ES import: a static import loads them in every process, and an ES
// import of a built-in builds its namespace by reading every export, which for node:tls includes
// tls.rootCertificates (~150 PEM strings parsed into the heap). Each accessor returns the same
// module object an import would.

import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import type * as V8 from 'node:v8';
import type * as Vm from 'node:vm';
import type * as Zlib from 'node:zlib';

const load = createRequire(import.meta.url);

let tls: typeof Tls | undefined;
let zlib: typeof Zlib | undefined;
let v8: typeof V8 | undefined;
let vm: typeof Vm | undefined;

export const nodeTls = (): typeof Tls => (tls ??= load('node:tls'));
export const nodeZlib = (): typeof Zlib => (zlib ??= load('node:zlib'));
export const nodeV8 = (): typeof V8 => (v8 ??= load('node:v8'));
export const nodeVm = (): typeof Vm => (vm ??= load('node:vm'));
