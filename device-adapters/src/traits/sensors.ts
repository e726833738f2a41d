import { defineTrait, NoAttributes, NoParams, PERCENT } from '../trait.ts';

/** Measuring traits: read-only fields, no commands. */
export const temperature = defineTrait({
  id: 'temperature',
  summary: 'Measured temperature',
  attributes: NoAttributes,
  fields: { temperatureC: { datatype: 'float', unit: '°C', readOnly: true } },
  commands: {},
});

export const humidity = defineTrait({
  id: 'humidity',
  summary: 'Measured relative humidity',
  attributes: NoAttributes,
  fields: { humidityPct: { datatype: 'float', unit: '%', range: () => PERCENT, readOnly: true } },
  commands: {},
});

export const contact = defineTrait({
  id: 'contact',
  summary: 'A door or window contact: open or closed',
  attributes: NoAttributes,
  fields: { open: { datatype: 'boolean', readOnly: true } },
  commands: {},
});
