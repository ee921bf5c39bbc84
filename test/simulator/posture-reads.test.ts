import { strict as assert } from 'node:assert';
import type { ExpressRoutePort } from '@azure/arm-network';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { addExpressRoutePort } from '../../src/simulator/fleet-gen/network-resources';
import { ROUTING, ROUTING_RG, ROUTING_SUB, routingWorld } from '../support/posture-fleets';
import { rawRequest } from './raw-request';
import { collect, fastPolling, networkClient } from './sdk-clients';

/**
 * What the security posture reads, served as ARM serves it, through the real SDK where it has the operation:
 * NSGs with their own and default rules, subnets with their NSG and route table (and the back-references ARM
 * keeps), NICs, Compute VMs, and MACsec on a Direct port; and the rules ARM enforces on writing them.
 */

const COMPUTE = `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Compute/virtualMachines`;
const COMPUTE_API = { 'api-version': '2024-07-01' };
const withQuery = (path: string, q: Record<string, string>) => `${path}?${new URLSearchParams(q).toString()}`;

describe('simulator: NSGs, subnets, NICs, VMs and MACsec as ARM serves them', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    const fleet = routingWorld((f) =>
      addExpressRoutePort(f, {
        subscriptionId: ROUTING_SUB,
        resourceGroup: ROUTING_RG,
        location: 'westeurope',
        name: 'erport-ams',
        peeringLocation: 'Amsterdam',
        bandwidthInGbps: 10,
      }),
    );
    sim = await startSimulator({ fleet, settings: { lroDurationMs: 0, deviceReadMs: 0 } });
  });
  afterEach(() => sim.close());
  const nw = () => networkClient(sim, ROUTING_SUB);

  it('should serve an NSG with its rules and Azure’s six default rules inline, and each rule on its own path', async () => {
    const nsg = await nw().networkSecurityGroups.get(ROUTING_RG, 'nsg-app');
    assert.deepEqual(
      nsg.securityRules?.map((r) => [r.name, r.priority, r.direction, r.access, r.sourceAddressPrefix, r.destinationAddressPrefix]),
      [
        ['allow-https-from-onprem', 100, 'Inbound', 'Allow', '10.20.0.0/16', '*'],
        ['deny-internet-outbound', 4000, 'Outbound', 'Deny', '*', 'Internet'],
      ],
    );
    assert.deepEqual(
      nsg.defaultSecurityRules?.map((r) => `${r.name} ${r.priority} ${r.direction} ${r.access}`),
      [
        'AllowVnetInBound 65000 Inbound Allow',
        'AllowAzureLoadBalancerInBound 65001 Inbound Allow',
        'DenyAllInBound 65500 Inbound Deny',
        'AllowVnetOutBound 65000 Outbound Allow',
        'AllowInternetOutBound 65001 Outbound Allow',
        'DenyAllOutBound 65500 Outbound Deny',
      ],
    );
    assert.deepEqual(
      nsg.subnets?.map((s) => s.id),
      [`${ROUTING.hub}/subnets/snet-app`],
    );
    assert.equal((await nw().securityRules.get(ROUTING_RG, 'nsg-app', 'allow-https-from-onprem')).destinationPortRange, '443');
    assert.equal((await nw().defaultSecurityRules.get(ROUTING_RG, 'nsg-app', 'DenyAllInBound')).access, 'Deny');
    assert.equal((await collect(nw().networkSecurityGroups.list(ROUTING_RG))).length, 2);
  });

  it('should serve subnets inside their VNet and on their own, with their NSG and route table', async () => {
    const hub = await nw().virtualNetworks.get(ROUTING_RG, 'vnet-hub');
    assert.deepEqual(
      hub.subnets?.map((s) => [s.name, s.networkSecurityGroup?.id ?? null, s.routeTable?.id ?? null]),
      [
        ['GatewaySubnet', null, null],
        ['snet-nva', ROUTING.nsgNva, null],
        ['snet-app', ROUTING.nsgApp, ROUTING.routeTable],
      ],
    );
    const app = await nw().subnets.get(ROUTING_RG, 'vnet-hub', 'snet-app');
    assert.equal(app.addressPrefix, '10.1.1.0/24');
    assert.equal(app.ipConfigurations?.length, 3, 'vm-app, vm-off and nic-loose');
    assert.deepEqual(
      (await collect(nw().subnets.list(ROUTING_RG, 'vnet-spoke'))).map((s) => s.name),
      ['snet-spoke'],
    );
    assert.deepEqual(
      (await nw().virtualNetworks.get(ROUTING_RG, 'vnet-spoke')).virtualNetworkPeerings?.map((p) => [p.peeringState, p.useRemoteGateways]),
      [['Connected', true]],
    );
    assert.deepEqual(
      (await nw().routeTables.get(ROUTING_RG, 'rt-app')).subnets?.map((s) => s.id),
      [`${ROUTING.hub}/subnets/snet-app`],
    );
  });

  it('should keep the back-references when a subnet changes its NSG and route table', async () => {
    await nw().subnets.beginCreateOrUpdateAndWait(
      ROUTING_RG,
      'vnet-spoke',
      'snet-spoke',
      { addressPrefix: '10.2.1.0/24', networkSecurityGroup: { id: ROUTING.nsgApp }, routeTable: { id: ROUTING.routeTable } },
      fastPolling,
    );
    await nw().subnets.beginCreateOrUpdateAndWait(
      ROUTING_RG,
      'vnet-hub',
      'snet-nva',
      { addressPrefix: '10.1.0.0/24', networkSecurityGroup: { id: ROUTING.nsgApp } },
      fastPolling,
    );
    const spoke = `${ROUTING.spoke}/subnets/snet-spoke`;
    const nva = `${ROUTING.hub}/subnets/snet-nva`;
    assert.deepEqual(
      (await nw().networkSecurityGroups.get(ROUTING_RG, 'nsg-app')).subnets?.map((s) => s.id).sort(),
      [`${ROUTING.hub}/subnets/snet-app`, nva, spoke].sort(),
    );
    assert.deepEqual((await nw().networkSecurityGroups.get(ROUTING_RG, 'nsg-nva')).subnets ?? [], []);
    assert.ok((await nw().routeTables.get(ROUTING_RG, 'rt-app')).subnets?.some((s) => s.id === spoke));
    // The subnet shows in its VNet at once.
    const inVnet = (await nw().virtualNetworks.get(ROUTING_RG, 'vnet-spoke')).subnets?.[0];
    assert.equal(inVnet?.routeTable?.id, ROUTING.routeTable);
    // A VNet written whole (read, changed, put back: the SDK sends no read-only lists) keeps what ARM lists.
    const hub = await nw().virtualNetworks.get(ROUTING_RG, 'vnet-hub');
    await nw().virtualNetworks.beginCreateOrUpdateAndWait(ROUTING_RG, 'vnet-hub', { ...hub, tags: { touched: 'yes' } }, fastPolling);
    assert.equal((await nw().subnets.get(ROUTING_RG, 'vnet-hub', 'snet-app')).ipConfigurations?.length, 3);
    // A NIC given its own NSG is listed on it.
    const nic = await nw().networkInterfaces.get(ROUTING_RG, 'vm-spoke-nic');
    await nw().networkInterfaces.beginCreateOrUpdateAndWait(
      ROUTING_RG,
      'vm-spoke-nic',
      { ...nic, networkSecurityGroup: { id: ROUTING.nsgNva } },
      fastPolling,
    );
    assert.deepEqual(
      (await nw().networkSecurityGroups.get(ROUTING_RG, 'nsg-nva')).networkInterfaces?.map((n) => n.id),
      [nic.id],
    );
    assert.equal((await nw().networkInterfaces.get(ROUTING_RG, 'vm-spoke-nic')).virtualMachine?.id, `${COMPUTE}/vm-spoke`);
  });

  it('should serve NICs with their IP configuration and VM, and Compute VMs with their NICs, the instance view only when expanded', async () => {
    const nic = await nw().networkInterfaces.get(ROUTING_RG, 'vm-app-nic');
    assert.equal(nic.ipConfigurations?.[0]?.privateIPAddress, '10.1.1.4');
    assert.equal(nic.ipConfigurations?.[0]?.subnet?.id, `${ROUTING.hub}/subnets/snet-app`);
    assert.equal(nic.ipConfigurations?.[0]?.primary, true);
    assert.equal(nic.virtualMachine?.id, `${COMPUTE}/vm-app`);
    assert.equal((await collect(nw().networkInterfaces.list(ROUTING_RG))).length, 5);

    const vm = await rawRequest(sim, 'GET', withQuery(`${COMPUTE}/vm-app`, COMPUTE_API));
    assert.equal(vm.status, 200);
    const props = vm.body?.properties as { networkProfile: { networkInterfaces: Array<{ id: string; properties: { primary: boolean } }> } };
    assert.equal(vm.body?.type, 'Microsoft.Compute/virtualMachines');
    assert.deepEqual(props.networkProfile.networkInterfaces, [{ id: nic.id, properties: { primary: true } }]);
    assert.equal((vm.body?.properties as Record<string, unknown>).instanceView, undefined);
    const off = await rawRequest(sim, 'GET', withQuery(`${COMPUTE}/vm-off`, { ...COMPUTE_API, $expand: 'instanceView' }));
    const statuses = (off.body?.properties as { instanceView: { statuses: Array<{ code: string }> } }).instanceView.statuses;
    assert.ok(statuses.some((s) => s.code === 'PowerState/deallocated'));
    const view = await rawRequest(sim, 'GET', withQuery(`${COMPUTE}/vm-app/instanceView`, COMPUTE_API));
    assert.ok((view.body?.statuses as Array<{ code: string }>).some((s) => s.code === 'PowerState/running'));

    const byGroup = await rawRequest(sim, 'GET', withQuery(COMPUTE, COMPUTE_API));
    assert.deepEqual((byGroup.body?.value as Array<{ name: string }>).map((v) => v.name).sort(), [
      'vm-app',
      'vm-nva',
      'vm-off',
      'vm-spoke',
    ]);
    assert.ok(
      (byGroup.body?.value as Array<{ properties: Record<string, unknown> }>).every((v) => v.properties.instanceView === undefined),
    );
    const bySub = await rawRequest(
      sim,
      'GET',
      withQuery(`/subscriptions/${ROUTING_SUB}/providers/Microsoft.Compute/virtualMachines`, COMPUTE_API),
    );
    assert.equal(bySub.body?.value?.length, 4);
    assert.equal((await rawRequest(sim, 'GET', withQuery(`${COMPUTE}/vm-nowhere`, COMPUTE_API))).status, 404);
  });

  it('should refuse NSG rules ARM refuses: priority outside 100-4096, two rules with one priority and direction, default rules', async () => {
    const rule = {
      protocol: '*',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
    };
    await assert.rejects(
      nw().securityRules.beginCreateOrUpdateAndWait(
        ROUTING_RG,
        'nsg-app',
        'too-high',
        { ...rule, access: 'Allow', direction: 'Inbound', priority: 50 },
        fastPolling,
      ),
      (e: { code?: string; message?: string }) =>
        e.code === 'SecurityRuleInvalidPriority' && /Allowed range 100-4096/.test(e.message ?? ''),
    );
    await assert.rejects(
      nw().securityRules.beginCreateOrUpdateAndWait(
        ROUTING_RG,
        'nsg-app',
        'clash',
        { ...rule, access: 'Deny', direction: 'Outbound', priority: 4000 },
        fastPolling,
      ),
      (e: { code?: string; message?: string }) =>
        e.code === 'SecurityRuleConflict' && /clash conflicts with rule deny-internet-outbound/.test(e.message ?? ''),
    );
    // The same priority the other way is fine.
    await nw().securityRules.beginCreateOrUpdateAndWait(
      ROUTING_RG,
      'nsg-app',
      'allow-any-from-internet',
      { ...rule, sourceAddressPrefix: 'Internet', access: 'Allow', direction: 'Inbound', priority: 4000 },
      fastPolling,
    );
    assert.equal((await nw().networkSecurityGroups.get(ROUTING_RG, 'nsg-app')).securityRules?.length, 3);
    const def = await rawRequest(
      sim,
      'PUT',
      `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Network/networkSecurityGroups/nsg-app/defaultSecurityRules/DenyAllInBound`,
      { body: { properties: { ...rule, access: 'Allow', direction: 'Inbound', priority: 65500 } } },
    );
    assert.equal(def.status, 405);
  });

  it('should give a new NSG Azure’s default rules', async () => {
    const created = await nw().networkSecurityGroups.beginCreateOrUpdateAndWait(
      ROUTING_RG,
      'nsg-new',
      {
        location: 'westeurope',
        securityRules: [
          {
            name: 'deny-internet-outbound',
            protocol: '*',
            sourceAddressPrefix: '*',
            destinationAddressPrefix: 'Internet',
            sourcePortRange: '*',
            destinationPortRange: '*',
            access: 'Deny',
            direction: 'Outbound',
            priority: 4000,
          },
        ],
      },
      fastPolling,
    );
    assert.equal(created.defaultSecurityRules?.length, 6);
    assert.equal(created.securityRules?.[0]?.destinationAddressPrefix, 'Internet');
    assert.equal(created.provisioningState, 'Succeeded');
  });

  it('should take MACsec on a Direct port’s links from Key Vault through a user-assigned identity, and refuse it otherwise', async () => {
    const ports = nw().expressRoutePorts;
    const port = await ports.get(ROUTING_RG, 'erport-ams');
    const identityId = `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-erport`;
    const macsec = (secret: string): ExpressRoutePort => ({
      ...port,
      links: port.links?.map((l) => ({
        name: l.name,
        adminState: 'Enabled',
        macSecConfig: {
          cknSecretIdentifier: `${secret}-ckn`,
          cakSecretIdentifier: `${secret}-cak`,
          cipher: 'GcmAes256',
          sciState: 'Enabled',
        },
      })),
    });
    const vault = 'https://kv-erport.vault.azure.net/secrets/erport';
    await assert.rejects(
      ports.beginCreateOrUpdateAndWait(ROUTING_RG, 'erport-ams', macsec(vault), fastPolling),
      (e: { code?: string }) => e.code === 'ExpressRoutePortIdentityRequiredForMacSec',
    );
    const identity = { type: 'UserAssigned' as const, userAssignedIdentities: { [identityId]: {} } };
    await assert.rejects(
      ports.beginCreateOrUpdateAndWait(ROUTING_RG, 'erport-ams', { ...macsec('https://example.com/ckn'), identity }, fastPolling),
      (e: { code?: string }) => e.code === 'InvalidKeyVaultSecretIdentifier',
    );
    await ports.beginCreateOrUpdateAndWait(ROUTING_RG, 'erport-ams', { ...macsec(vault), identity }, fastPolling);
    const after = await ports.get(ROUTING_RG, 'erport-ams');
    assert.deepEqual(
      after.links?.map((l) => [l.name, l.macSecConfig?.cknSecretIdentifier, l.macSecConfig?.cipher, l.macSecConfig?.sciState]),
      [
        ['link1', `${vault}-ckn`, 'GcmAes256', 'Enabled'],
        ['link2', `${vault}-ckn`, 'GcmAes256', 'Enabled'],
      ],
    );
    assert.ok(after.identity?.userAssignedIdentities?.[identityId]);
    assert.equal(after.links?.[0]?.interfaceName, 'HundredGigE2/2/1', 'read-only link facts stay');
  });
});
