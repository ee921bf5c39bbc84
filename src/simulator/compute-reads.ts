import type { Json, ResourceStore } from './resource-store';
import { list, obj, props, str } from './write-rule';

/**
 * Microsoft.Compute virtual machines as ARM serves them (VirtualMachines_Get, _List, _InstanceView): a VM's
 * power state lives in its instance view, which a plain GET leaves out and `$expand=instanceView` (or
 * …/instanceView) returns. A fleet may carry `properties.instanceView` on a VM; without one the VM is running.
 */

const VM = /\/providers\/microsoft\.compute\/virtualmachines\/[^/]+$/i;
export const VM_INSTANCE_VIEW = /^(.*\/providers\/microsoft\.compute\/virtualmachines\/[^/]+)\/instanceview$/i;

export function isVirtualMachineId(id: string): boolean {
  return VM.test(id);
}

/** The instance view of a VM: the fleet's, or that of a VM provisioned and running. */
export function instanceViewOf(vm: Json): Json {
  const own = obj(props(vm).instanceView);
  if (Array.isArray(own.statuses)) return own;
  return {
    statuses: [
      { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
      { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
    ],
  };
}

/** The VM's power state, e.g. running, deallocated, stopped (PowerState/… in its instance view). */
export function powerStateOf(vm: Json): string {
  const code = list(instanceViewOf(vm).statuses)
    .map((s) => str(s.code) ?? '')
    .find((c) => c.toLowerCase().startsWith('powerstate/'));
  return (code ?? 'PowerState/running').slice('PowerState/'.length).toLowerCase();
}

/** A resource body as a GET or list answers it: a VM's instance view only when the caller expands it. */
export function presentResource(body: Json, query: Record<string, string>): Json {
  if (!isVirtualMachineId(str(body.id) ?? '')) return body;
  const properties = { ...props(body) };
  if ((query.$expand ?? '').toLowerCase() === 'instanceview') properties.instanceView = instanceViewOf(body);
  else delete properties.instanceView;
  return { ...body, properties };
}

/**
 * A VM's properties as Resource Graph indexes them: no instance view, but its power state under
 * `extended.instanceView`, so that a query can find the VMs that are not running.
 */
export function resourceGraphProperties(body: Json): Json {
  const properties = props(presentResource(body, {}));
  if (!isVirtualMachineId(str(body.id) ?? '')) return properties;
  const power = list(instanceViewOf(body).statuses).find((s) => (str(s.code) ?? '').toLowerCase().startsWith('powerstate/'));
  const computerName = str(obj(properties.osProfile).computerName);
  return {
    ...properties,
    extended: { instanceView: { ...(computerName ? { computerName } : {}), powerState: power ?? { code: 'PowerState/running' } } },
  };
}

/** GET …/virtualMachines/{vm}/instanceView, or undefined when the VM is not in the fleet. */
export function virtualMachineInstanceView(store: ResourceStore, vmId: string): Json | undefined {
  const vm = store.get(vmId);
  return vm ? instanceViewOf(vm) : undefined;
}
