/**
 * Homie v5 ids are `[a-z0-9-]` (Homie 5 "Topic IDs"). Our device ids use `_` and our state fields are camelCase,
 * so both are mapped reversibly: `living_room_light` <-> `living-room-light`, `colorTempK` <-> `color-temp-k`.
 */
const HOMIE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const DEVICE_ID = /^[a-z0-9]+(_[a-z0-9]+)*$/;
export const NODE_ID = HOMIE_ID;
export const FIELD_ID = /^[a-z][a-zA-Z0-9]*$/;

export function isHomieId(s: string): boolean {
  return HOMIE_ID.test(s);
}

export function deviceIdToHomie(deviceId: string): string {
  return deviceId.replace(/_/g, '-');
}

export function homieToDeviceId(homieId: string): string {
  return homieId.replace(/-/g, '_');
}

/** `colorTempK` -> `color-temp-k`; digits stay attached to the word before them (`hdmi2`). */
export function fieldToHomie(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `color-temp-k` -> `colorTempK` */
export function homieToField(prop: string): string {
  return prop.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
