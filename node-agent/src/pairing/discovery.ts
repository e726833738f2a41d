import { networkInterfaces } from 'node:os';
import type { RemoteInfo } from 'node:dgram';
import multicastDns from 'multicast-dns';
import type { Logger } from 'pino';
import { StewardError } from '@steward/device-adapters';
import { DiscoveryTxtSchema, MDNS_SERVICE_NAME, type DiscoveryTxt } from '@steward/device-adapters/protocol/pairing.ts';

export interface DiscoveredHub {
  /** the service instance name */
  instance: string;
  host: string;
  httpsPort: number;
  txt: DiscoveryTxt;
}

/** the IPv4 address of a named interface, which multicast-dns needs to stay on it */
export function interfaceAddress(name: string): string {
  const all = networkInterfaces();
  const v4 = all[name]?.find((i) => i.family === 'IPv4');
  if (!v4) throw new StewardError('BAD_REQUEST', all[name] ? `interface ${name} has no IPv4 address` : `no network interface ${name} (there are: ${Object.keys(all).join(', ')})`);
  return v4.address;
}

type Rec = { name: string; type: string; data: unknown };

function txtToRecord(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(data) ? data : [data]) {
    const s = Buffer.isBuffer(item) ? item.toString('utf8') : String(item);
    const i = s.indexOf('=');
    if (i > 0) out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/**
 * Browses `_steward._tcp` on one interface only (multicast-dns bound with `interface` = that interface's IPv4,
 * so queries never leave by the default route) and resolves with the first hub whose hints parse and match.
 * The hints are unauthenticated: they only say where to try; the pairing proof decides.
 */
export function discoverHub(opts: { interfaceName: string; timeoutMs?: number; requirePairingOpen?: boolean; hubId?: string; logger?: Logger }): Promise<DiscoveredHub> {
  const address = interfaceAddress(opts.interfaceName);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const mdns = multicastDns({ interface: address, bind: '0.0.0.0' });
  const srv = new Map<string, { port: number; target: string }>();
  const txt = new Map<string, Record<string, string>>();
  const a = new Map<string, string>();
  const seenFrom = new Map<string, string>();
  const rejected = new Set<string>();

  return new Promise<DiscoveredHub>((resolve, reject) => {
    const finish = (err: Error | undefined, hub?: DiscoveredHub) => {
      clearInterval(ask);
      clearTimeout(timer);
      mdns.removeAllListeners('response');
      mdns.destroy();
      if (err) reject(err);
      else resolve(hub!);
    };
    const query = () =>
      mdns.query({ questions: [{ name: MDNS_SERVICE_NAME, type: 'PTR' }] }, (err: Error | null) => {
        if (err) opts.logger?.debug({ err: err.message }, 'mDNS query failed');
      });
    const tryResolve = () => {
      for (const [instance, s] of srv) {
        const hints = txt.get(instance);
        if (!hints) continue;
        const parsed = DiscoveryTxtSchema.safeParse(hints);
        if (!parsed.success) {
          if (!rejected.has(instance)) opts.logger?.warn({ instance }, 'ignored a _steward._tcp service with malformed hints');
          rejected.add(instance);
          continue;
        }
        if (opts.hubId && parsed.data.id !== opts.hubId) continue;
        if (opts.requirePairingOpen !== false && parsed.data.pair !== '1') continue;
        const host = a.get(s.target) ?? seenFrom.get(instance);
        if (!host) continue;
        return finish(undefined, { instance, host, httpsPort: s.port, txt: parsed.data });
      }
    };
    mdns.on('response', (response: { answers: Rec[]; additionals: Rec[] }, rinfo: RemoteInfo) => {
      for (const r of [...response.answers, ...response.additionals]) {
        if (r.type === 'PTR' && r.name === MDNS_SERVICE_NAME) seenFrom.set(String(r.data), rinfo.address);
        else if (r.type === 'SRV') srv.set(r.name, r.data as { port: number; target: string });
        else if (r.type === 'TXT') txt.set(r.name, txtToRecord(r.data));
        else if (r.type === 'A') a.set(r.name, String(r.data));
        if ((r.type === 'SRV' || r.type === 'TXT') && !seenFrom.has(r.name)) seenFrom.set(r.name, rinfo.address);
      }
      tryResolve();
    });
    mdns.on('error', (e: Error) => finish(new StewardError('DRIVER_ERROR', `mDNS on ${opts.interfaceName} failed: ${e.message}`)));
    const timer = setTimeout(() => {
      const why = srv.size === 0 ? 'no hub answered' : opts.requirePairingOpen !== false ? 'no hub has a pairing window open' : 'no hub matched';
      finish(new StewardError('TIMEOUT', `no Steward hub found on ${opts.interfaceName} in ${timeoutMs} ms: ${why}`));
    }, timeoutMs);
    // ask again every second: the first query may go out before the interface or the hub is ready
    const ask = setInterval(query, 1000);
    mdns.on('ready', query);
  });
}
