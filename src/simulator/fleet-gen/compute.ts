import type { FleetRecord } from './circuit-fixture';
import { putNetworkResource, resourceId, type Scope } from './network-resources';
import { SeededRandom } from './seeded-random';
import { addReference, entry, subnetEntry } from './subnets';

/**
 * NICs (Microsoft.Network/networkInterfaces) in a subnet and VMs (Microsoft.Compute/virtualMachines, api-version
 * 2024-07-01 shape) with their NICs, linked both ways as ARM shows them: the VM lists its NICs (one primary),
 * the NIC names its VM, the subnet lists the NIC's IP configuration, an NSG on the NIC lists the NIC.
 */

export type PowerState = 'running' | 'stopped' | 'deallocated';

export function virtualMachineId(s: Omit<Scope, 'location'>): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${s.name}`;
}

/** A NIC with one (primary) IP configuration in `subnetId`, optionally with its own NSG. Returns its id. */
export function addNetworkInterface(fleet: FleetRecord, o: Scope & { subnetId: string; privateIPAddress: string; nsgId?: string }): string {
  const random = new SeededRandom(`${o.name}${o.subscriptionId}`);
  const subnet = subnetEntry(fleet, o.subnetId);
  const nsg = o.nsgId ? entry(fleet, o.nsgId, 'network security group') : undefined;
  const id = putNetworkResource(fleet, o, 'networkInterfaces', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    ipConfigurations: [
      {
        name: 'ipconfig1',
        id: `${resourceId(o, 'networkInterfaces')}/ipConfigurations/ipconfig1`,
        etag: random.etag(),
        type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          provisioningState: 'Succeeded',
          privateIPAddress: o.privateIPAddress,
          privateIPAllocationMethod: 'Static',
          privateIPAddressVersion: 'IPv4',
          subnet: { id: o.subnetId },
          primary: true,
        },
      },
    ],
    dnsSettings: { dnsServers: [], appliedDnsServers: [] },
    macAddress: random.mac().replace(/:/g, '-').toUpperCase(),
    enableAcceleratedNetworking: true,
    enableIPForwarding: false,
    ...(o.nsgId ? { networkSecurityGroup: { id: o.nsgId } } : {}),
    nicType: 'Standard',
    vnetEncryptionSupported: false,
  });
  addReference(subnet, 'ipConfigurations', `${id}/ipConfigurations/ipconfig1`);
  if (nsg) addReference(nsg, 'networkInterfaces', id);
  return id;
}

/**
 * A VM with `nicIds` (the first primary), attached to each NIC. `powerState` other than running puts an instance
 * view in the fleet (ARM shows it with $expand=instanceView); effective routes then can't be read. Returns its id.
 */
export function addVirtualMachine(fleet: FleetRecord, o: Scope & { nicIds: string[]; size?: string; powerState?: PowerState }): string {
  const random = new SeededRandom(`${o.name}${o.subscriptionId}`);
  const id = virtualMachineId(o);
  const state = o.powerState ?? 'running';
  fleet[id] = {
    name: o.name,
    id,
    etag: `"${random.int(1, 9)}"`,
    type: 'Microsoft.Compute/virtualMachines',
    location: o.location,
    tags: {},
    properties: {
      vmId: random.guid(),
      hardwareProfile: { vmSize: o.size ?? 'Standard_D2s_v5' },
      storageProfile: {
        imageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
        osDisk: {
          osType: 'Linux',
          name: `${o.name}_OsDisk_1`,
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS' },
          deleteOption: 'Delete',
          diskSizeGB: 30,
        },
        dataDisks: [],
      },
      osProfile: {
        computerName: o.name,
        adminUsername: 'azureuser',
        linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true },
        secrets: [],
        allowExtensionOperations: true,
      },
      networkProfile: { networkInterfaces: o.nicIds.map((nic, i) => ({ id: nic, properties: { primary: i === 0 } })) },
      provisioningState: 'Succeeded',
      ...(state === 'running'
        ? {}
        : {
            instanceView: {
              statuses: [
                { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
                { code: `PowerState/${state}`, level: 'Info', displayStatus: state === 'stopped' ? 'VM stopped' : 'VM deallocated' },
              ],
            },
          }),
    },
  };
  for (const nic of o.nicIds) entry(fleet, nic, 'network interface').properties.virtualMachine = { id };
  return id;
}

/** A VM with one NIC (named <vm>-nic) in `subnetId`. */
export function addVmWithNic(
  fleet: FleetRecord,
  o: Scope & { subnetId: string; privateIPAddress: string; nsgId?: string; size?: string; powerState?: PowerState },
): { vmId: string; nicId: string } {
  const { subnetId, privateIPAddress, nsgId, size, powerState, ...scope } = o;
  const nicId = addNetworkInterface(fleet, { ...scope, name: `${o.name}-nic`, subnetId, privateIPAddress, ...(nsgId ? { nsgId } : {}) });
  const vmId = addVirtualMachine(fleet, { ...scope, nicIds: [nicId], ...(size ? { size } : {}), ...(powerState ? { powerState } : {}) });
  return { vmId, nicId };
}
