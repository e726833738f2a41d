/** Which speech tools this machine has: voice stays off, with a message saying what to install, without them. */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** the executable's path when it is on PATH (or is an absolute path to an executable) */
export function findExecutable(name: string): string | undefined {
  const candidates = isAbsolute(name) ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const DEBIAN_PACKAGES: Record<string, string> = {
  pocketsphinx_batch: 'pocketsphinx',
  ffmpeg: 'ffmpeg',
  'espeak-ng': 'espeak-ng',
};

/** the Debian packages missing for the given tools and files, in install order */
export function missingPackages(tools: Record<string, string>, files: Record<string, string> = {}): string[] {
  const missing: string[] = [];
  for (const [name, bin] of Object.entries(tools)) if (!findExecutable(bin)) missing.push(DEBIAN_PACKAGES[name] ?? name);
  for (const [pkg, file] of Object.entries(files)) if (!existsSync(file)) missing.push(pkg);
  return [...new Set(missing)];
}
