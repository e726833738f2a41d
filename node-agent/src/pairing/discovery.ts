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

type Rec = { name: string; type: string; ttl?: number; data: unknown };

function txtToRecord(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(data) ? data : [data]) {
    const s = Buffer.isBuffer(item) ? item.toString('utf8') : String(item);
    const i = s.indexOf('=');
    if (i > 0) out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/** what one `_steward._tcp` instance has said so far (the newest of each record wins; a goodbye removes it) */
interface Seen {
  srv?: { port: number; target: string };
  txt?: Record<string, string>;
  /** the address its records came from (when no A record names its host) */
  from?: string;
}

/** how often a hub that is seen but not (yet) pairable is asked for its hints again, by name */
const RECHECK_MS = 250;

/**
 * Browses `_steward._tcp` on one interface only (multicast-dns bound with `interface` = that interface's IPv4,
 * so queries never leave by the default route) and resolves with the first hub whose hints parse and match.
 * The hints are unauthenticated: they only say where to try; the pairing proof decides.
 *
 * Why a freshly opened window could go unseen (issue 9): the agent learnt `pair=1` only from answers to its PTR
 * browse and from ciao's one unsolicited update. Answers to a browse (a shared record) are built when the question
 * arrives and sent 20-120 ms later, or held up to 500 ms more to be aggregated, so one built before the window opened
 * can land after the update and leave `pair=0` as the last word until the next browse is answered the same way; ciao
 * sends the update once (RFC 6762 8.4 asks for two; the advertiser now repeats it); goodbyes (TTL 0) were kept as
 * live records. Now a hub that is seen but not pairable is asked by name for its TXT record every 250 ms (a unique
 * record, one question: answered at once, from the records as they are now), goodbyes remove what they name, and the
 * error says what was last heard from each hub.
 */
export function discoverHub(opts: { interfaceName: string; timeoutMs?: number; requirePairingOpen?: boolean; hubId?: string; logger?: Logger }): Promise<DiscoveredHub> {
  const address = interfaceAddress(opts.interfaceName);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const requireOpen = opts.requirePairingOpen !== false;
  const mdns = multicastDns({ interface: address, bind: '0.0.0.0' });
  const seen = new Map<string, Seen>();
  const a = new Map<string, string>();
  const rejected = new Set<string>();
  const entry = (name: string): Seen => {
    let e = seen.get(name);
    if (!e) seen.set(name, (e = {}));
    return e;
  };

  return new Promise<DiscoveredHub>((resolve, reject) => {
    const finish = (err: Error | undefined, hub?: DiscoveredHub) => {
      clearInterval(browse);
      clearInterval(recheck);
      clearTimeout(timer);
      mdns.removeAllListeners('response');
      mdns.destroy();
      if (err) reject(err);
      else resolve(hub!);
    };
    const send = (questions: { name: string; type: 'PTR' | 'TXT' | 'SRV' }[]) =>
      mdns.query({ questions }, (err: Error | null) => {
        if (err) opts.logger?.debug({ err: err.message }, 'mDNS query failed');
      });
    const hintsOf = (instance: string, e: Seen) => {
      if (!e.txt) return undefined;
      const parsed = DiscoveryTxtSchema.safeParse(e.txt);
      if (parsed.success) return parsed.data;
      if (!rejected.has(instance)) opts.logger?.warn({ instance }, 'ignored a _steward._tcp service with malformed hints');
      rejected.add(instance);
      return undefined;
    };
    /** instances worth asking by name: seen, of the hub asked for, but without usable hints or with the window closed */
    const waiting = () =>
      [...seen].filter(([instance, e]) => {
        const hints = hintsOf(instance, e);
        if (hints && opts.hubId && hints.id !== opts.hubId) return false;
        return !e.srv || !hints || (requireOpen && hints.pair !== '1');
      });
    const tryResolve = () => {
      for (const [instance, e] of seen) {
        const hints = hintsOf(instance, e);
        if (!e.srv || !hints) continue;
        if (opts.hubId && hints.id !== opts.hubId) continue;
        if (requireOpen && hints.pair !== '1') continue;
        const host = a.get(e.srv.target) ?? e.from;
        if (!host) continue;
        return finish(undefined, { instance, host, httpsPort: e.srv.port, txt: hints });
      }
    };
    mdns.on('response', (response: { answers: Rec[]; additionals: Rec[] }, rinfo: RemoteInfo) => {
      for (const r of [...response.answers, ...response.additionals]) {
        const goodbye = r.ttl === 0;
        if (r.type === 'PTR' && r.name === MDNS_SERVICE_NAME) {
          if (goodbye) seen.delete(String(r.data));
          else entry(String(r.data)).from ??= rinfo.address;
        } else if (r.type === 'SRV' || r.type === 'TXT') {
          if (goodbye) {
            const e = seen.get(r.name);
            if (e) delete e[r.type === 'SRV' ? 'srv' : 'txt'];
            continue;
          }
          const e = entry(r.name);
          e.from = rinfo.address;
          if (r.type === 'SRV') e.srv = r.data as { port: number; target: string };
          else e.txt = txtToRecord(r.data);
        } else if (r.type === 'A') {
          if (goodbye) a.delete(r.name);
          else a.set(r.name, String(r.data));
        }
      }
      tryResolve();
    });
    mdns.on('error', (e: Error) => finish(new StewardError('DRIVER_ERROR', `mDNS on ${opts.interfaceName} failed: ${e.message}`)));
    const timer = setTimeout(() => {
      const hubs = [...seen].map(([instance, e]) => {
        const hints = hintsOf(instance, e);
        return hints ? `${hints.id} (pair=${hints.pair})` : `${instance} (${e.txt ? 'malformed hints' : 'no hints yet'})`;
      });
      const why =
        seen.size === 0 ? 'no hub answered' : requireOpen ? `no hub has a pairing window open (heard: ${hubs.join(', ')})` : `no hub matched (heard: ${hubs.join(', ')})`;
      finish(new StewardError('TIMEOUT', `no Steward hub found on ${opts.interfaceName} in ${timeoutMs} ms: ${why}`));
    }, timeoutMs);
    // browse again every second: the first query may go out before the interface or the hub is ready
    const browse = setInterval(() => send([{ name: MDNS_SERVICE_NAME, type: 'PTR' }]), 1000);
    // a hub seen but not pairable yet: its current TXT (and SRV), one question per packet so it is answered at once
    const recheck = setInterval(() => {
      for (const [instance, e] of waiting()) {
        send([{ name: instance, type: 'TXT' }]);
        if (!e.srv) send([{ name: instance, type: 'SRV' }]);
      }
    }, RECHECK_MS);
    mdns.on('ready', () => send([{ name: MDNS_SERVICE_NAME, type: 'PTR' }]));
  });
}
