export { installHint, startMosquitto } from './mosquitto.ts';
export { ensureMosquitto } from './ensure-mosquitto.ts';

export type { Mosquitto, MosquittoOptions, MosquittoUser } from './mosquitto.ts';
