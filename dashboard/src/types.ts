/** What the page reads from the hub (the shapes of the hub's zod schemas, as JSON). */
export type Value = boolean | number | string | null;
export type Names = Record<string, string[]>;

export interface DeviceView {
  id: string;
  type: string;
  names: Names;
  area: string;
  node: string;
  online: boolean;
  traits: string[];
  attributes: Record<string, unknown>;
  confirm: unknown[];
  commands: string[];
  state: Record<string, Value>;
  targets?: Record<string, Value>;
}

export interface NodeView {
  id: string;
  name: string;
  names?: Names;
  kind?: string;
  online: boolean;
  paired?: boolean;
  lastSeenAt?: string | null;
  devices?: string[];
}

export interface ConfirmationView {
  confirmationId: string;
  expiresAt: string;
  summary: string;
  source?: string;
  actions?: { deviceId: string; command: string; params: Record<string, unknown> }[];
}

export interface CommandCall {
  command: string;
  params: Record<string, unknown>;
}

/** GET /api/dashboard/controls: one field of a device's traits, and how to set it */
export interface FieldControl {
  trait: string;
  field: string;
  datatype: 'boolean' | 'integer' | 'float' | 'string' | 'enum';
  unit?: string;
  readOnly: boolean;
  range?: [number, number];
  options?: string[];
  /** the options' words by language, where the hub's vocabulary has them */
  optionWords?: Record<string, Record<string, string>>;
  set?: { kind: 'boolean'; on: CommandCall; off: CommandCall } | { kind: 'enum'; calls: Record<string, CommandCall> } | { kind: 'number'; command: string; param: string };
}

export interface ActionResult {
  deviceId: string;
  command: string;
  ok: boolean;
  state?: Record<string, Value>;
  error?: { code: string; message: string };
}

export interface CommandResponse {
  conversationId: string;
  reply: string;
  actions: ActionResult[];
  awaitingConfirmation: boolean;
  confirmation?: ConfirmationView;
  path?: 'rules' | 'planner';
  planner?: { backend: string; steps: number; stop: string };
  transcript?: string;
}
