import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Environment, Logger } from '@matter/main';
import type { DiscoveryContext } from '@steward/device-adapters';

/**
 * The matter.js environment of this process: its storage (the fabric: root certificate authority, operational
 * keys, commissioned nodes) in `<dataDir>/matter`, its mDNS on one interface when asked, and its log lines routed
 * to the node's logger at warning level and above (matter.js's debug output carries session material).
 */
export function matterEnvironment(storageDir: string, options: { mdnsInterface?: string }, log: DiscoveryContext['log']): Environment {
  // matter.js writes its files (and rewrites them through temp files) with the process umask: owner-only from here
  // on, for this process's new files (the agent's own are owner-only already)
  process.umask(process.umask(0o077) | 0o077);
  mkdirSync(storageDir, { recursive: true, mode: 0o700 });
  chmodSync(storageDir, 0o700);
  const env = Environment.default;
  env.vars.set('storage.path', storageDir);
  if (options.mdnsInterface) env.vars.set('mdns.networkInterface', options.mdnsInterface);
  Logger.level = 'warn';
  Logger.format = 'plain';
  const destination = Logger.destinations.default;
  if (destination) destination.write = (text: string, message: { level: number; facility: string }) => {
    const entry = { facility: message.facility, matter: text.slice(0, 2000) };
    if (message.level >= 4) log.error(entry, 'matter.js');
    else log.warn(entry, 'matter.js');
  };
  return env;
}

/** Keeps every file of the fabric store owner-only (matter.js writes them with the process umask). */
export function tightenPermissions(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isDirectory()) {
        if ((st.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
        tightenPermissions(path);
      } else if ((st.mode & 0o777) !== 0o600) chmodSync(path, 0o600);
    } catch {
      // a file replaced while we walked: the next pass gets it
    }
  }
}
