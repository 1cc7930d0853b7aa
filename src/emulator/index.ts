// The local orchestrator emulator, for tests, the CLI and the extension's "Use Local Emulator".
export { startEmulator } from './server';
export type { EmulatorOptions, EmulatorHandle, RequestRecord } from './server';
export { FaultController } from './faults';
export type { Fault, RouteName, StepFailure } from './faults';
export { DEFAULT_TIMING } from './model';
export { createClock, createManualClock } from './clock';
export type { EmulatorClock } from './clock';
export type { StepTiming } from './model';
export { renderSeededPng, drawSeededPattern } from './images';
export { BUILTIN_MODEL_VERSIONS } from './site-model-versions';
export type { SiteModelVersion } from './site-model-versions';
