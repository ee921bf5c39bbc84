import assert from 'node:assert/strict';
import { ArmEffectiveRoutesReader } from '../../src/azure/arm-effective-routes-reader';
import type { ClientPool } from '../../src/azure/client-pool';
import { ReadCache } from '../../src/azure/read-cache';
import { systemClock } from '../../src/clock';
import { CodedError, ErrorCode } from '../../src/errors';
import { silentLogger } from '../../src/log';
import type { NetworkInterfaceRef } from '../../src/network/effective-routes';
import { ROUTING, ROUTING_RG, ROUTING_SUB, routingWorld } from '../support/posture-fleets';
import { startArmKit, type ArmKit } from './support/arm-test-kit';

/**
 * NICs and VMs found by name with Resource Graph, and a NIC's effective routes through ARM's long-running POST, over
 * HTTPS against the simulator's routing world.
 */

const TENANT = '5e5e5e5e-0000-4000-8000-0000000000e0';
const SUBS = [ROUTING_SUB];
const COMPUTE = `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Compute/virtualMachines`;
const NICS = `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Network/networkInterfaces`;

describe('ArmEffectiveRoutesReader: NICs by name and their effective routes, over HTTPS', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  beforeEach(async () => {
    kit = await startArmKit({ fleet: routingWorld() });
  });
  afterEach(() => kit.close());
  const find = (name: string) => kit.access.effectiveRoutes.findInterfaces(TENANT, SUBS, name);

  it('should find a VM by name as its primary NIC, a NIC by name or id, with its VM, address and subnet', async () => {
    const appNic: NetworkInterfaceRef = {
      id: `${NICS}/vm-app-nic`,
      name: 'vm-app-nic',
      subscriptionId: ROUTING_SUB,
      named: 'vm',
      vm: { id: `${COMPUTE}/vm-app`, name: 'vm-app', powerState: 'running' },
      privateIp: '10.1.1.4',
      subnetId: `${ROUTING.hub}/subnets/snet-app`,
    };
    assert.deepEqual(await find('VM-APP'), [appNic]);
    assert.deepEqual(await find('vm-app-nic'), [{ ...appNic, named: 'nic' }]);
    assert.deepEqual(await find(`${COMPUTE}/vm-app`), [appNic]);
    assert.deepEqual(await find(`${NICS}/vm-app-nic`), [{ ...appNic, named: 'nic' }]);
    assert.deepEqual(
      (await find('vm-off')).map((n) => n.vm?.powerState),
      ['deallocated'],
    );
    assert.deepEqual(
      (await find('nic-loose')).map((n) => n.vm),
      [undefined],
    );
    assert.deepEqual(await find('vm-nowhere'), []);
    assert.deepEqual(
      await kit.access.effectiveRoutes.findInterfaces(TENANT, ['00000000-0000-4000-8000-000000000000'], 'vm-app'),
      [],
      'other subscriptions only',
    );
  });

  it('should read the effective routes with the gateways behind them, cached until asked fresh', async () => {
    const [spoke] = await find('vm-spoke');
    assert.ok(spoke);
    const read = await kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, spoke);
    assert.equal(read.fromCache, false);
    assert.deepEqual(
      read.value.gateways.map((g) => [g.name, g.kind]),
      [['ergw-hub', 'ExpressRoute']],
      "the spoke uses its hub's gateway",
    );
    assert.ok(read.value.routes.some((r) => r.source === 'VirtualNetworkGateway' && r.addressPrefixes[0] === '10.20.1.0/24'));
    assert.equal(read.value.bgpPropagationDisabled, false);
    assert.equal((await kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, spoke)).fromCache, true);
    assert.equal((await kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, spoke, { fresh: true })).fromCache, false);
  });

  it('should refuse a stopped VM or a NIC without one before asking Azure, and turn Azure’s own 400 into the same words', async () => {
    const [off] = await find('vm-off');
    assert.ok(off);
    const refused = (message: RegExp) => (e: unknown) => {
      assert.ok(e instanceof CodedError, String(e));
      assert.equal(e.code, ErrorCode.Refused);
      assert.match(e.message, message);
      assert.match(e.hint ?? '', /only for a NIC attached to a running VM/);
      return true;
    };
    await assert.rejects(
      kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, off),
      refused(/^I can't show the effective routes of VM vm-off: it is deallocated\.$/),
    );
    const [loose] = await find('nic-loose');
    assert.ok(loose);
    await assert.rejects(
      kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, loose),
      refused(/of NIC nic-loose: it isn't attached to a VM/),
    );
    // Resource Graph lagging behind: it says running, Azure says otherwise.
    const stale = { ...off, vm: { id: off.vm?.id ?? '', name: 'vm-off', powerState: 'running' } };
    await assert.rejects(
      kit.access.effectiveRoutes.effectiveRoutes(TENANT, SUBS, stale),
      refused(/^I can't show the effective routes of VM vm-off\. Azure says: .*vm-off.*deallocated/),
    );
  });
});

describe('ArmEffectiveRoutesReader: an answer without routes', () => {
  const nic: NetworkInterfaceRef = {
    id: `${NICS}/vm-app-nic`,
    name: 'vm-app-nic',
    subscriptionId: ROUTING_SUB,
    named: 'nic',
    vm: { id: `${COMPUTE}/vm-app`, name: 'vm-app', powerState: 'running' },
  };
  /** A reader whose ARM answers the effective-route POST with `answer` (no subnet on the NIC: no gateway reads). */
  const readerAnswering = (answer: () => Promise<unknown>) =>
    new ArmEffectiveRoutesReader({
      pool: { networkClient: () => ({ networkInterfaces: { beginGetEffectiveRouteTableAndWait: answer } }) } as unknown as ClientPool,
      cache: new ReadCache({ clock: systemClock }),
      logger: silentLogger,
    });
  const read = (answer: () => Promise<unknown>) => readerAnswering(answer).effectiveRoutes(TENANT, SUBS, nic);
  const unreadable = (e: unknown) => {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, ErrorCode.NoData);
    assert.match(e.message, /^Azure answered with no effective routes for vm-app-nic, not even the VNet's system routes/);
    return true;
  };

  it('should call an empty route table unreadable, never "no route": Azure always has the system routes', async () => {
    await assert.rejects(
      read(() => Promise.resolve({ value: [] })),
      unreadable,
    );
    await assert.rejects(
      read(() => Promise.resolve(undefined)),
      unreadable,
      'no body at all',
    );
    await assert.rejects(
      read(() => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'map')"))),
      unreadable,
      "arm-network's deserializer on an answer without rows",
    );
  });

  it('should not turn any other TypeError into an empty route table', async () => {
    await assert.rejects(
      read(() => Promise.reject(new TypeError('x is not a function'))),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Internal && !/no effective routes/.test(e.message),
    );
  });

  it('should read the routes Azure answers with', async () => {
    const route = { source: 'Default', state: 'Active', addressPrefix: ['10.1.0.0/16'], nextHopType: 'VnetLocal', nextHopIpAddress: [] };
    const table = await read(() => Promise.resolve({ value: [route] }));
    assert.deepEqual(table.value.routes, [
      { source: 'Default', state: 'Active', addressPrefixes: ['10.1.0.0/16'], nextHopType: 'VnetLocal', nextHopIps: [] },
    ]);
  });
});
