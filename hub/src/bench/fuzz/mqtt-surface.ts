import mqtt, { type MqttClient } from 'mqtt';
import { RPC_METHODS, topics, type Home } from '@steward/device-adapters';
import type { Prng } from './prng.ts';
import { VALUE_KINDS, hostile } from './values.ts';

/**
 * Hostile MQTT payloads on every topic the hub (homie/5/#, steward/1/+/rpc/+/res) and the agents (their RPC
 * requests and /set) subscribe to, from three principals: an authenticated node (the demo's credentials for one
 * node, `victim`: a node's client id is fixed, so this client takes over that agent's session now and then), a
 * controller (credentials from POST /api/mqtt-credentials) and anonymous clients (refused at CONNECT).
 * A refused publish closes the client's connection (MQTT 3.1.1 cannot refuse one message): it reconnects lazily.
 */
export interface MqttTarget {
  topic: string;
  valid: unknown;
}

export function mqttTargets(home: Home): { byNode: Map<string, MqttTarget[]>; sets: MqttTarget[]; all: MqttTarget[] } {
  const byNode = new Map<string, MqttTarget[]>();
  const sets: MqttTarget[] = [];
  for (const node of home.nodes) {
    const list: MqttTarget[] = [
      { topic: topics.state(node.id), valid: 'ready' },
      { topic: topics.description(node.id), valid: { homie: '5.0', version: 1, name: node.id, nodes: {} } },
      ...RPC_METHODS.flatMap((m) => [
        { topic: topics.rpcRequest(node.id, m), valid: { id: 'r1', method: m, params: { deviceId: 'x', command: 'turnOn', params: {} } } },
        { topic: topics.rpcResponse(node.id, m), valid: { id: 'r1', ok: true, result: {} } },
      ]),
    ];
    for (const d of home.devices.filter((x) => x.node === node.id)) {
      for (const [field, value] of Object.entries(d.state ?? {})) {
        list.push({ topic: topics.property(node.id, d.id, field), valid: value });
        list.push({ topic: topics.target(node.id, d.id, field), valid: value });
        const set = { topic: topics.set(node.id, d.id, field), valid: value };
        list.push(set);
        sets.push(set);
      }
    }
    byNode.set(node.id, list);
  }
  // the hub reads all of homie/5/#: topics no node announced too (an unknown node, a broadcast, deeper levels)
  const stray: MqttTarget[] = [
    { topic: topics.state('fuzz-unknown-node'), valid: 'ready' },
    { topic: 'homie/5/$broadcast/alert', valid: 'x' },
    { topic: `homie/5/${home.nodes[0]?.id ?? 'n'}/x/y/z/w`, valid: 1 },
    { topic: `homie/5/${home.nodes[0]?.id ?? 'n'}/$state/extra`, valid: 'ready' },
    { topic: 'steward/1/fuzz-unknown-node/rpc/command/res', valid: { id: 'r1', ok: true, result: {} } },
  ];
  return { byNode, sets, all: [...[...byNode.values()].flat(), ...stray] };
}

type Principal = 'node' | 'controller' | 'anonymous';

export class MqttSurface {
  private clients = new Map<Principal, MqttClient>();
  private readonly targets: ReturnType<typeof mqttTargets>;

  private connects = 0;

  constructor(
    home: Home,
    private readonly opts: { port: number; victim: string; node: { username: string; password: string }; controller: { username: string; password: string } },
  ) {
    this.targets = mqttTargets(home);
  }

  private connecting = new Map<Principal, Promise<MqttClient | undefined>>();

  /** the principal's live client; concurrent inputs share one (re)connection */
  private client(who: Exclude<Principal, 'anonymous'>): Promise<MqttClient | undefined> {
    const c = this.clients.get(who);
    if (c?.connected) return Promise.resolve(c);
    let pending = this.connecting.get(who);
    if (!pending) {
      pending = this.connect(who).finally(() => this.connecting.delete(who));
      this.connecting.set(who, pending);
    }
    return pending;
  }

  private async connect(who: Exclude<Principal, 'anonymous'>): Promise<MqttClient | undefined> {
    const c = this.clients.get(who);
    c?.end(true);
    this.clients.delete(who);
    const login = who === 'node' ? this.opts.node : this.opts.controller;
    const clientId = who === 'node' ? `steward-agent-${this.opts.victim}` : `fuzz-controller-${++this.connects}`;
    const next = mqtt.connect(`mqtt://127.0.0.1:${this.opts.port}`, { ...login, clientId, reconnectPeriod: 0, connectTimeout: 5000 });
    next.on('error', () => undefined);
    // every worker waiting on a publish listens for 'close' on this shared client
    next.setMaxListeners(256);
    const ok = await new Promise<boolean>((resolve) => {
      next.once('connect', () => resolve(true));
      next.once('close', () => resolve(false));
    });
    if (!ok) {
      next.end(true);
      return undefined;
    }
    this.clients.set(who, next);
    return next;
  }

  private pickTarget(p: Prng, who: Principal): MqttTarget {
    // mostly topics the principal may publish to (a refusal costs a reconnect: a password check), sometimes any
    if (who === 'node' && p.chance(0.97)) return p.pick(this.targets.byNode.get(this.opts.victim)!);
    if (who === 'controller' && p.chance(0.97)) return p.pick(this.targets.sets);
    return p.pick(this.targets.all);
  }

  /** one hostile input; resolves when the broker took it (QoS 1), refused it, or the connection closed */
  async send(p: Prng): Promise<string> {
    const who: Principal = p.pick(['node', 'node', 'controller', 'controller', 'anonymous'] as const);
    const target = this.pickTarget(p, who);
    const kind = p.pick(VALUE_KINDS);
    const payload = hostile(p, kind, target.valid, 1024 * 1024);
    const retain = p.chance(0.05);
    if (who === 'anonymous') {
      const c = mqtt.connect(`mqtt://127.0.0.1:${this.opts.port}`, {
        reconnectPeriod: 0,
        connectTimeout: 3000,
        ...(p.chance(0.5) ? { username: p.pick(['', 'admin', this.opts.victim, 'steward-hub']), password: p.pick(['', 'x', 'password']) } : {}),
        clientId: p.pick(['', `steward-hub-${p.int(0, 99)}`, `steward-agent-${this.opts.victim}`, 'anon']),
      });
      c.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        c.once('connect', () => c.publish(target.topic, payload, { qos: 1, retain }, () => resolve()));
        c.once('close', () => resolve());
      });
      c.end(true);
      return `mqtt anonymous ${kind}`;
    }
    const c = await this.client(who);
    if (!c) return `mqtt ${who} refused`;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        c.off('close', done);
        resolve();
      };
      const t = setTimeout(done, 5000);
      c.once('close', done);
      c.publish(target.topic, payload, { qos: 1, retain }, done);
    });
    return `mqtt ${who} ${kind}`;
  }

  async close(): Promise<void> {
    for (const c of this.clients.values()) await c.endAsync(true).catch(() => undefined);
    this.clients.clear();
  }
}
