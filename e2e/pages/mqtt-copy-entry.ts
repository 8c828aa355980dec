// What an MFE bundles of Switchboard for e2e/tests/mqtt-copies.spec.ts: the spec builds this
// into one module (bus, cross-tab and the bridge included), a second copy beside Vite's.
export { createCrossTabPubSub } from '@switchboard/cross-tab';
export { attachMqtt } from '@switchboard/mqtt';
