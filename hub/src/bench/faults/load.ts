import http from 'node:http';
import type { State } from '@steward/device-adapters';
import { Prng } from '../fuzz/prng.ts';
import type { CommandCatalog, LoadCommand } from './commands.ts';
import type { Ledger } from './ledger.ts';

export interface HubTarget {
  httpUrl: string;
  token: string;
}

interface Answer {
  status: number;
  body: unknown;
}

/** one JSON POST on the client's own keep-alive connections; rejects on a network error or after `timeoutMs` */
export function postJson(agent: http.Agent, target: HubTarget, path: string, body: unknown, timeoutMs: number): Promise<Answer> {
  const url = new URL(path, target.httpUrl);
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', 'content-length': data.length }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

interface ActionAnswer {
  deviceId?: string;
  ok?: boolean;
  state?: State;
}

/**
 * Sends one command (the device already taken in the ledger) and records what the node acknowledged: the device's
 * whole state from the answer (`POST /api/devices/:id/commands`: the action result; `POST /api/command`: each
 * action's). Returns whether it was acknowledged.
 */
export async function sendCommand(agent: http.Agent, target: HubTarget, ledger: Ledger, cmd: LoadCommand, conversationId: string, timeoutMs: number): Promise<boolean> {
  ledger.sending(cmd.deviceId, cmd.field, cmd.value);
  let acked = false;
  try {
    const r = cmd.text
      ? await postJson(agent, target, '/api/command', { text: cmd.text, conversationId }, timeoutMs)
      : await postJson(agent, target, `/api/devices/${encodeURIComponent(cmd.deviceId)}/commands`, cmd.direct, timeoutMs);
    if (r.status !== 200) return false;
    const actions: ActionAnswer[] = cmd.text ? ((r.body as { actions?: ActionAnswer[] })?.actions ?? []) : [r.body as ActionAnswer];
    for (const a of actions) {
      const deviceId = a.deviceId ?? cmd.deviceId;
      if (a.ok === true && a.state) {
        ledger.acknowledged(deviceId, a.state);
        if (deviceId === cmd.deviceId) acked = true;
      }
    }
  } catch {
    // refused, reset or timed out: not acknowledged (the ledger keeps the value as one the device may hold)
  }
  return acked;
}

export interface LoadCounts {
  sent: number;
  acked: number;
  failed: number;
  text: number;
}

/**
 * Several clients, each with its own connections and its own share of the devices, sending at a steady rate in
 * total (commands over the direct API and as sentences, half each), one command in flight per device.
 */
export class Load {
  readonly counts: LoadCounts = { sent: 0, acked: 0, failed: 0, text: 0 };
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly agents: http.Agent[];

  constructor(
    private readonly opts: { target: () => HubTarget; catalog: CommandCatalog; ledger: Ledger; clients: number; rate: number; seed: number; timeoutMs: number },
  ) {
    this.agents = Array.from({ length: opts.clients }, () => new http.Agent({ keepAlive: true, maxSockets: 16 }));
  }

  resetCounts(): void {
    Object.assign(this.counts, { sent: 0, acked: 0, failed: 0, text: 0 });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { clients, rate, catalog } = this.opts;
    this.loops = Array.from({ length: clients }, (_, c) => {
      const mine = catalog.devices.filter((_d, i) => i % clients === c).map((d) => d.id);
      return this.client(c, mine, rate / clients);
    });
  }

  private async client(index: number, devices: string[], rate: number): Promise<void> {
    if (devices.length === 0) return;
    const p = new Prng(this.opts.seed * 1000 + index);
    const agent = this.agents[index]!;
    const conversationId = `faults-client-${index}`;
    const intervalMs = 1000 / rate;
    let next = performance.now();
    while (this.running) {
      next += intervalMs;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -1000) next = performance.now(); // fell behind (a fault): do not burst to catch up
      const free = devices.filter((id) => !this.opts.ledger.isBusy(id));
      if (free.length === 0) continue;
      const deviceId = p.pick(free);
      this.opts.ledger.tryTake(deviceId);
      const cmd = this.opts.catalog.pick(p, deviceId, p.chance(0.5));
      this.counts.sent++;
      if (cmd.text) this.counts.text++;
      const sending = sendCommand(agent, this.opts.target(), this.opts.ledger, cmd, conversationId, this.opts.timeoutMs)
        .then((ok) => (ok ? this.counts.acked++ : this.counts.failed++))
        .finally(() => {
          this.opts.ledger.release(deviceId);
          this.inFlight.delete(sending);
        });
      this.inFlight.add(sending);
    }
  }

  /** stops sending and waits for every answer (or its time-out) */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    for (const a of this.agents) a.destroy();
  }
}
