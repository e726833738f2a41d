/**
 * The seam every hub feature plugs into. A feature has a name, the features it needs, its own configuration
 * slice (a zod schema under its own key, with the command-line flags and STEWARD_<FLAG> environment variables that
 * fill it), a lifecycle (`start`, optional `ready` once every feature started, `stop`) and optionally HTTP routes
 * (a fastify plugin with the zod schemas its OpenAPI description is generated from).
 *
 * What a feature gives the others is its `provides` value, typed through `HubFeatures`: each feature adds its
 * entry by declaration merging next to its definition, so `context.get('registry')` is typed without importing
 * the registry's folder, and the folder rules (docs/architecture.md) stay about code, not about wiring.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from './clock.ts';
import type { Rejections } from './rejections.ts';

/** feature name → what it provides; every feature module adds its own entry (`declare module`) */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HubFeatures {}

export type FeatureName = keyof HubFeatures & string;

/** One command-line flag (`--http-port P`) and environment variable (`STEWARD_HTTP_PORT`) filling a slice field. */
export interface FeatureOption {
  /** kebab-case flag name without dashes; the environment variable is STEWARD_ + its upper snake case */
  flag: string;
  /** the field of the feature's slice it sets */
  field: string;
  kind: 'string' | 'number' | 'boolean' | 'list';
  /** one line for --help */
  help: string;
  /** placeholder in --help (`P`, `URL`) */
  value?: string;
  /** a boolean flag that sets the field to false (`--no-demo`) */
  negate?: boolean;
  /** the value the command line uses when the flag is absent (the hub's own default may differ) */
  cliDefault?: unknown;
}

export interface FeatureConfig<S extends z.ZodType = z.ZodType> {
  /** the slice's key in the hub configuration (`{ api: { port: 0 } }`) */
  key: string;
  /** every field optional or defaulted: an empty slice is valid */
  schema: S;
  options: readonly FeatureOption[];
}

/** One route's description for the OpenAPI document, from the same zod schemas the route parses with. */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI form: `/api/devices/{id}` */
  path: string;
  summary: string;
  body?: z.ZodType;
  /** the query string's fields (each becomes a parameter) */
  query?: z.ZodObject;
  response: z.ZodType;
  /** how the success is sent: JSON (default), 204 without a body (`response` unused), or server-sent events whose `data` each match `response` */
  answer?: 'json' | 'no-content' | 'event-stream';
  /** a JSON success answered with another status than 200: 201 created, 202 accepted (done, or under way) */
  status?: 201 | 202;
  /** a 202 answer: the change waits for the owner's confirmation */
  accepted?: z.ZodType;
  /** error statuses besides 401 */
  errors: number[];
  /**
   * 'always': needs the admin token (or the session cookie) from everywhere; 'remote': GETs open on loopback, the
   * token from other machines; 'public': anyone (the sign-in)
   */
  auth: 'always' | 'remote' | 'public';
}

export interface FeatureRoutes {
  /** registered under `prefix` (default `/api`), encapsulated: a plugin sees only what it was given */
  plugin: FastifyPluginAsync;
  prefix?: string;
  docs: readonly RouteDoc[];
}

/** What a feature is given when it starts. */
export interface HubContext {
  readonly logger: Logger;
  readonly clock: Clock;
  /** counts and logs (rate-limited) every refused input; GET /api/health shows the counts */
  readonly rejections: Rejections;
  /** absolute; holds steward.db, the certificate, admin-token */
  readonly dataDir: string;
  /** what a feature listed in `needs` provides (throws INTERNAL for one that is not started) */
  get<N extends FeatureName>(name: N): HubFeatures[N];
  /** what a feature provides if this hub has it (for `uses`: optional collaborators) */
  find<N extends FeatureName>(name: N): HubFeatures[N] | undefined;
  /** the routes of every feature of this hub, in start order (the API serves them in `ready`) */
  routes(): readonly FeatureRoutes[];
}

export interface HubFeature<N extends FeatureName = FeatureName, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  /** started before this one; the hub refuses to start without them */
  readonly needs?: readonly FeatureName[];
  /** started before this one when the hub has them; optional */
  readonly uses?: readonly FeatureName[];
  readonly config?: FeatureConfig<S>;
  start(context: HubContext, config: z.infer<S>): Promise<HubFeatures[N]> | HubFeatures[N];
  /** after every feature started, in the same order: hook into others (signals), serve, listen */
  ready?(context: HubContext): Promise<void> | void;
  /** the reverse of start; called in reverse order, also after a failed start */
  stop?(): Promise<void> | void;
  /** HTTP routes, asked for after start */
  routes?(context: HubContext): FeatureRoutes;
}

/** Identity, for inference: `export const storeFeature = () => defineFeature({ name: 'store', ... })`. */
export function defineFeature<N extends FeatureName, S extends z.ZodType = z.ZodType>(feature: HubFeature<N, S>): HubFeature<N, S> {
  return feature;
}

/** `http-port` → `STEWARD_HTTP_PORT` */
export function envName(flag: string): string {
  return `STEWARD_${flag.replace(/-/g, '_').toUpperCase()}`;
}

/** a TCP port in a configuration slice: 0 asks for any free one */
export const PortSchema = z.number().int().min(0, 'a port is 0 (any free port) to 65535').max(65535, 'a port is 0 (any free port) to 65535');
