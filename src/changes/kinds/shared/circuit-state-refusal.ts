import type { CommandRef } from '../../../command-names';
import type { Circuit } from '../../../network/types';
import type { Refusal } from '../../change-kind';

const BUSY = new Set(['updating', 'creating', 'deleting']);

/**
 * Refusals every circuit change shares. A write while another runs gets 429 from ARM anyway; refusing at
 * request time saves the approvers a click that could never work.
 */
/** Any resource: refused while ARM is still running another write on it. `shows` is the command that shows its state. */
export function resourceBusyRefusal(name: string, state: string, shows?: CommandRef): Refusal | undefined {
  if (!BUSY.has(state.toLowerCase())) return undefined;
  return {
    reason: `${name} is ${state} right now: another change is still running on it.`,
    alternative: shows
      ? ['Wait until its provisioning state is Succeeded (', shows, ' shows it), then ask again.']
      : 'Wait until its provisioning state is Succeeded, then ask again.',
  };
}

export function circuitStateRefusal(circuit: Circuit, needsProvisioned: boolean): Refusal | undefined {
  const state = circuit.provisioningState;
  const busy = resourceBusyRefusal(circuit.name, state, { say: 'circuit', args: [circuit.name] });
  if (busy) return busy;
  if (state.toLowerCase() === 'failed') {
    return {
      reason: `${circuit.name}'s last operation failed (provisioning state Failed), so Azure may refuse further changes.`,
      alternative: 'Repair the circuit first (re-apply its last good configuration, or open an Azure support case), then ask again.',
    };
  }
  if (needsProvisioned && circuit.serviceProviderProvisioningState !== 'Provisioned') {
    return {
      reason: `${circuit.name} is not provisioned by its provider yet (provider state ${circuit.serviceProviderProvisioningState || 'unknown'}).`,
      alternative: `Ask ${circuit.provider?.name ?? 'the provider'} to finish provisioning with the service key, then ask again.`,
    };
  }
  if (needsProvisioned && circuit.circuitProvisioningState !== 'Enabled') {
    return {
      reason: `${circuit.name} is not enabled on Microsoft's side (circuit state ${circuit.circuitProvisioningState || 'unknown'}).`,
      alternative: 'Check the circuit in the Azure portal or with Azure support; changes need it Enabled.',
    };
  }
  return undefined;
}
