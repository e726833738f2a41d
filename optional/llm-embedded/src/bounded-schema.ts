/**
 * JSON Schema (as z.toJSONSchema makes it for the planner's tools) to the bounded subset node-llama-cpp turns into
 * a grammar: every string, array and map has a length limit and numbers stay numbers, so even a model that knows
 * nothing ends its answer (unbounded schemas let a random model loop on digits or spaces). Ranges, patterns and
 * refinements are not in the grammar: the planner validates every call against the full schema before it runs.
 */
/** the tools as the request gives them (hub/src/planner/backend.ts ToolSpec) */
interface ToolLike {
  function: { name: string; parameters: unknown };
}

export type Bounded =
  | { type: 'string'; minLength?: number; maxLength: number; description?: string }
  | { type: 'number' | 'integer' | 'boolean' | 'null'; description?: string }
  | { type: ('string' | 'number' | 'boolean' | 'null')[] }
  | { const: string | number | boolean | null; description?: string }
  | { enum: (string | number | boolean | null)[]; description?: string }
  | { oneOf: Bounded[]; description?: string }
  | { type: 'array'; items: Bounded; minItems?: number; maxItems: number; description?: string }
  | { type: 'object'; properties: Record<string, Bounded>; required: string[]; additionalProperties: false | Bounded; maxProperties?: number; description?: string };

export interface Limits {
  maxString: number;
  maxItems: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: Limits = { maxString: 120, maxItems: 8, maxDepth: 6 };

type Json = Record<string, unknown>;
const SCALARS: ('string' | 'number' | 'boolean' | 'null')[] = ['string', 'number', 'boolean', 'null'];

export function boundedSchema(schema: unknown, limits: Limits = DEFAULT_LIMITS, depth = 0): Bounded {
  const s = (schema ?? {}) as Json;
  const description = typeof s.description === 'string' ? { description: s.description } : {};
  if (depth >= limits.maxDepth) return { type: SCALARS };
  if ('const' in s) return { const: s.const as string, ...description };
  if (Array.isArray(s.enum)) return { enum: s.enum as string[], ...description };
  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) return { oneOf: alternatives.map((a) => boundedSchema(a, limits, depth + 1)), ...description };
  if (Array.isArray(s.type)) return { oneOf: (s.type as string[]).map((type) => boundedSchema({ ...s, type }, limits, depth)), ...description };
  switch (s.type) {
    case 'string': {
      const max = Math.min(typeof s.maxLength === 'number' ? s.maxLength : limits.maxString, limits.maxString);
      return { type: 'string', ...(typeof s.minLength === 'number' ? { minLength: Math.min(s.minLength, max) } : {}), maxLength: max, ...description };
    }
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type: s.type, ...description };
    case 'array': {
      const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : limits.maxItems, limits.maxItems);
      return {
        type: 'array',
        items: boundedSchema(s.items, limits, depth + 1),
        ...(typeof s.minItems === 'number' ? { minItems: Math.min(s.minItems, max) } : {}),
        maxItems: max,
        ...description,
      };
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, boundedSchema(v, limits, depth + 1)]));
      const required = Array.isArray(s.required) ? (s.required as string[]).filter((k) => k in properties) : [];
      // a map (z.record): bounded values, bounded size; a fixed object: nothing beyond its properties
      const open = Object.keys(props).length === 0 && s.additionalProperties !== false;
      return open
        ? { type: 'object', properties: {}, required: [], additionalProperties: boundedSchema(typeof s.additionalProperties === 'object' ? s.additionalProperties : {}, limits, depth + 1), maxProperties: limits.maxItems, ...description }
        : { type: 'object', properties, required, additionalProperties: false, ...description };
    }
    default:
      return { type: SCALARS };
  }
}

/** The grammar's schema for one turn: one of the request's tools with its (bounded) arguments, or an answer. */
export function turnSchema(tools: readonly ToolLike[], opts: { toolChoice?: 'auto' | 'required'; maxAnswerChars?: number; limits?: Partial<Limits> } = {}): Bounded {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const calls: Bounded[] = tools.map((t) => ({
    type: 'object',
    properties: { tool: { const: t.function.name }, arguments: boundedSchema(t.function.parameters, limits) },
    required: ['tool', 'arguments'],
    additionalProperties: false,
  }));
  const answer: Bounded = { type: 'object', properties: { answer: { type: 'string', minLength: 1, maxLength: opts.maxAnswerChars ?? 400 } }, required: ['answer'], additionalProperties: false };
  const branches = opts.toolChoice === 'required' && calls.length > 0 ? calls : [...calls, answer];
  return branches.length === 1 ? branches[0]! : { oneOf: branches };
}

