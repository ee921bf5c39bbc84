import { parseArmPath, resourceType } from './arm-path';
import type { Json, ResourceStore } from './resource-store';
import { list, obj, props, resourcesOfType, str } from './write-rule';

/**
 * The read-only back-references ARM keeps: a route table and an NSG list the subnets associated with them
 * (`subnets`), an NSG the NICs it is on (`networkInterfaces`), a subnet the NIC IP configurations in it
 * (`ipConfigurations`), a NIC the VM it is attached to (`virtualMachine`). The caller writes one side (the subnet,
 * the NIC, the VM); once that write succeeds, the other side follows.
 */

const VNETS = 'microsoft.network/virtualnetworks';
const SUBNETS = 'microsoft.network/virtualnetworks/subnets';
const NICS = 'microsoft.network/networkinterfaces';
const NSGS = 'microsoft.network/networksecuritygroups';
const ROUTE_TABLES = 'microsoft.network/routetables';
const VMS = 'microsoft.compute/virtualmachines';

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const idOf = (v: unknown) => lower(str(obj(v).id));
const refs = (ids: string[]) => ids.map((id) => ({ id }));

export function refreshNetworkLinks(store: ResourceStore, id: string): void {
  const type = resourceType(parseArmPath(id));
  if (type === VNETS || type === SUBNETS) refreshSubnetAssociations(store, type === VNETS ? id : id.replace(/\/subnets\/[^/]+$/i, ''));
  if (type === NICS) refreshInterface(store, id);
  if (type === VMS) refreshVirtualMachine(store, id);
}

/** Replaces, in `holder`'s own `property` list of references, those matching `mine` with `current`. */
function relink(store: ResourceStore, holder: Json, property: string, mine: (id: string) => boolean, current: string[]): void {
  const before = list(props(holder)[property]);
  const after = [...before.filter((r) => !mine(lower(str(r.id)))), ...refs(current)];
  if (JSON.stringify(after) === JSON.stringify(before)) return;
  store.patchOwn(str(holder.id) ?? '', (own) => (own.properties = { ...props(own), [property]: after }));
}

/** The IP configurations of the NICs, each with the subnet it is in. */
function configurationsOf(nics: Json[]): Array<{ id: string; subnet: string }> {
  return nics.flatMap((nic) =>
    list(props(nic).ipConfigurations).map((c) => ({
      id: `${str(nic.id) ?? ''}/ipConfigurations/${str(c.name) ?? ''}`,
      subnet: idOf(props(c).subnet),
    })),
  );
}

function refreshSubnetAssociations(store: ResourceStore, vnetId: string): void {
  const under = `${lower(vnetId)}/subnets/`;
  const subnets = list(props(store.get(vnetId)).subnets);
  // A VNet written whole brings its subnets as the caller sent them, without the NIC configurations ARM lists.
  const configs = configurationsOf(resourcesOfType(store, NICS));
  for (const subnet of subnets) {
    const inSubnet = configs.filter((c) => c.subnet === lower(str(subnet.id))).map((c) => c.id);
    relink(store, subnet, 'ipConfigurations', () => true, inSubnet);
  }
  for (const [type, property] of [
    [ROUTE_TABLES, 'routeTable'],
    [NSGS, 'networkSecurityGroup'],
  ] as const) {
    for (const holder of resourcesOfType(store, type)) {
      const associated = subnets.filter((s) => idOf(props(s)[property]) === lower(str(holder.id))).flatMap((s) => str(s.id) ?? []);
      relink(store, holder, 'subnets', (ref) => ref.startsWith(under), associated);
    }
  }
}

function refreshInterface(store: ResourceStore, nicId: string): void {
  const nic = store.get(nicId);
  const configs = nic ? configurationsOf([nic]) : [];
  const ofNic = (ref: string) => ref.startsWith(`${lower(nicId)}/ipconfigurations/`);
  for (const vnet of resourcesOfType(store, VNETS)) {
    for (const subnet of list(props(vnet).subnets)) {
      const inSubnet = configs.filter((c) => c.subnet === lower(str(subnet.id))).map((c) => c.id);
      relink(store, subnet, 'ipConfigurations', ofNic, inSubnet);
    }
  }
  for (const nsg of resourcesOfType(store, NSGS)) {
    const on = idOf(props(nic).networkSecurityGroup) === lower(str(nsg.id));
    relink(store, nsg, 'networkInterfaces', (ref) => ref === lower(nicId), on ? [nicId] : []);
  }
}

function refreshVirtualMachine(store: ResourceStore, vmId: string): void {
  const attached = new Set(list(obj(props(store.get(vmId)).networkProfile).networkInterfaces).map((n) => lower(str(n.id))));
  for (const nic of resourcesOfType(store, NICS)) {
    const nicId = str(nic.id) ?? '';
    const listed = attached.has(lower(nicId));
    if (!listed && idOf(props(nic).virtualMachine) !== lower(vmId)) continue;
    store.patchOwn(nicId, (own) => {
      const properties = { ...props(own) };
      if (listed) properties.virtualMachine = { id: vmId };
      else delete properties.virtualMachine;
      own.properties = properties;
    });
  }
}
