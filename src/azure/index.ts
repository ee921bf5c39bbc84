export { createArmAccess, type ArmAccess, type CreateArmAccessOptions } from './create-arm-access';
export { CredentialConfig, createCredentialProvider, describeCredentialConfig, type CredentialProvider } from './credentials';
export { ArmNetworkReader, armPeeringName } from './arm-network-reader';
export { ArmScheduler, DEFAULT_ARM_LIMITS, type ArmLimits, type ArmSchedulerStats } from './scheduler';
export { ClientPool, PUBLIC_ARM_ENDPOINT } from './client-pool';
export { ReadCache } from './read-cache';
export { toCodedError } from './arm-errors';
export { formatArmId, formatCircuitId, parseArmId, parseCircuitId, sameArmId, type ArmResourceId } from '../network/arm-id';
