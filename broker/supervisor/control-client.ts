// Client of a supervisor's control endpoint (control-endpoint.ts), used by `samsa node ...` and by
// the console server. It finds the endpoint from the data dir alone, refuses to send the token
// to an endpoint whose files are not private to this user (someone could be listening in), and
// parses every answer with the control contract.

import fs from 'node:fs';
import http from 'node:http';
import {
  ControlErrorBodySchema,
  responseSchema,
  type ControlOp,
  type ControlRequest,
  type ControlResponse,
} from '../../main/contract/control.ts';
import { ControlError } from './control-error.ts';
import { controlPaths, endpointNotPrivate, type ControlPaths } from './control-files.ts';

const noCluster = (p: ControlPaths) => new ControlError('UNAVAILABLE', `no cluster is running on ${p.dataDir}`);

export class ControlClient {
  private constructor(
    readonly paths: ControlPaths,
    private readonly token: string,
  ) {}

  /** Throws a ControlError saying why the endpoint of `dataDir` cannot be used. */
  static open(dataDir: string): ControlClient {
    const paths = controlPaths(dataDir);
    if (!fs.existsSync(paths.tokenFile)) throw noCluster(paths);
    if (process.platform !== 'win32' && !fs.existsSync(paths.socket)) throw noCluster(paths);
    const why = endpointNotPrivate(paths, true);
    if (why) throw new ControlError('FORBIDDEN', `refusing to use the control endpoint of ${paths.dataDir}: ${why}`);
    return new ControlClient(paths, fs.readFileSync(paths.tokenFile, 'utf8').trim());
  }

  /** `signal` abandons the call (a long poll of `events` when its reader goes away). */
  call<O extends ControlOp>(op: O, req: ControlRequest<O>, timeoutMs = 90_000, signal?: AbortSignal): Promise<ControlResponse<O>> {
    const body = JSON.stringify(req);
    const schema = responseSchema[op];
    return new Promise((resolve, reject) => {
      const r = http.request(
        {
          socketPath: this.paths.socket,
          method: 'POST',
          path: `/control/${op}`,
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
          agent: false, // one connection per call: no reuse of a connection the server is closing
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            try {
              const json: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (res.statusCode === 200) return resolve(schema.parse(json));
              const { error } = ControlErrorBodySchema.parse(json);
              reject(new ControlError(error.code, error.message));
            } catch (e) {
              reject(new ControlError('INTERNAL', `unreadable answer from the control endpoint (HTTP ${res.statusCode}): ${(e as Error).message}`));
            }
          });
        },
      );
      r.on('timeout', () => r.destroy(new ControlError('UNAVAILABLE', `the supervisor did not answer ${op} within ${timeoutMs / 1000} s`)));
      r.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') reject(noCluster(this.paths));
        else reject(e);
      });
      r.end(body);
    });
  }
}
