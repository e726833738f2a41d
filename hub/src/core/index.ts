/** The hub's neutral core: shared types and primitives. Imports nothing else of the hub. */
export * from './actions.ts';
export * from './chat.ts';
export * from './clock.ts';
export * from './feature.ts';
export * from './signal.ts';
export * from './trajectory.ts';
export * from './wait.ts';
export * from './rejections.ts';
