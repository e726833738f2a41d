/**
 * The boundary between understanding and the rest of the hub. Understanding sees a read-only view of the home
 * and turns text into clauses of device actions; it knows nothing of MQTT, HTTP or SQLite. The conversation layer
 * (hub/src/conversation) executes the clauses, applies confirmation rules and asks understanding for phrases.
 */
import type { Area, ConfirmRule, DeviceType, ErrorCode, HomeNode, Scene, State, TraitId } from '@steward/device-adapters';

/** a language tag: en, zh, zh-TW, zh-HK (hub/src/core/lang-tags.ts) */
export type Lang = LangTag;
import type { LangTag } from '../core/lang-tags.ts';

export interface DeviceView {
  id: string;
  type: DeviceType;
  area: string;
  names: Record<string, string[]>;
  traits: readonly TraitId[];
  attributes: Record<string, unknown>;
  confirm: readonly ConfirmRule[];
}

/** The registry as understanding sees it. */
export interface HomeView {
  /** changes whenever devices, names, areas or scenes change: the engine recompiles its matchers then */
  readonly version: number;
  areas(): readonly Area[];
  devices(): readonly DeviceView[];
  scenes(): readonly Scene[];
  /** node agents, only so a reply can say that a node is not something to command (optional) */
  nodes?(): readonly HomeNode[];
  /** the state a device is heading to (pending targets, else reported values); undefined when never seen */
  state(deviceId: string): State | undefined;
}

// shared with the rest of the hub: defined in the core
import type { DeviceAction } from '../core/actions.ts';
export type { DeviceAction };

/**
 * One clause of an utterance ("turn on the TV", "then turn off the kitchen light"). `reply` is what to say when
 * every action succeeds (for a query: the answer). Clauses run in order.
 */
export type Clause =
  | { kind: 'act'; actions: DeviceAction[]; reply: string; delayMs?: number; sceneId?: string }
  | { kind: 'query'; reply: string }
  | { kind: 'confirm' }
  | { kind: 'deny' }
  | { kind: 'unknown'; reply: string };

export interface Interpretation {
  lang: Lang;
  clauses: Clause[];
  /** what a follow-up in the same conversation needs ("make it brighter", "它"); opaque to the hub */
  memory: unknown;
  /** a question this turn asked ("Which one do you mean: ...?"); opaque to the hub, handed back on the next turn */
  question?: unknown;
}

export interface ParseContext {
  /** where the speaking device is: "turn on the light" said in the study */
  area?: string;
  /** memory returned by the previous turn of this conversation */
  memory?: unknown;
  /** the question the previous turn asked, while it is still open (see hub/src/conversation/dialogue.ts) */
  question?: unknown;
  /** the language to answer in, when the request names one; else the text's own (detected from its script) */
  lang?: Lang;
}

/** Phrases the conversation layer needs, in the language of the command. */
export type Phrase =
  | { key: 'confirmPrompt'; actions: DeviceAction[] }
  /** a pending confirmation's summary in lists and API answers: "Unlock the front door" */
  | { key: 'confirmSummary'; actions: DeviceAction[] }
  /** what ran at once in a sentence whose other actions wait for confirmation */
  | { key: 'done'; actions: DeviceAction[] }
  | { key: 'confirmed' }
  | { key: 'cancelled' }
  | { key: 'nothingToConfirm' }
  | { key: 'confirmExpired' }
  /** a transcript the speech engine was unsure of, said back before a sensitive command: "Did you say ...?" */
  | { key: 'heard'; text: string }
  | { key: 'scheduled'; delayMs: number; reply: string }
  | { key: 'failed'; action: DeviceAction; error: { code: ErrorCode; message: string } }
  /**
   * What happened, from the nodes' answers: the failures first, each with its reason, then whether the rest was
   * done ("I couldn't lock the front door: its node is offline. The rest is done.")
   */
  | { key: 'outcome'; failed: { action: DeviceAction; error: { code: ErrorCode; message: string } }[]; rest: boolean };

export interface Understanding {
  parse(text: string, ctx: ParseContext): Interpretation;
  say(lang: Lang, phrase: Phrase): string;
}
