/**
 * The planner's tools, generated from the device model: one tool per trait command (typed parameters from the
 * trait's zod schema, enums and ranges from the devices' attributes), plus reading state, running a scene,
 * scheduling and asking the user. Tool names and argument shapes are also what rule-path trajectories record
 * (`toolCallForAction`), so exported data teaches a model exactly these tools.
 *
 * A tool call is only ever executed after `parseToolCall` accepted it against the same schema the model was shown.
 */
import { z } from 'zod';
import { DEVICE_TYPES, TRAITS, fieldsOf, type DeviceType, type CommandSpec, type FieldSpec, type Scene, type TraitId } from '@steward/device-adapters';
import type { DeviceAction, DeviceView } from '../understanding/contract.ts';
import type { JsonSchema, ToolCall, ToolSpec } from './backend.ts';

/** turnOn → turn_on, setTargetTemperature → set_target_temperature */
export function toolNameForCommand(command: string): string {
  return command.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The tool call the planner would make for a rule-path action (trajectories record rule-path requests this way). */
export function toolCallForAction(action: DeviceAction): { name: string; arguments: Record<string, unknown> } {
  return { name: toolNameForCommand(action.command), arguments: { device_ids: [action.deviceId], ...action.params } };
}

export const READ_TOOL = 'get_state';
export const SCENE_TOOL = 'run_scene';
export const SCHEDULE_TOOL = 'schedule';
export const ASK_TOOL = 'ask_user';
/** the catalog arrives as the result of this call, made by the hub before the model's first turn */
export const CATALOG_TOOL = 'list_devices';

/** How many devices one call may name: a bound on what one step can do. */
const MAX_TARGETS = 50;

/** Which devices a call acts on: listed ids, or every exposed device of a kind (in an area) for big homes. */
export type Targets = { deviceIds: string[] } | { group: { type: string; area?: string } };

export type ParsedCall =
  | { kind: 'act'; command: string; targets: Targets; params: Record<string, unknown> }
  | { kind: 'read'; targets: Targets }
  | { kind: 'scene'; sceneId: string }
  | { kind: 'schedule'; delayMs: number; call: Extract<ParsedCall, { kind: 'act' }> }
  | { kind: 'ask'; question: string }
  | { kind: 'catalog' };

export type ParseOutcome = { ok: true; call: ParsedCall } | { ok: false; error: { code: 'BAD_REQUEST' | 'UNKNOWN_COMMAND'; message: string } };

interface ActTool {
  command: string;
  trait: TraitId;
  spec: CommandSpec;
  schema: z.ZodType<Record<string, unknown>>;
}

export interface Toolset {
  readonly specs: ToolSpec[];
  /** validates a model's call (JSON, tool name, schema); never executes anything */
  parse(call: ToolCall): ParseOutcome;
}

const issuesText = (e: z.ZodError) => e.issues.map((i) => `${i.path.map(String).join('.') || 'arguments'}: ${i.message}`).join('; ');

/**
 * A command's parameter schema for these devices: enums where the trait names options (modes, inputs, apps,
 * programs, fan speeds), ranges where it names a range, taken from the fields whose `set` maps to the parameter.
 */
function paramShape(trait: TraitId, command: string, spec: CommandSpec, devices: readonly DeviceView[]): Record<string, z.ZodType> {
  const base = spec.params instanceof z.ZodObject ? (spec.params.shape as Record<string, z.ZodType>) : {};
  const shape: Record<string, z.ZodType> = { ...base };
  for (const f of Object.values(TRAITS[trait].fields) as FieldSpec[]) {
    const probe = f.set?.(f.datatype === 'enum' || f.datatype === 'string' ? 'x' : 1);
    if (!probe || probe.command !== command) continue;
    const key = Object.keys(probe.params)[0];
    if (key === undefined || !(key in shape)) continue;
    const optional = shape[key]!.safeParse(undefined).success;
    if (f.options) {
      const options = [...new Set(devices.flatMap((d) => [...f.options!(d.attributes)]))];
      if (options.length > 0) shape[key] = optional ? z.enum(options as [string, ...string[]]).optional() : z.enum(options as [string, ...string[]]);
    } else if (f.range) {
      const ranges = devices.map((d) => f.range!(d.attributes));
      const min = Math.min(...ranges.map((r) => r[0]));
      const max = Math.max(...ranges.map((r) => r[1]));
      const n = z.number().min(min).max(max);
      shape[key] = optional ? n.optional() : n;
    }
  }
  return shape;
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/**
 * Tools for the devices in the catalog. `groupTypes`: device kinds the model may address as a group (big homes,
 * where the catalog lists only some devices); none = ids only.
 */
export function buildToolset(
  devices: readonly DeviceView[],
  scenes: readonly Scene[],
  groups: { types: readonly DeviceType[]; devices: readonly DeviceView[] } = { types: [], devices: [] },
): Toolset {
  const ids = devices.map((d) => d.id);
  const acts = new Map<string, ActTool>();
  const specs: ToolSpec[] = [];
  const groupDevices = groups.devices.filter((d) => groups.types.includes(d.type));
  const traitsPresent = new Set([...devices, ...groupDevices].flatMap((d) => d.traits));

  for (const trait of Object.keys(TRAITS) as TraitId[]) {
    if (!traitsPresent.has(trait)) continue;
    const withTrait = devices.filter((d) => d.traits.includes(trait));
    const groupWithTrait = groupDevices.filter((d) => d.traits.includes(trait));
    const typesWithTrait = [...new Set(groupWithTrait.map((d) => d.type))].sort();
    for (const [command, spec] of Object.entries(TRAITS[trait].commands) as [string, CommandSpec][]) {
      const targetIds = withTrait.map((d) => d.id) as [string, ...string[]];
      const target = {
        ...(targetIds.length > 0 ? { device_ids: z.array(z.enum(targetIds)).min(1).max(MAX_TARGETS).optional() } : {}),
        ...(typesWithTrait.length > 0
          ? {
              group: z
                .object({ type: z.enum(typesWithTrait as [string, ...string[]]), area: z.string().optional() })
                .strict()
                .optional()
                .describe('every device of this kind (in this area id)'),
            }
          : {}),
      };
      const schema = z
        .object({ ...target, ...paramShape(trait, command, spec, withTrait.length > 0 ? withTrait : groupWithTrait) })
        .strict()
        .refine((a) => (a.device_ids === undefined) !== (a.group === undefined), typesWithTrait.length > 0 ? 'give device_ids or group (one of them)' : 'device_ids is required');
      const name = toolNameForCommand(command);
      acts.set(name, { command, trait, spec, schema: schema as unknown as z.ZodType<Record<string, unknown>> });
      specs.push({ type: 'function', function: { name, description: spec.summary, parameters: jsonSchema(schema) } });
    }
  }

  const readSchema = z
    .object({
      ...(ids.length > 0 ? { device_ids: z.array(z.enum(ids as [string, ...string[]])).min(1).max(MAX_TARGETS).optional() } : {}),
      // big homes: every device of a kind (in an area), when the catalog did not list them
      ...(groups.types.length > 0 ? { group: z.object({ type: z.enum(groups.types as [string, ...string[]]), area: z.string().optional() }).strict().optional() } : {}),
    })
    .strict()
    .refine((a) => ((a as { device_ids?: unknown }).device_ids === undefined) !== ((a as { group?: unknown }).group === undefined), 'give device_ids or group (one of them)');
  const canRead = ids.length > 0 || groups.types.length > 0;
  const sceneIds = scenes.map((s) => s.id);
  const sceneSchema = sceneIds.length > 0 ? z.object({ scene_id: z.enum(sceneIds as [string, ...string[]]) }).strict() : undefined;
  const actNames = [...acts.keys()] as [string, ...string[]];
  const scheduleSchema = z
    .object({
      delay_minutes: z.number().min(0.1).max(24 * 60).describe('when to run, in minutes from now'),
      tool: z.enum(actNames).describe('the device tool to run then'),
      arguments: z.record(z.string(), z.unknown()).describe("that tool's arguments"),
    })
    .strict();
  const askSchema = z.object({ question: z.string().min(1).max(300) }).strict();

  if (canRead) specs.push({ type: 'function', function: { name: READ_TOOL, description: 'Read the current state the devices acknowledged', parameters: jsonSchema(readSchema) } });
  if (sceneSchema) specs.push({ type: 'function', function: { name: SCENE_TOOL, description: 'Run a scene of the home', parameters: jsonSchema(sceneSchema) } });
  if (actNames.length > 0) specs.push({ type: 'function', function: { name: SCHEDULE_TOOL, description: 'Run a device tool later', parameters: jsonSchema(scheduleSchema) } });
  specs.push({ type: 'function', function: { name: ASK_TOOL, description: 'Ask the user a question instead of acting, when the request is unclear', parameters: jsonSchema(askSchema) } });

  function parseAct(name: string, args: unknown): ParseOutcome {
    const tool = acts.get(name);
    if (!tool) return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `no tool ${name}` } };
    const r = tool.schema.safeParse(args);
    if (!r.success) return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid arguments for ${name}: ${issuesText(r.error)}` } };
    const { device_ids, group, ...params } = r.data as { device_ids?: string[]; group?: { type: string; area?: string } } & Record<string, unknown>;
    // the trait's own schema too (refinements such as "hue or saturation is required")
    const own = tool.spec.params.safeParse(params);
    if (!own.success) return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid arguments for ${name}: ${issuesText(own.error)}` } };
    const targets: Targets = device_ids ? { deviceIds: [...new Set(device_ids)] } : { group: group! };
    return { ok: true, call: { kind: 'act', command: tool.command, targets, params } };
  }

  function parse(call: ToolCall): ParseOutcome {
    let args: unknown;
    try {
      args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
    } catch (e) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: `arguments of ${call.function.name} are not valid JSON: ${(e as Error).message}` } };
    }
    const name = call.function.name;
    const check = <S extends z.ZodType>(schema: S): { ok: true; data: z.infer<S> } | { ok: false; error: { code: 'BAD_REQUEST'; message: string } } => {
      const r = schema.safeParse(args);
      return r.success ? { ok: true, data: r.data } : { ok: false, error: { code: 'BAD_REQUEST', message: `invalid arguments for ${name}: ${issuesText(r.error)}` } };
    };
    switch (name) {
      case CATALOG_TOOL:
        return { ok: true, call: { kind: 'catalog' } };
      case READ_TOOL: {
        if (!canRead) break;
        const r = check(readSchema);
        if (!r.ok) return r;
        const a = r.data as { device_ids?: string[]; group?: { type: string; area?: string } };
        return { ok: true, call: { kind: 'read', targets: a.device_ids ? { deviceIds: [...new Set(a.device_ids)] } : { group: a.group! } } };
      }
      case SCENE_TOOL: {
        if (!sceneSchema) break;
        const r = check(sceneSchema);
        return r.ok ? { ok: true, call: { kind: 'scene', sceneId: r.data.scene_id } } : r;
      }
      case SCHEDULE_TOOL: {
        if (actNames.length === 0) break;
        const r = check(scheduleSchema);
        if (!r.ok) return r;
        const inner = parseAct(r.data.tool, r.data.arguments);
        if (!inner.ok) return inner;
        return { ok: true, call: { kind: 'schedule', delayMs: Math.round(r.data.delay_minutes * 60_000), call: inner.call as Extract<ParsedCall, { kind: 'act' }> } };
      }
      case ASK_TOOL: {
        const r = check(askSchema);
        return r.ok ? { ok: true, call: { kind: 'ask', question: r.data.question } } : r;
      }
      default:
        if (acts.has(name)) return parseAct(name, args);
    }
    return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `no tool named ${name}; use one of the tools given` } };
  }

  return { specs, parse };
}

/** Fields shown in the catalog and tool results: every field of the device's traits (batteries and countdowns matter to plans). */
export function keyFields(device: DeviceView): string[] {
  return Object.keys(fieldsOf(device));
}
