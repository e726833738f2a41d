/**
 * The dashboard's live events as server-sent events: one sequence per hub boot (`id: <bootId>:<seq>`), a bounded
 * replay buffer for clients that reconnect (`Last-Event-ID`), a bounded number of clients, a comment heartbeat, and
 * no unbounded memory for a slow client: one whose socket holds more than `clientBufferBytes` unsent is cut off (it
 * reconnects and resumes from the buffer, or from a fresh snapshot).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface EventBusOptions {
  /** events kept for replay, at most this many ... */
  bufferEvents: number;
  /** ... and at most this many bytes of frames */
  bufferBytes: number;
  maxClients: number;
  /** unsent bytes one client's socket may hold before it is cut off */
  clientBufferBytes: number;
  heartbeatMs: number;
}

/** an event as it was sent: its frame, and whether only the owner (token or session) may see it */
interface Sent {
  seq: number;
  frame: string;
  adminOnly: boolean;
}

export interface EventClient {
  readonly res: ServerResponse;
  readonly admin: boolean;
}

/** `bootId:seq` of this boot: the seq to resume after; otherwise undefined (another boot, or not an id of ours) */
export function resumePoint(bootId: string, lastEventId: string | undefined): number | undefined {
  if (!lastEventId) return undefined;
  const m = /^([A-Za-z0-9_-]+):(\d{1,15})$/.exec(lastEventId.trim());
  if (!m || m[1] !== bootId) return undefined;
  return Number(m[2]);
}

export function frame(event: string, id: string, data: unknown): string {
  // JSON never holds a raw newline, so one data line carries it
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class EventBus {
  /** new at every start: ids of an earlier boot never resume into this one's sequence */
  readonly bootId = randomBytes(6).toString('base64url');
  private seq = 0;
  private readonly buffer: Sent[] = [];
  private bufferedBytes = 0;
  private isClosed = false;
  private readonly clients = new Set<EventClient>();
  private readonly heartbeat: NodeJS.Timeout;
  /** clients cut off for falling behind, since the start (GET /api/health could show it) */
  dropped = 0;

  constructor(private readonly opts: EventBusOptions) {
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) this.write(c, ': ping\n\n');
    }, opts.heartbeatMs);
    this.heartbeat.unref();
  }

  /** the id of the latest event (a snapshot made now carries it: resuming from it replays what comes after) */
  get lastId(): string {
    return `${this.bootId}:${this.seq}`;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** after close(): the hub is stopping, no new stream is taken (a browser reconnects within its retry time) */
  get closed(): boolean {
    return this.isClosed;
  }

  get full(): boolean {
    return this.clients.size >= this.opts.maxClients;
  }

  /** Sends an event to every client (those it concerns) and keeps it for replay. */
  publish(event: string, data: unknown, adminOnly = false): void {
    const seq = ++this.seq;
    const sent: Sent = { seq, frame: frame(event, `${this.bootId}:${seq}`, data), adminOnly };
    this.buffer.push(sent);
    this.bufferedBytes += sent.frame.length;
    while (this.buffer.length > this.opts.bufferEvents || (this.bufferedBytes > this.opts.bufferBytes && this.buffer.length > 1)) {
      this.bufferedBytes -= this.buffer.shift()!.frame.length;
    }
    for (const c of this.clients) if (c.admin || !sent.adminOnly) this.write(c, sent.frame);
  }

  /**
   * The frames after `seq` this client may see, or undefined when the buffer no longer holds all of them (the
   * client then starts over from a snapshot).
   */
  replay(after: number, admin: boolean): string[] | undefined {
    if (after > this.seq) return undefined;
    if (after < this.seq) {
      const oldest = this.buffer[0]?.seq;
      if (oldest === undefined || oldest > after + 1) return undefined;
    }
    return this.buffer.filter((s) => s.seq > after && (admin || !s.adminOnly)).map((s) => s.frame);
  }

  /** Adds a client whose stream is open; returns its removal. */
  attach(client: EventClient): () => void {
    this.clients.add(client);
    const detach = () => this.clients.delete(client);
    client.res.on('close', detach);
    return detach;
  }

  /** Writes to one client, cutting it off when its socket holds too much unsent (it reads slower than we send). */
  write(client: EventClient, data: string): void {
    const { res } = client;
    if (res.destroyed || res.writableEnded) {
      this.clients.delete(client);
      return;
    }
    if (res.writableLength + data.length > this.opts.clientBufferBytes) {
      this.clients.delete(client);
      this.dropped++;
      res.destroy();
      return;
    }
    res.write(data);
  }

  /** Ends every stream (the hub stops: the HTTP server can then close). */
  close(): void {
    this.isClosed = true;
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
