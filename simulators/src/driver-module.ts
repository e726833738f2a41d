import { z } from 'zod';
import { StewardError, validateState, type DeviceDescriptor, type DeviceDriver, type State } from '@steward/device-adapters';
import type { DriverModule } from '@steward/node-agent';
import { RealClock } from './clock.ts';
import { MicStreamOptionsSchema } from './mic-stream.ts';
import { SimulatedDriver } from './simulated-driver.ts';
import { NodeStateFile } from './state-file.ts';

/**
 * The driver module a node agent loads to host simulated devices: in the agent config,
 * `"driver": {"module": "@steward/simulators/driver-module.ts", "options": {"timeScale": 60}}`.
 */
export const SimDriverOptionsSchema = z
  .object({
    /** 1 = real time; 60 = a simulated minute per real second (demos) */
    timeScale: z.number().positive().finite().default(1),
    /** the kind of node hosting the device (`car` picks a car cabin's climate rates) */
    nodeKind: z.string().optional(),
    /**
     * keep the devices' state in this file (one per node; absolute path): a restarted agent resumes from it instead
     * of the initial state (the demo's data folder; see state-file.ts)
     */
    stateFile: z.string().startsWith('/', 'stateFile is an absolute path').optional(),
    /** microphones read `listen` clips here; audio outputs write what they played here (absolute path) */
    audioDir: z.string().startsWith('/', 'audioDir is an absolute path').optional(),
    /** microphones stream what they hear (frames; the agent's voice activity detection finds the utterances) */
    micStream: MicStreamOptionsSchema.optional(),
  })
  .strict();
export type SimDriverOptions = z.input<typeof SimDriverOptionsSchema>;

/** one clock per speed, shared by the devices of an agent */
const clocks = new Map<number, RealClock>();
/** one state file per node, shared by its devices */
const stateFiles = new Map<string, NodeStateFile>();

/** a problem with saved state is not fatal: the device starts from its initial state, and the agent's log says why */
function warn(message: string): void {
  process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), component: 'sim-state', msg: message })}\n`);
}

function stateFileFor(path: string): NodeStateFile {
  let file = stateFiles.get(path);
  if (!file) {
    stateFiles.set(path, (file = new NodeStateFile(path)));
    if (file.problem) warn(`${file.problem}; its devices start from their initial states`);
  }
  return file;
}

export const createDriver: DriverModule['createDriver'] = (device: DeviceDescriptor, initialState: State, options): DeviceDriver => {
  const r = SimDriverOptionsSchema.safeParse(options ?? {});
  if (!r.success) {
    throw new StewardError('BAD_REQUEST', `simulator options for ${device.id}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { timeScale, nodeKind, stateFile, audioDir, micStream } = r.data;
  let clock = clocks.get(timeScale);
  if (!clock) clocks.set(timeScale, (clock = new RealClock(timeScale)));
  const file = stateFile === undefined ? undefined : stateFileFor(stateFile);
  let resumeFrom = file?.get(device.id);
  if (resumeFrom) {
    // a saved state from another version of the home (a field added, a range changed) is dropped, not trusted
    const problems = validateState(device, resumeFrom, { complete: true });
    if (problems.length > 0) {
      warn(`saved state of ${device.id} in ${stateFile} does not fit the device (${problems.join('; ')}); it starts from its initial state`);
      resumeFrom = undefined;
    }
  }
  const driver = new SimulatedDriver(device, initialState, { clock, ...(nodeKind ? { nodeKind } : {}), ...(resumeFrom ? { resumeFrom } : {}), ...(audioDir ? { audioDir } : {}), ...(micStream ? { micStream } : {}) });
  if (file) {
    // a moving field is saved at its commanded value: a restart resumes where the device was heading
    driver.onUpdate(() => {
      try {
        file.set(device.id, { ...driver.state(), ...driver.targets() });
      } catch (e) {
        warn(`cannot save the state of ${device.id} to ${stateFile}: ${(e as Error).message}`);
      }
    });
  }
  return driver;
};

/**
 * How agent configs written by the fleet name this module: a package specifier, which each agent process resolves
 * itself (to the built dist/ when it runs as plain node), so a fleet started from the TypeScript sources (tests)
 * never hands a .ts file to an agent that runs JavaScript.
 */
export const DRIVER_MODULE = '@steward/simulators/driver-module.ts';
