import { z } from 'zod';
import { ManualPairingCodeCodec, QrPairingCodeCodec } from '@matter/main/types';
import { StewardError } from '@steward/device-adapters';

/** What a Matter setup code tells a commissioner: the passcode and how to recognise the device on the network. */
export interface SetupCode {
  passcode: number;
  /** the 12-bit discriminator (QR payloads) or the 4-bit short one (manual codes) */
  identifier: { longDiscriminator: number } | { shortDiscriminator: number };
}

/** an 11- or 21-digit manual pairing code (dashes and spaces allowed) or an `MT:` QR payload */
export const SetupCodeSchema = z
  .string()
  .trim()
  .max(200)
  .refine((s) => /^MT:[0-9A-Z.\-]+$/.test(s) || /^(\d{11}|\d{21})$/.test(s.replace(/[\s-]/g, '')), {
    message: 'a Matter setup code is an 11- or 21-digit manual pairing code or an MT: QR payload',
  });

/** Parses a setup code; throws INVALID_VALUE without echoing it (the passcode is a secret). */
export function parseSetupCode(input: string): SetupCode {
  const parsed = SetupCodeSchema.safeParse(input);
  if (!parsed.success) throw new StewardError('INVALID_VALUE', parsed.error.issues[0]?.message ?? 'bad setup code');
  const code = parsed.data;
  try {
    if (code.startsWith('MT:')) {
      const [data] = QrPairingCodeCodec.decode(code);
      if (!data) throw new Error('empty QR payload');
      return { passcode: data.passcode, identifier: { longDiscriminator: data.discriminator } };
    }
    const data = ManualPairingCodeCodec.decode(code.replace(/[\s-]/g, ''));
    if (data.shortDiscriminator === undefined) throw new Error('no discriminator');
    return { passcode: data.passcode, identifier: { shortDiscriminator: data.shortDiscriminator } };
  } catch (e) {
    // the codec's message may quote the digits: keep it out of errors and logs
    throw new StewardError('INVALID_VALUE', `not a valid Matter setup code (${e instanceof Error ? e.constructor.name : 'error'})`);
  }
}
