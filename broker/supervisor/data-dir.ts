// The per-user application data folder, where clusters keep their data unless --data-dir says
// otherwise (restart keeps data).

import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(name: string): string {
  const home = os.homedir();
  const base =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'));
  return path.join(base, 'samsa', name);
}
