// Where the control endpoint of a data dir lives and the permission rules both of its ends
// enforce. <data-dir>/control/ (0700, owned by the user) holds the Unix socket `control.sock`
// (0600) and the token file `token` (0600): another account can neither connect to the socket
// nor read the token. A data dir whose path is too long for a socket address (~104 bytes) gets
// its socket in <tmpdir>/samsa-<uid>/ (0700) under a hash of the data dir instead; the token
// stays in the data dir. On Windows the socket is a named pipe (\\.\pipe\samsa-<hash>) and only
// the token protects it.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ControlPaths {
  dataDir: string;
  dir: string;
  socket: string;
  /** the folder of the socket when it is not `dir` (a long data dir path) */
  socketDir: string;
  tokenFile: string;
}

const MAX_SOCKET_PATH = 100; // sun_path is 108 bytes on Linux, 104 on macOS, with a NUL
const WINDOWS = process.platform === 'win32';

export function controlPaths(dataDir: string): ControlPaths {
  const abs = path.resolve(dataDir);
  const dir = path.join(abs, 'control');
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  const tokenFile = path.join(dir, 'token');
  if (WINDOWS) return { dataDir: abs, dir, socket: `\\\\.\\pipe\\samsa-${hash}`, socketDir: dir, tokenFile };
  const socket = path.join(dir, 'control.sock');
  if (Buffer.byteLength(socket) <= MAX_SOCKET_PATH) return { dataDir: abs, dir, socket, socketDir: dir, tokenFile };
  const socketDir = path.join(os.tmpdir(), `samsa-${process.getuid?.() ?? 'user'}`);
  return { dataDir: abs, dir, socket: path.join(socketDir, `${hash}.sock`), socketDir, tokenFile };
}

/**
 * Why `file` is not private to this user (wrong type, another owner, group or other
 * permission bits), or null when it is. `kind` is what it must be.
 */
export function notPrivate(file: string, kind: 'dir' | 'socket' | 'file'): string | null {
  if (WINDOWS) return null;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    return `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  const isKind = kind === 'dir' ? st.isDirectory() : kind === 'socket' ? st.isSocket() : st.isFile();
  if (!isKind) return `${file} is not a ${kind === 'file' ? 'regular file' : kind}`;
  const uid = process.getuid!();
  if (st.uid !== uid) return `${file} belongs to uid ${st.uid}, not to you (uid ${uid})`;
  if ((st.mode & 0o077) !== 0) {
    const want = kind === 'dir' ? '0700' : '0600';
    return `${file} has mode 0${(st.mode & 0o777).toString(8)}, which lets other users in; expected ${want}`;
  }
  return null;
}

/** The first reason the endpoint's files are not private, checking folders before what is in them. */
export function endpointNotPrivate(p: ControlPaths, withSocket: boolean): string | null {
  return (
    notPrivate(p.dir, 'dir') ??
    (p.socketDir !== p.dir ? notPrivate(p.socketDir, 'dir') : null) ??
    notPrivate(p.tokenFile, 'file') ??
    (withSocket ? notPrivate(p.socket, 'socket') : null)
  );
}

/** Creates `dir` as a private folder (0700), or makes an existing one of this user private. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (WINDOWS) return;
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (st.uid !== process.getuid!()) throw new Error(`${dir} belongs to uid ${st.uid}, not to you; refusing to put a control socket there`);
  fs.chmodSync(dir, 0o700);
}
