/**
 * The home as the page knows it, kept live: the hub's `GET /api/events` stream (a `snapshot`, then `device`, `node`,
 * `confirmation`, `command` and `adoption` events; the browser's EventSource resumes with Last-Event-ID, and a hub
 * that restarted answers with a fresh snapshot). A hub without the stream (404) is polled every few seconds instead.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from './api.ts';
import type { ConfirmationView, DeviceView, NodeView, Value } from './types.ts';

export type Connection = 'live' | 'polling' | 'reconnecting';

export interface CommandEvent {
  id: string;
  text: string;
  reply: string;
  source: string;
  at: string;
}

export interface LiveState {
  connection: Connection;
  bootId?: string;
  devices: DeviceView[];
  nodes: NodeView[];
  confirmations: ConfirmationView[];
  /** commands the hub reported while the page was open, newest last */
  commands: CommandEvent[];
  /** bumped on every adoption event: the adoption list reloads */
  adoptionSeq: number;
  loaded: boolean;
  /** the hub wants a sign-in even to read (a browser on another machine) */
  unauthorized: boolean;
}

type Listener = (s: LiveState) => void;

const POLL_MS = 2000;
const STREAM_RETRY_MS = 5000;
const MAX_COMMANDS = 50;

export class LiveHome {
  private state: LiveState = { connection: 'reconnecting', devices: [], nodes: [], confirmations: [], commands: [], adoptionSeq: 0, loaded: false, unauthorized: false };
  private readonly listeners = new Set<Listener>();
  private source: EventSource | undefined;
  private pollTimer: number | undefined;
  private retryTimer: number | undefined;

  get current(): LiveState {
    return this.state;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private set(patch: Partial<LiveState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  start(): void {
    this.openStream();
  }

  /** after signing in or out: the stream again, with the new cookie */
  restart(): void {
    this.source?.close();
    this.source = undefined;
    this.stopPolling();
    this.set({ unauthorized: false });
    this.openStream();
  }

  /** after a change the page made itself: the stream brings it too, a polled hub needs a nudge */
  refresh(): void {
    if (this.state.connection !== 'live') void this.poll();
  }

  private openStream(): void {
    if (typeof EventSource === 'undefined') return this.startPolling();
    const es = new EventSource('/api/events', { withCredentials: true });
    this.source = es;
    let opened = false;
    es.onopen = () => {
      opened = true;
      this.stopPolling();
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // refused (404 on a hub without the stream, 503 from a hub stopping or full): poll, and try the stream again soon
        this.source = undefined;
        this.startPolling();
        this.retryTimer = window.setTimeout(() => this.openStream(), STREAM_RETRY_MS);
      } else if (opened) {
        this.set({ connection: 'reconnecting' });
      }
    };
    const on = <T>(name: string, handle: (data: T) => void) =>
      es.addEventListener(name, (e) => {
        try {
          handle(JSON.parse((e as MessageEvent<string>).data) as T);
        } catch {
          // a malformed event is skipped; the next snapshot corrects the page
        }
      });
    on<{ bootId: string; devices: DeviceView[]; nodes: NodeView[]; confirmations: ConfirmationView[] }>('snapshot', (s) =>
      this.set({ connection: 'live', bootId: s.bootId, devices: s.devices, nodes: s.nodes, confirmations: s.confirmations ?? [], loaded: true, unauthorized: false }),
    );
    on<{ id: string; state: Record<string, Value>; online: boolean; targets?: Record<string, Value> }>('device', (d) =>
      this.set({
        connection: 'live',
        devices: this.state.devices.map((x) => (x.id === d.id ? { ...x, state: d.state, online: d.online, ...(d.targets ? { targets: d.targets } : {}) } : x)),
      }),
    );
    on<{ id: string; online: boolean }>('node', (n) =>
      this.set({
        nodes: this.state.nodes.map((x) => (x.id === n.id ? { ...x, online: n.online } : x)),
        devices: this.state.devices.map((x) => (x.node === n.id ? { ...x, online: n.online } : x)),
      }),
    );
    on<{ action: string; confirmation: ConfirmationView }>('confirmation', (c) => {
      const rest = this.state.confirmations.filter((x) => x.confirmationId !== c.confirmation.confirmationId);
      this.set({ confirmations: c.action === 'pending' ? [...rest, c.confirmation] : rest });
    });
    on<CommandEvent>('command', (c) => this.set({ commands: [...this.state.commands, c].slice(-MAX_COMMANDS) }));
    on<unknown>('adoption', () => {
      this.set({ adoptionSeq: this.state.adoptionSeq + 1 });
      void this.reloadDevices();
    });
  }

  private async reloadDevices(): Promise<void> {
    try {
      const { devices } = await get<{ devices: DeviceView[] }>('/api/devices');
      this.set({ devices });
    } catch {
      // the stream's next snapshot brings them
    }
  }

  private startPolling(): void {
    if (this.pollTimer !== undefined) return;
    this.set({ connection: 'polling' });
    const tick = async () => {
      await this.poll();
      if (this.pollTimer !== undefined) this.pollTimer = window.setTimeout(tick, POLL_MS);
    };
    this.pollTimer = window.setTimeout(tick, 0);
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) window.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.retryTimer !== undefined) window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async poll(): Promise<void> {
    try {
      const [d, n, c] = await Promise.all([
        get<{ devices: DeviceView[] }>('/api/devices'),
        get<{ nodes: NodeView[] }>('/api/nodes'),
        get<{ confirmations: ConfirmationView[] }>('/api/confirmations').catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 401) return { confirmations: [] };
          throw e;
        }),
      ]);
      this.set({ connection: this.source ? this.state.connection : 'polling', devices: d.devices, nodes: n.nodes, confirmations: c.confirmations, loaded: true, unauthorized: false });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.set({ unauthorized: true });
      else if (!this.source) this.set({ connection: 'reconnecting' });
    }
  }
}

export const live = new LiveHome();

export function useLive(): LiveState {
  const [s, setS] = useState(live.current);
  useEffect(() => live.subscribe(setS), []);
  return s;
}
