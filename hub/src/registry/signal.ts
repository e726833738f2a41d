// the Signal moved to the core (transport and others use it too); kept here for older imports
export { Signal } from '../core/signal.ts';
