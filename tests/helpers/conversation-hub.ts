/**
 * One conversation suite's setup on real parts: the real hub with a home's node-agent processes (the benchmark home
 * unless told) and its embedded broker, node reports read over MQTT, and a fresh conversation pipeline before each
 * test (on timers the test moves by hand unless told). Registers the suite's beforeAll/afterAll/beforeEach hooks.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import type { Home, Value } from '@steward/device-adapters';
import { createConversationPipeline, type ConversationPipeline } from '@steward/hub/conversation/pipeline.ts';
import { createUnderstanding } from '@steward/hub/understanding/index.ts';
import type { Timers } from '@steward/hub/conversation/clock.ts';
import { BENCHMARK_HOME, benchmarkHome } from './agents.ts';
import { NodeReports } from './hub-nodes.ts';
import { startTestHub, type TestHub } from './hub-start.ts';

/**
 * Timers that move only when the test says. By default no callback runs (the suites check what time changes in
 * replies); with `runDue`, `advance` runs the callbacks that fell due, in time order (expiry, schedules).
 */
export class ManualTimers implements Timers {
  private t = 1_000_000;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 0;
  constructor(private readonly runDue = false) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    if (!this.runDue) return 0;
    const id = ++this.next;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.queue = this.queue.filter((q) => q.id !== h);
  };
  advance(ms: number): void {
    this.t += ms;
    const due = this.queue.filter((q) => q.at <= this.t).sort((a, b) => a.at - b.at);
    this.queue = this.queue.filter((q) => q.at > this.t);
    for (const q of due) q.fn();
  }
  /** callbacks waiting (with `runDue`) */
  get pending(): number {
    return this.queue.length;
  }
}

export type DeviceStates = Record<string, Record<string, Value>>;

export interface ConversationHub {
  readonly t: TestHub;
  readonly nodes: NodeReports;
  readonly timers: ManualTimers;
  /** this test's pipeline (made fresh before each test) */
  readonly pipeline: ConversationPipeline;
  /** the current conversation's id: `<prefix>-<n>` */
  readonly conversationId: string;
  /** one turn of the current conversation, optionally from an area */
  say(text: string, area?: string): ReturnType<ConversationPipeline['handle']>;
  /** the next turns belong to a new conversation */
  newConversation(): void;
  /** every writable field of every device, as the nodes report it (read-only readings drift on their own) */
  snapshot(): Promise<DeviceStates>;
}

/** The snapshot with only the given fields changed. */
export function changed(before: DeviceStates, patch: DeviceStates): DeviceStates {
  const out = structuredClone(before);
  for (const [id, fields] of Object.entries(patch)) Object.assign(out[id]!, fields);
  return out;
}

export interface ConversationHubOptions {
  /** conversation ids are `<prefix>-<n>`, a new n per test */
  conversationPrefix: string;
  /** default: the benchmark home */
  homeFile?: string;
  home?: Home;
  /** values the nodes report once a reset has reached them, before each test (default: the benchmark home's lights) */
  ready?: readonly (readonly [deviceId: string, field: string, value: Value])[];
  /** the pipeline on ManualTimers (default), on ManualTimers that run what falls due ('run-due'), or on the system's timers */
  manualTimers?: boolean | 'run-due';
}

const BENCHMARK_READY = [['kitchen_light', 'on', true], ['bedroom_light', 'on', false]] as const;

export function useConversationHub(options: ConversationHubOptions): ConversationHub {
  const { conversationPrefix, homeFile = BENCHMARK_HOME, ready = BENCHMARK_READY, manualTimers = true } = options;
  const home = options.home ?? benchmarkHome();
  const readOnly = new Set(home.readOnly);
  let t: TestHub;
  let nodes: NodeReports;
  let timers: ManualTimers;
  let pipeline: ConversationPipeline | undefined;
  let conversation = 0;

  beforeAll(async () => {
    t = await startTestHub({ homeFile, demo: true });
    nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
  }, 90_000);

  afterAll(async () => {
    pipeline?.close();
    await nodes?.close();
    await t?.stop();
  });

  beforeEach(async () => {
    await t.hub.resetDevices();
    for (const [id, field, value] of ready) await nodes.waitForValue(id, field, value);
    timers = new ManualTimers(manualTimers === 'run-due');
    pipeline?.close();
    pipeline = createConversationPipeline({
      understanding: createUnderstanding(t.hub.registry),
      gateway: t.hub.gateway,
      view: t.hub.registry,
      logger: pino({ level: 'silent' }),
      ...(manualTimers ? { timers } : {}),
    });
    conversation += 1;
  });

  return {
    get t() {
      return t;
    },
    get nodes() {
      return nodes;
    },
    get timers() {
      return timers;
    },
    get pipeline() {
      return pipeline!;
    },
    get conversationId() {
      return `${conversationPrefix}-${conversation}`;
    },
    say: (text, area) => pipeline!.handle({ text, conversationId: `${conversationPrefix}-${conversation}`, ...(area ? { area } : {}) }),
    newConversation: () => {
      conversation += 1;
    },
    snapshot: async () => {
      const out: DeviceStates = {};
      for (const n of home.nodes) {
        for (const [id, d] of Object.entries(await nodes.snapshot(n.id))) {
          out[id] = Object.fromEntries(Object.entries(d.state).filter(([f]) => !readOnly.has(f)));
        }
      }
      return out;
    },
  };
}
