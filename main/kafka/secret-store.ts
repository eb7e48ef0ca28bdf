// How remote-cluster passwords are kept on disk. In the desktop app, Electron's safeStorage
// seals them with a key from the OS (Keychain, DPAPI, libsecret/kwallet). Elsewhere (`samsa
// serve`), or on a Linux desktop without a keyring (safeStorage's 'basic_text' backend uses a
// hard-coded key, which protects nothing), there is no such key: passwords stay in plain text
// in a file only the user can read, and the UI says so next to the password field.

export interface SecretStore {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/** null when safeStorage cannot really protect a secret on this machine. */
export function safeStorageSecrets(safeStorage: SafeStorageLike): SecretStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
