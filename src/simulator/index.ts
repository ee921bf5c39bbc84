export { startSimulator, type RunningSimulator, type SimRequest, type StartSimulatorOptions } from './start-simulator';
export { SimulatorSettings, Fault } from './simulator-settings';
export { Fleet, parseFleet, loadFleetFile } from './fleet';
export { generateCertificate, type CertificatePair } from './certificate';
export { buildDemoFleet } from './demo-fleet';
export { buildScaleFleet } from './scale-fleet';
