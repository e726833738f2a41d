/**
 * The Matter driver's pure parts: setup codes as a commissioner reads them (manual 11- and 21-digit codes, `MT:`
 * QR payloads, typos refused without echoing the passcode) and the unit conversions of the cluster mappings.
 * The mappings against real devices are in matter-controller.test.ts.
 */
import { describe, expect, it } from 'vitest';
// the driver first: it tells matter.js not to take over this process's argv and signals before matter.js loads
import { parseSetupCode } from '@steward/driver-matter';
import { ManualPairingCodeCodec, QrPairingCodeCodec, VendorId, CommissioningFlowType } from '@matter/main/types';
import { levelToPercent, percentToLevel } from '@steward/driver-matter/clusters/level-control.ts';
import { degreesToHue, hueToDegrees, kelvinToMireds, miredsToKelvin, percentToSat, satToPercent } from '@steward/driver-matter/clusters/color-control.ts';
import { openToPercent100ths, percent100thsToOpen } from '@steward/driver-matter/clusters/window-covering.ts';
import { cToCenti, centiToC } from '@steward/driver-matter/clusters/thermostat.ts';

describe('Matter setup codes', () => {
  it('reads an 11-digit manual code (dashes and spaces allowed): passcode and short discriminator', () => {
    // the specification's example: discriminator 3840, passcode 20202021
    expect(parseSetupCode('34970112332')).toEqual({ passcode: 20202021, identifier: { shortDiscriminator: 15 } });
    expect(parseSetupCode('3497-011-2332')).toEqual(parseSetupCode('34970112332'));
    expect(parseSetupCode(' 3497 0112 332 ')).toEqual(parseSetupCode('34970112332'));
  });

  it('reads a 21-digit manual code and an MT: QR payload (long discriminator)', () => {
    const long = ManualPairingCodeCodec.encode({ discriminator: 3841, passcode: 20202022, vendorId: VendorId(0xfff1), productId: 0x8002 });
    expect(long).toMatch(/^\d{21}$/);
    expect(parseSetupCode(long)).toEqual({ passcode: 20202022, identifier: { shortDiscriminator: 15 } });
    const qr = QrPairingCodeCodec.encode([
      { version: 0, vendorId: VendorId(0xfff1), productId: 0x8001, flowType: CommissioningFlowType.Standard, discoveryCapabilities: 4, discriminator: 3840, passcode: 20202021 },
    ]);
    expect(qr).toMatch(/^MT:/);
    expect(parseSetupCode(qr)).toEqual({ passcode: 20202021, identifier: { longDiscriminator: 3840 } });
  });

  it('refuses malformed codes and typos with INVALID_VALUE, never quoting the code', () => {
    for (const bad of ['123', '349701123321', 'MT:', 'hello', '34970112333', 'MT:ab//']) {
      let err: any;
      try {
        parseSetupCode(bad);
      } catch (e) {
        err = e;
      }
      expect(err?.code, bad).toBe('INVALID_VALUE');
      const secret = bad.replace(/^MT:/, '');
      if (secret.length > 0) expect(err.message).not.toContain(secret);
    }
  });
});

describe('Matter unit conversions', () => {
  it('level 0-254 and percent', () => {
    expect([254, 203, 127, 1, 0].map(levelToPercent)).toEqual([100, 80, 50, 1, 0]);
    expect([100, 80, 30, 1].map((p) => percentToLevel(p))).toEqual([254, 203, 76, 3]);
    // never below the device's minimum level
    expect(percentToLevel(0, 1)).toBe(1);
  });

  it('hue 0-254 and degrees, saturation 0-254 and percent, mireds and kelvin', () => {
    expect([0, 85, 254].map(hueToDegrees)).toEqual([0, 120, 0]);
    expect([0, 120, 359].map(degreesToHue)).toEqual([0, 85, 253]);
    expect([satToPercent(254), percentToSat(100), percentToSat(50)]).toEqual([100, 254, 127]);
    expect([miredsToKelvin(153), miredsToKelvin(250), miredsToKelvin(370)]).toEqual([6536, 4000, 2703]);
    expect([kelvinToMireds(3000), kelvinToMireds(6500)]).toEqual([333, 154]);
  });

  it('covering: Matter counts closed in 0.01 %, Steward open in %', () => {
    expect([0, 7000, 10000].map(percent100thsToOpen)).toEqual([100, 30, 0]);
    expect([100, 30, 0].map(openToPercent100ths)).toEqual([0, 7000, 10000]);
  });

  it('temperatures in 0.01 °C', () => {
    expect([centiToC(2333), centiToC(-450), cToCenti(22.5)]).toEqual([23.33, -4.5, 2250]);
  });
});
