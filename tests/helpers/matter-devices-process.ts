/**
 * Matter virtual devices for the matter-* tests: real matter.js ServerNodes in this process, run ONLY under
 * `ip netns exec` in a namespace the test created (matter.js advertises on every interface it sees and never on
 * loopback). Two nodes: a dimmable colour light, and a "home" node with a plug with electrical measurement, a door
 * lock, a thermostat, a window covering and temperature, humidity, occupancy and contact sensors, a smoke alarm and
 * a water leak detector.
 *
 * Args: --state-dir DIR [--interface IF]. Prints `{"event":"ready","nodes":{...pairing codes}}` on stdout, then
 * takes JSON lines on stdin: `{"id","cmd":"set","endpoint","values"}` (a change made on the device side) and
 * `{"id","cmd":"get","endpoint"}`; each answered by `{"event":"reply","id",...}`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Endpoint, Environment, Logger, ServerNode, VendorId } from '@matter/main';
import {
  ColorControlServer,
  DoorLockServer,
  ElectricalEnergyMeasurementServer,
  ElectricalPowerMeasurementServer,
  OccupancySensingServer,
  SmokeCoAlarmServer,
  ThermostatServer,
  WindowCoveringServer,
} from '@matter/main/behaviors';
import { ColorControl, DoorLock, OccupancySensing, ElectricalEnergyMeasurement, ElectricalPowerMeasurement, SmokeCoAlarm, Thermostat, WindowCovering } from '@matter/main/clusters';
import {
  ContactSensorDevice,
  DoorLockDevice,
  ExtendedColorLightDevice,
  HumiditySensorDevice,
  OccupancySensorDevice,
  OnOffPlugInUnitDevice,
  SmokeCoAlarmDevice,
  TemperatureSensorDevice,
  ThermostatDevice,
  WaterLeakDetectorDevice,
  WindowCoveringDevice,
} from '@matter/main/devices';
import { MeasurementType } from '@matter/main/types';

const { values: args } = parseArgs({ options: { 'state-dir': { type: 'string' }, interface: { type: 'string' } } });
if (!args['state-dir']) throw new Error('--state-dir is required');

const env = Environment.default;
env.vars.set('storage.path', args['state-dir']);
if (args.interface) env.vars.set('mdns.networkInterface', args.interface);
Logger.level = 'error';

const out = (obj: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);

const accuracy = {
  measured: true,
  minMeasuredValue: -1_000_000_000,
  maxMeasuredValue: 1_000_000_000,
  accuracyRanges: [{ rangeMin: -1_000_000_000, rangeMax: 1_000_000_000, fixedMax: 1 }],
};

const basic = (productName: string, productId: number, serial: string) => ({
  vendorName: 'Steward Test Devices',
  vendorId: VendorId(0xfff1),
  productName,
  productId,
  nodeLabel: productName,
  serialNumber: serial,
  uniqueId: serial,
});

async function lightNode() {
  const node = await ServerNode.create({
    id: 'light',
    network: { port: 5540 },
    commissioning: { passcode: 20202021, discriminator: 3840 },
    productDescription: { name: 'Colour Bulb', deviceType: ExtendedColorLightDevice.deviceType },
    basicInformation: basic('Colour Bulb', 0x8001, 'STW-LIGHT-1'),
  });
  const bulb = new Endpoint(
    ExtendedColorLightDevice.with(ColorControlServer.with(ColorControl.Feature.HueSaturation, ColorControl.Feature.Xy, ColorControl.Feature.ColorTemperature)),
    {
      id: 'bulb',
      onOff: { onOff: false },
      levelControl: { currentLevel: 127, minLevel: 1, maxLevel: 254 },
      colorControl: {
        colorMode: ColorControl.ColorMode.ColorTemperatureMireds,
        currentHue: 0,
        currentSaturation: 0,
        currentX: 24939,
        currentY: 24701,
        colorTemperatureMireds: 250,
        colorTempPhysicalMinMireds: 153,
        colorTempPhysicalMaxMireds: 370,
        coupleColorTempToLevelMinMireds: 153,
        startUpColorTemperatureMireds: null,
      },
    },
  );
  await node.add(bulb);
  return { node, endpoints: { bulb } as Record<string, Endpoint> };
}

async function homeNode() {
  const node = await ServerNode.create({
    id: 'home',
    network: { port: 5541 },
    commissioning: { passcode: 20202022, discriminator: 3841 },
    productDescription: { name: 'Test Home Kit', deviceType: OnOffPlugInUnitDevice.deviceType },
    basicInformation: basic('Test Home Kit', 0x8002, 'STW-HOME-1'),
  });
  const plug = new Endpoint(
    OnOffPlugInUnitDevice.with(
      ElectricalPowerMeasurementServer.with(ElectricalPowerMeasurement.Feature.AlternatingCurrent),
      ElectricalEnergyMeasurementServer.with(ElectricalEnergyMeasurement.Feature.ImportedEnergy, ElectricalEnergyMeasurement.Feature.CumulativeEnergy),
    ),
    {
      id: 'plug',
      onOff: { onOff: false },
      electricalPowerMeasurement: {
        powerMode: ElectricalPowerMeasurement.PowerMode.Ac,
        numberOfMeasurementTypes: 1,
        accuracy: [{ measurementType: MeasurementType.ActivePower, ...accuracy }],
        activePower: 0,
      },
      electricalEnergyMeasurement: {
        accuracy: { measurementType: MeasurementType.ElectricalEnergy, ...accuracy },
        cumulativeEnergyImported: { energy: 1_500_000 },
      },
    },
  );
  const lock = new Endpoint(DoorLockDevice.with(DoorLockServer.with()), {
    id: 'lock',
    doorLock: { lockState: DoorLock.LockState.Locked, lockType: DoorLock.LockType.DeadBolt, actuatorEnabled: true, operatingMode: DoorLock.OperatingMode.Normal },
  });
  const thermostat = new Endpoint(ThermostatDevice.with(ThermostatServer.with(Thermostat.Feature.Heating, Thermostat.Feature.Cooling)), {
    id: 'thermostat',
    thermostat: {
      localTemperature: 2150,
      systemMode: Thermostat.SystemMode.Heat,
      controlSequenceOfOperation: Thermostat.ControlSequenceOfOperation.CoolingAndHeating,
      occupiedHeatingSetpoint: 2000,
      occupiedCoolingSetpoint: 2600,
    },
  });
  const covering = new Endpoint(WindowCoveringDevice.with(WindowCoveringServer.with(WindowCovering.Feature.Lift, WindowCovering.Feature.PositionAwareLift)), {
    id: 'covering',
    windowCovering: {
      type: WindowCovering.WindowCoveringType.Rollershade,
      endProductType: WindowCovering.EndProductType.RollerShade,
      currentPositionLiftPercent100ths: 10000,
      targetPositionLiftPercent100ths: 10000,
    },
  });
  const temperature = new Endpoint(TemperatureSensorDevice, { id: 'temperature', temperatureMeasurement: { measuredValue: 2215, minMeasuredValue: -4000, maxMeasuredValue: 8500 } });
  const humidity = new Endpoint(HumiditySensorDevice, { id: 'humidity', relativeHumidityMeasurement: { measuredValue: 4550, minMeasuredValue: 0, maxMeasuredValue: 10000 } });
  const occupancy = new Endpoint(OccupancySensorDevice.with(OccupancySensingServer.with(OccupancySensing.Feature.PassiveInfrared)), {
    id: 'occupancy',
    occupancySensing: { occupancy: { occupied: false }, occupancySensorType: OccupancySensing.OccupancySensorType.Pir },
  });
  const contact = new Endpoint(ContactSensorDevice, { id: 'contact', booleanState: { stateValue: true } });
  const smoke = new Endpoint(SmokeCoAlarmDevice.with(SmokeCoAlarmServer.with(SmokeCoAlarm.Feature.SmokeAlarm)), {
    id: 'smoke',
    smokeCoAlarm: { smokeState: SmokeCoAlarm.AlarmState.Normal, expressedState: SmokeCoAlarm.ExpressedState.Normal },
  });
  const leak = new Endpoint(WaterLeakDetectorDevice, { id: 'leak', booleanState: { stateValue: false } });
  const endpoints: Record<string, Endpoint> = { plug, lock, thermostat, covering, temperature, humidity, occupancy, contact, smoke, leak };
  for (const ep of Object.values(endpoints)) await node.add(ep);
  return { node, endpoints };
}

const nodes = { light: await lightNode(), home: await homeNode() };
const endpoints: Record<string, Endpoint> = { ...nodes.light.endpoints, ...nodes.home.endpoints };
const t0 = Date.now();
for (const { node } of Object.values(nodes)) {
  await node.start();
  process.stderr.write(`started ${node.id} after ${Date.now() - t0} ms\n`);
}

const codes = Object.fromEntries(
  Object.entries(nodes).map(([name, { node, endpoints: eps }]) => [
    name,
    {
      manual: node.state.commissioning.pairingCodes.manualPairingCode,
      qr: node.state.commissioning.pairingCodes.qrPairingCode,
      commissioned: node.state.commissioning.commissioned,
      endpoints: Object.fromEntries(Object.entries(eps).map(([id, ep]) => [id, ep.number])),
    },
  ]),
);
out({ event: 'ready', nodes: codes });

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    let msg: { id?: string; cmd?: string; endpoint?: string; values?: Record<string, unknown>; node?: string } = {};
    try {
      msg = JSON.parse(line);
      const ep = msg.endpoint ? endpoints[msg.endpoint] : undefined;
      if (msg.cmd === 'set' && ep) {
        await ep.set(msg.values as never);
        out({ event: 'reply', id: msg.id, ok: true });
      } else if (msg.cmd === 'get' && ep) {
        out({ event: 'reply', id: msg.id, ok: true, state: ep.state });
      } else if (msg.cmd === 'fabrics' && msg.node) {
        const node = nodes[msg.node as keyof typeof nodes].node;
        // Removing a node's last fabric makes matter.js factory-reset it; while it re-initialises its state
        // cannot be read ("… is not initialized"). Wait for it (bounded) rather than report a failure.
        let state: { fabrics: number; commissioned: boolean } | undefined;
        for (let i = 0; i < 100 && !state; i++) {
          try {
            state = { fabrics: node.state.operationalCredentials.fabrics.length, commissioned: node.state.commissioning.commissioned };
          } catch (e) {
            if (!/not initialized/i.test((e as Error).message) || i === 99) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        out({ event: 'reply', id: msg.id, ok: true, ...state });
      } else out({ event: 'reply', id: msg.id, ok: false, error: 'unknown command' });
    } catch (e) {
      out({ event: 'reply', id: msg.id, ok: false, error: (e as Error).message });
    }
  })();
});

const stop = async () => {
  for (const { node } of Object.values(nodes)) await node.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
