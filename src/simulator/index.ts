export { startSimulator, type RunningSimulator, type SimRequest, type StartSimulatorOptions } from './start-simulator';
export { SimulatorSettings, Fault, TimelineEntry } from './simulator-settings';
export { Fleet, parseFleet, loadFleetFile } from './fleet';
export { generateCertificate, type CertificatePair } from './certificate';
export { buildDemoFleet, demoIncidentTimes, DEMO_DEVICE_READ_MS, DEMO_INCIDENT, type DemoIncidentTiming } from './demo-fleet';
export {
  buildScaleFleet,
  FAILURE_MODES,
  NEAR_LIMIT_ROUTES,
  type FailureMode,
  type ScaleFleet,
  type ScaleFleetOptions,
} from './scale-fleet';
