import { networkInterfaces } from 'node:os';
import { StewardError } from '@steward/device-adapters';

/** the loopback interface's name (lo on Linux, lo0 on macOS) */
export function loopbackInterface(): string {
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    if (infos?.some((i) => i.internal && i.family === 'IPv4')) return name;
  }
  return 'lo';
}

/** the first IPv4 address of an interface; a clear error when it has none or does not exist */
export function ipv4Of(name: string): string {
  const all = networkInterfaces();
  const infos = all[name];
  if (!infos) throw new StewardError('BAD_REQUEST', `no network interface ${name} (there are: ${Object.keys(all).join(', ')})`);
  const v4 = infos.find((i) => i.family === 'IPv4');
  if (!v4) throw new StewardError('BAD_REQUEST', `network interface ${name} has no IPv4 address`);
  return v4.address;
}
