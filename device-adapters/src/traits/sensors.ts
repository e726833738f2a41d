import { defineTrait, NoAttributes, PERCENT } from '../trait.ts';

/** Measuring traits: read-only fields, no commands. A sensor device has any mix of them. */
export const temperature = defineTrait({
  id: 'temperature',
  summary: 'Measured temperature',
  attributes: NoAttributes,
  fields: { temperatureC: { room: { temperature: 0 }, answers: { temperature: 4 }, datatype: 'float', unit: '°C', readOnly: true, aspects: ['temperature'] } },
  commands: {},
});

export const humidity = defineTrait({
  id: 'humidity',
  summary: 'Measured relative humidity',
  attributes: NoAttributes,
  fields: { humidityPct: { room: { humidity: 0 }, answers: { humidity: 0 }, datatype: 'float', unit: '%', range: () => PERCENT, readOnly: true, aspects: ['humidity'] } },
  commands: {},
});

export const contact = defineTrait({
  id: 'contact',
  summary: 'A door or window contact: open or closed',
  attributes: NoAttributes,
  fields: { open: { answers: { open: 1 }, datatype: 'boolean', readOnly: true, aspects: ['open'] } },
  commands: {},
});

export const motion = defineTrait({
  id: 'motion',
  summary: 'Motion or occupancy: someone is there',
  attributes: NoAttributes,
  fields: { occupied: { datatype: 'boolean', readOnly: true, aspects: ['occupancy'], states: { detected: true, occupied: true, clear: false } } },
  commands: {},
});

export const smoke = defineTrait({
  id: 'smoke',
  summary: 'Smoke alarm: smoke detected',
  attributes: NoAttributes,
  fields: { smokeDetected: { datatype: 'boolean', readOnly: true, aspects: ['smoke'], states: { detected: true, clear: false } } },
  commands: {},
});

export const leak = defineTrait({
  id: 'leak',
  summary: 'Water leak: water detected',
  attributes: NoAttributes,
  fields: { leakDetected: { datatype: 'boolean', readOnly: true, aspects: ['leak'], states: { detected: true, wet: true, dry: false, clear: false } } },
  commands: {},
});

export const battery = defineTrait({
  id: 'battery',
  summary: 'Battery charge of a battery-powered device',
  attributes: NoAttributes,
  fields: { batteryPct: { answers: { battery: 0 }, alsoAnswers: { remaining: 5 }, datatype: 'integer', unit: '%', range: () => PERCENT, readOnly: true } },
  commands: {},
});

/** A plug's (or any appliance's) electrical measurement. */
export const powerMeter = defineTrait({
  id: 'powerMeter',
  summary: 'Electrical measurement: power now and energy used',
  attributes: NoAttributes,
  fields: {
    powerW: { datatype: 'float', unit: 'W', readOnly: true, aspects: ['powerDraw'] },
    energyKWh: { datatype: 'float', unit: 'kWh', readOnly: true, optional: true, aspects: ['energy'] },
  },
  commands: {},
});

/** Air quality as fine particles (PM2.5), in µg/m³. */
export const airQuality = defineTrait({
  id: 'airQuality',
  summary: 'Air quality: fine particles (PM2.5)',
  attributes: NoAttributes,
  fields: { pm25: { datatype: 'integer', unit: 'µg/m³', readOnly: true, aspects: ['airQuality'] } },
  commands: {},
});
