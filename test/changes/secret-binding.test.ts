import assert from 'node:assert/strict';
import { systemClock } from '../../src/clock';
import { ArmNetworkWriter } from '../../src/azure/arm-network-writer';
import { createArmAccess, type ArmAccess } from '../../src/azure/create-arm-access';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import type { ChangeRequest } from '../../src/changes/change-request';
import { MemorySecretVault } from '../../src/changes/kinds/shared/secret-vault';
import { ChangeWorkflow } from '../../src/changes/workflow';
import { requestCard } from '../../src/cards/request-card';
import { CodedError, type ErrorCode } from '../../src/errors';
import { silentLogger } from '../../src/log';
import type { SubscriptionScope } from '../../src/network/types';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { circuit } from '../network/circuit-fixture';
import type { SqliteChangeStore } from '../../src/store';
import { openTempSqliteStore } from '../store/open-temp-sqlite-store';
import { AMS, buildAccess, CONTOSO, FABRIKAM, SEA, sequentialIds } from './support/change-kit';

/**
 * Review issue 5: a typed MD5 key is the requester's, for one customer and circuit. Its vault reference must
 * not be usable from another request (typed in, copied from a card, or forged into stored input), and an
 * authorization key is shown only while it is still the authorization the request created.
 */

const FABRIKAM_SCOPE: SubscriptionScope = { tenantId: FABRIKAM.tenantId, subscriptionId: FABRIKAM.subscriptions[0] ?? '' };
const props = (body: unknown) => (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
const coded = (code: `${ErrorCode}`, re: RegExp) => (e: unknown) =>
  e instanceof CodedError && e.code === (code as ErrorCode) && re.test(e.message);
const NEW_PRIVATE = { vlanId: 100, peerAsn: 65010, primaryPeerAddressPrefix: '10.0.0.0/30', secondaryPeerAddressPrefix: '10.0.0.4/30' };

describe('secret binding: MD5 key references and authorization keys (review issue 5)', () => {
  describe('kinds and the vault', () => {
    const vault = new MemorySecretVault();
    const kinds = defaultChangeKinds({ secrets: vault });
    const contosoCircuit = circuit({ peerings: [] });
    const fabrikamCircuit = circuit({ peerings: [], id: SEA, name: 'fabrikam-sea-er3' });
    const dana = { customerId: 'contoso', circuitId: contosoCircuit.id, requesterId: 'dana-aad' };

    for (const name of ['private-peering', 'microsoft-peering']) {
      it(`${name}: refuses a key reference typed or clicked in by a person, whatever it points at`, () => {
        const kind = kinds.get(name);
        const held = kind.parseInput({ vlanId: 100, sharedKey: 'Contoso-Secret-Md5' }, dana);
        assert.match(String(held.sharedKeyRef), /^secret-[0-9a-f]{32}$/);
        for (const raw of [{ sharedKeyRef: held.sharedKeyRef }, { vlanId: 100, sharedKeyRef: held.sharedKeyRef }, held]) {
          assert.throws(
            () => kind.parseInput(raw, { ...dana, customerId: 'fabrikam', circuitId: SEA }),
            coded('bad_input', /sharedKeyRef/),
            JSON.stringify(raw),
          );
        }
      });
    }

    it('binds a kept key to its customer, circuit and requester, and refuses it anywhere else', () => {
      const kind = kinds.get('private-peering');
      const input = kind.parseInput({ ...NEW_PRIVATE, sharedKey: 'Contoso-Secret-Md5' }, dana);
      const patch = kind.patch(contosoCircuit, input);
      assert.equal(patch.resource === 'circuitPeering' && patch.sharedKey, 'Contoso-Secret-Md5', 'its own request uses it');
      // The same reference on another customer's circuit, even with the stored claim copied along.
      assert.throws(() => kind.patch(fabrikamCircuit, input), coded('forbidden', /given for another request/));
      // A stored claim naming another requester or customer (a reference copied into someone else's request).
      assert.throws(
        () => kind.patch(contosoCircuit, { ...input, sharedKeyOwner: { customerId: 'contoso', requesterId: 'mallory' } }),
        coded('forbidden', /given for another request/),
      );
      assert.throws(
        () => kind.patch(contosoCircuit, { ...input, sharedKeyOwner: { customerId: 'fabrikam', requesterId: 'dana-aad' } }),
        coded('forbidden', /given for another request/),
      );
      // A reference with no claim at all is never used.
      const { sharedKeyOwner: _dropped, ...unclaimed } = input;
      assert.throws(() => kind.patch(contosoCircuit, unclaimed), coded('forbidden', /given for another request/));
    });

    it('never keeps a typed key without knowing whom it is for', () => {
      assert.throws(() => kinds.get('microsoft-peering').parseInput({ sharedKey: 'k' }), coded('bad_input', /cannot take an MD5 key/));
    });
  });

  describe('Re-request', () => {
    const request = (input: Record<string, unknown>, state: ChangeRequest['state'] = 'stale'): ChangeRequest => ({
      id: 'CR-1',
      customerId: 'contoso',
      tenantId: CONTOSO.tenantId,
      subscriptionId: CONTOSO.subscriptions[0] ?? '',
      circuitId: AMS,
      circuitName: 'contoso-ams-er1',
      kind: 'private-peering',
      input,
      requester: { aadObjectId: 'dana', name: 'Dana' },
      approvals: [],
      required: 1,
      state,
      plan: {
        targetId: AMS,
        etag: 'e',
        diff: { 'MD5 key': ['not set', 'set'] },
        method: 'PUT',
        body: {},
        bodyHash: 'h',
        impact: { downtime: 'none', oneWay: false, billing: 'none', disruptive: false, notes: [] },
      },
      createdAt: 0,
      expiresAt: 1,
      updatedAt: 1,
      version: 2,
    });
    const ref = `secret-${'a'.repeat(32)}`;

    it('carries no key reference in the button and says the key must be typed again', () => {
      const keyed = request({ vlanId: 101, sharedKeyRef: ref, sharedKeyOwner: { customerId: 'contoso', requesterId: 'dana' } });
      const again = defaultChangeKinds().rerequest(keyed);
      assert.deepEqual(again, { retypeSecret: true }, 'it opens the form, where the key is typed again');
      const card = JSON.stringify(
        requestCard({
          request: keyed,
          customer: { name: 'Contoso', tenantId: CONTOSO.tenantId },
          kindTitle: 'Private peering',
          approvers: [],
          now: 2,
          ...(again ? { rerequest: again } : {}),
          viewer: { isRequester: true, canApprove: false, canReject: false, canCancel: false, canRerequest: true },
        }),
      );
      assert.ok(!card.includes(ref), 'the card holds no reference anywhere');
      assert.match(card, /type the key again/);
      assert.ok(card.includes(`"kind":"change","circuit":"${AMS}"`), 'the button opens the form');
      assert.ok(!card.includes('sharedKey'), 'no key field name in card data');
    });

    it('still re-requests a change without a key in one click', () => {
      assert.deepEqual(defaultChangeKinds().rerequest(request({ vlanId: 101 })), { input: { vlanId: 101 } });
    });
  });

  describe('end to end on the simulator', function () {
    this.timeout(60_000);
    let sim: RunningSimulator;
    let arm: ArmAccess;
    let writer: ArmNetworkWriter;
    let workflow: ChangeWorkflow;
    let people: ReturnType<typeof buildAccess>['people'];
    let store: SqliteChangeStore;
    beforeEach(async () => {
      sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), settings: { deviceReadMs: 0 } });
      arm = createArmAccess({
        endpoint: sim.url,
        caPem: sim.caPem,
        credentials: { kind: 'static', token: 't' },
        logger: silentLogger,
        lroPollIntervalMs: 5,
        random: () => 0.5,
      });
      writer = new ArmNetworkWriter({ pool: arm.pool, logger: silentLogger, updateIntervalInMs: 5, onWritten: (s) => arm.invalidate(s) });
      const built = buildAccess({ required: 1, ttlMinutes: 60 });
      people = built.people;
      store = await openTempSqliteStore();
      workflow = new ChangeWorkflow({
        store,
        reader: arm.reader,
        writer,
        builder: writer,
        access: built.access,
        clock: systemClock,
        logger: silentLogger,
        kinds: defaultChangeKinds(),
        idGenerator: sequentialIds(),
        executorLimits: { retryDelayMs: 10, followIntervalMs: 10, maxAttempts: 2 },
      });
    });
    afterEach(async () => {
      workflow.executor.stop();
      await arm.close();
      await store.close();
      await sim.close();
    });

    async function run(customer: string, target: string, kind: string, input: unknown): Promise<ChangeRequest> {
      const r = await workflow.request(people.engineer, customer, target, kind, input);
      const done = await (await workflow.approve(people.approvers[0]!, r.id)).execution;
      assert.ok(done);
      assert.equal(done.state, 'succeeded', done.outcome?.message);
      return done;
    }

    it("the reviewer's reproduction: contoso's key reference submitted for a fabrikam circuit is refused, and fabrikam's ARM never gets the key", async () => {
      const contoso = await workflow.request(people.engineer, 'contoso', AMS, 'private-peering', {
        vlanId: 101,
        sharedKey: 'Contoso-Secret-Md5',
      });
      const ref = contoso.input.sharedKeyRef;
      assert.match(String(ref), /^secret-/);
      const before = sim.requests.length;
      await assert.rejects(
        workflow.request(people.engineer, 'fabrikam', SEA, 'private-peering', { sharedKeyRef: ref }),
        coded('bad_input', /sharedKeyRef/),
      );
      await assert.rejects(
        workflow.request(people.engineer, 'fabrikam', SEA, 'private-peering', { ...contoso.input }),
        coded('bad_input', /sharedKeyRef/),
      );
      assert.equal(sim.requests.slice(before).filter((q) => q.method !== 'GET').length, 0, 'nothing was written');
      assert.notEqual(props(sim.resource(`${SEA}/peerings/AzurePrivatePeering`)).sharedKey, 'Contoso-Secret-Md5');
    });

    it('key: an authorization revoked and re-created under the same name is not the one the first request created', async () => {
      const first = await run('fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-reused' });
      const firstRef = workflow.kinds.get(first.kind).secretForRequester(first);
      assert.ok(firstRef?.etag, 'the authorization version is recorded at success');
      const firstKey = await writer.readSecret(FABRIKAM_SCOPE, firstRef);
      await run('fabrikam', SEA, 'authorization', { action: 'revoke', name: 'auth-reused' });
      const second = await run('fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-reused' });
      const newKey = props(sim.resource(`${SEA}/authorizations/auth-reused`)).authorizationKey as string;
      assert.notEqual(newKey, firstKey);
      await assert.rejects(
        writer.readSecret(FABRIKAM_SCOPE, firstRef),
        (e: unknown) => coded('forbidden', /not the one the request created/)(e) && !JSON.stringify(e).includes(newKey),
      );
      const secondRef = workflow.kinds.get(second.kind).secretForRequester(second);
      assert.ok(secondRef);
      assert.equal(await writer.readSecret(FABRIKAM_SCOPE, secondRef), newKey, 'the new request gets its own key');
    });
  });
});
