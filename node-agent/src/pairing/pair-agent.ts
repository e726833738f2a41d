import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { DEVICE_TYPES, StewardError, type DeviceType, type HomeNode } from '@steward/device-adapters';
import { FriendlyNameSchema, friendlyNameLanguage, normalizeCode, normalizeFingerprint, parsePairingUri } from '@steward/device-adapters/protocol/pairing.ts';
import { readNodeFile, writeAgentCredentials, writeNodeFile, type NodeFile } from './credentials-file.ts';
import { discoverHub } from './discovery.ts';
import { pairWithHub, type PairingTarget } from './exchange.ts';
import { loadOrCreateIdentity } from './identity.ts';
import { simulatedDevice } from './simulate.ts';

export interface PairAgentOptions {
  /** the digits the owner read out, or the QR payload (steward://pair?…) */
  code: string;
  dataDir: string;
  /** browse for the hub by mDNS on this interface only (needed unless the code is a QR payload or `hub` is given) */
  interface?: string;
  /** HOST:PORT of the hub's HTTPS listener, to skip discovery */
  hub?: string;
  /** a fingerprint read off the hub's screen, to pin without a QR code */
  fingerprint?: string;
  name?: string;
  kind?: HomeNode['kind'];
  /** declare (and later host) simulated devices of these types */
  simulate?: readonly DeviceType[];
  /** discovery modules to run (module specifiers; kept in node.json with their options) */
  discovery?: readonly string[];
  area?: string;
  timeScale?: number;
  discoveryTimeoutMs?: number;
  logger?: Logger;
}

export interface PairAgentResult {
  nodeId: string;
  hubId: string;
  host: string;
  httpsPort: number;
  mqttsPort: number;
  method: 'srp' | 'hmac';
  credentialsFile: string;
  devices: string[];
}

function parseHostPort(s: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw new StewardError('BAD_REQUEST', `--hub takes HOST:PORT, got ${s}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/**
 * Pairs this agent with a hub in one step: its identity (made on first use), the hub (QR payload, HOST:PORT, or mDNS
 * on one interface), the exchange, and the credentials file (0600). The devices in `<data-dir>/node.json` plus
 * the simulated ones asked for are declared to the hub.
 */
export async function pairAgent(opts: PairAgentOptions): Promise<PairAgentResult> {
  for (const [flag, value] of [['--name', opts.name], ['--area', opts.area]] as const) {
    const r = value === undefined ? undefined : FriendlyNameSchema.safeParse(value);
    if (r && !r.success) throw new StewardError('BAD_REQUEST', `${flag}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  opts = { ...opts, ...(opts.name !== undefined ? { name: opts.name.trim() } : {}), ...(opts.area !== undefined ? { area: opts.area.trim() } : {}) };
  const identity = loadOrCreateIdentity(opts.dataDir);
  let code: string;
  let target: PairingTarget;
  if (opts.code.startsWith('steward://')) {
    const uri = parsePairingUri(opts.code);
    code = uri.code;
    target = { endpoint: { host: uri.host, port: uri.port }, pin: { fingerprint: uri.fp, source: 'qr' }, hubId: uri.hub };
  } else {
    const c = normalizeCode(opts.code);
    if (!c) throw new StewardError('BAD_REQUEST', 'the pairing code is 8 to 12 digits (spaces and dashes are fine)');
    code = c;
    const pinned = opts.fingerprint === undefined ? undefined : normalizeFingerprint(opts.fingerprint);
    if (opts.fingerprint !== undefined && !pinned) throw new StewardError('BAD_REQUEST', '--fingerprint is 64 hex digits (colons allowed)');
    if (opts.hub) {
      // a fingerprint typed from the hub's screen is as authentic as a QR code; without one, SRP authenticates the hub
      target = { endpoint: parseHostPort(opts.hub), pin: pinned ? { fingerprint: pinned, source: 'qr' } : { source: 'none' } };
    } else {
      if (!opts.interface) throw new StewardError('BAD_REQUEST', 'give --interface IF to find the hub by mDNS (or --hub HOST:PORT, or the QR payload as the code)');
      const found = await discoverHub({ interfaceName: opts.interface, timeoutMs: opts.discoveryTimeoutMs ?? 10_000, ...(opts.logger ? { logger: opts.logger } : {}) });
      opts.logger?.info({ hub: found.txt.id, host: found.host, port: found.httpsPort }, 'hub found by mDNS');
      target = { endpoint: { host: found.host, port: found.httpsPort }, pin: { fingerprint: pinned ?? found.txt.fp, source: pinned ? 'qr' : 'mdns' }, hubId: found.txt.id };
    }
  }

  const existing = readNodeFile(opts.dataDir);
  const devices: NodeFile['devices'] = [...(existing?.devices ?? [])];
  const simulate = opts.simulate ?? [];
  for (const type of simulate) {
    // one device takes the node's --name ("Bedroom lamp"); several are told apart by their type ("Bedroom lamp fan")
    const name = opts.name === undefined ? undefined : simulate.length === 1 ? opts.name : `${opts.name} ${DEVICE_TYPES[type].words[friendlyNameLanguage(opts.name)][0]}`;
    const d = simulatedDevice(type, identity.nodeId, { ...(opts.area ? { area: opts.area } : {}), ...(opts.timeScale ? { timeScale: opts.timeScale } : {}), ...(name ? { name } : {}) });
    if (!devices.some((x) => x.descriptor.id === d.descriptor.id)) devices.push(d);
  }
  const node = { name: opts.name ?? existing?.name ?? hostname(), kind: opts.kind ?? existing?.kind ?? 'gateway' };
  const declared = devices.map((d) => ({ ...d.descriptor, state: d.state, ...(d.area ? { area: d.area } : {}) }));

  const result = await pairWithHub(target, code, identity, node, declared);
  const discovery = [...(existing?.discovery ?? [])];
  for (const module of opts.discovery ?? []) if (!discovery.some((d) => d.module === module)) discovery.push({ module, options: {} });
  writeNodeFile(opts.dataDir, { ...node, devices, discovery });
  const credentialsFile = writeAgentCredentials(opts.dataDir, {
    version: 1,
    nodeId: result.nodeId,
    hubId: result.hubId,
    hub: { host: result.host, httpsPort: result.httpsPort, mqttsPort: result.mqttsPort, fingerprint: result.fingerprint, certPem: result.certPem },
    mqtt: { username: result.username, password: result.password },
    ...(result.rpcSecret ? { rpcSecret: result.rpcSecret } : {}),
    pairedAt: new Date().toISOString(),
  });
  return {
    nodeId: result.nodeId,
    hubId: result.hubId,
    host: result.host,
    httpsPort: result.httpsPort,
    mqttsPort: result.mqttsPort,
    method: result.method,
    credentialsFile,
    devices: devices.map((d) => d.descriptor.id),
  };
}
