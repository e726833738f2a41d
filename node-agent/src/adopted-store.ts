import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensureDataDir, writePrivateFile } from './pairing/files.ts';
import { DISCOVERY_LIMITS, DeviceDescriptorSchema, EcosystemSchema, FoundDeviceSchema, LostDeviceSchema, StateSchema, StewardError } from '@steward/device-adapters';

export const ADOPTED_FILE = 'adopted-devices.json';

export const AdoptedDeviceSchema = z
  .object({ ecosystem: EcosystemSchema, key: FoundDeviceSchema.shape.key, descriptor: DeviceDescriptorSchema, state: StateSchema })
  .strict();
export type AdoptedDevice = z.infer<typeof AdoptedDeviceSchema>;

const AdoptedFileSchema = z
  .object({ adopted: z.array(AdoptedDeviceSchema).default([]), lost: z.array(LostDeviceSchema).default([]) })
  .strict();
export type AdoptedFile = z.infer<typeof AdoptedFileSchema>;

/**
 * The devices this node adopted (the owner's choice, made on the hub) and those it dropped because their
 * ecosystem lost them, in `<data-dir>/adopted-devices.json` (0600, replaced atomically): a restarted node hosts the
 * same devices under the same ids.
 */
export class AdoptedStore {
  readonly file: string;
  private data: AdoptedFile;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, ADOPTED_FILE);
    if (!existsSync(this.file)) {
      this.data = { adopted: [], lost: [] };
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new StewardError('BAD_REQUEST', `cannot read ${this.file}: ${(e as Error).message}`);
    }
    const r = AdoptedFileSchema.safeParse(raw);
    if (!r.success) throw new StewardError('BAD_REQUEST', `invalid ${this.file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.data = r.data;
  }

  adopted(): readonly AdoptedDevice[] {
    return this.data.adopted;
  }

  lost(): AdoptedFile['lost'] {
    return this.data.lost;
  }

  byDeviceId(deviceId: string): AdoptedDevice | undefined {
    return this.data.adopted.find((a) => a.descriptor.id === deviceId);
  }

  byKey(ecosystem: string, key: string): AdoptedDevice | undefined {
    return this.data.adopted.find((a) => a.ecosystem === ecosystem && a.key === key);
  }

  add(device: AdoptedDevice): void {
    this.data.adopted = [...this.data.adopted.filter((a) => a.descriptor.id !== device.descriptor.id), device];
    // adopted again: no longer lost
    this.data.lost = this.data.lost.filter((l) => !(l.ecosystem === device.ecosystem && l.key === device.key));
    this.save();
  }

  /** drops an adopted device; `lost`: its ecosystem lost it (remembered, newest last, bounded) */
  remove(deviceId: string, lost: boolean): AdoptedDevice | undefined {
    const device = this.byDeviceId(deviceId);
    if (!device) return undefined;
    this.data.adopted = this.data.adopted.filter((a) => a !== device);
    if (lost) this.data.lost = [...this.data.lost, { ecosystem: device.ecosystem, key: device.key, deviceId }].slice(-DISCOVERY_LIMITS.lost);
    this.save();
    return device;
  }

  private save(): void {
    ensureDataDir(this.dataDir);
    writePrivateFile(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
