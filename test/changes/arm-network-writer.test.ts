import assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { ArmNetworkWriter } from '../../src/azure/arm-network-writer';
import { toWriteFailure } from '../../src/azure/arm-write-failure';
import { captureLog } from '../azure/support/log-capture';
import { ManualClock } from '../azure/support/manual-clock';
import { AMS, CONTOSO_SCOPE, startChangeKit, type ChangeKit } from './support/change-kit';
import { until } from '../support/until';

describe('ArmNetworkWriter against the simulator', function () {
  this.timeout(30_000);
  let kit: ChangeKit;
  afterEach(() => kit.close());

  it('should save the poller state before polling, and resume from it with no second PUT', async () => {
    const simClock = new ManualClock();
    kit = await startChangeKit({ simClock, settings: { lroDurationMs: 60_000 } });
    const { writer, sim } = kit;
    const target = await writer.readForWrite(CONTOSO_SCOPE, AMS);
    const built = writer.buildBody({ resource: 'expressRouteCircuit', bandwidthMbps: 2000 }, target.body);
    const abort = new AbortController();
    let saved: { state: string; correlationId: string | undefined; putsAtSave: number } | undefined;
    const first = writer.execute(
      CONTOSO_SCOPE,
      { targetId: AMS, method: 'PUT', body: built.body },
      {
        onSubmitted: (state, correlationId) => {
          saved = { state, correlationId, putsAtSave: kit.puts() };
          return Promise.resolve();
        },
        abortSignal: abort.signal,
      },
    );
    await until('the operation was submitted', () => saved !== undefined);
    assert.equal(saved?.putsAtSave, 1);
    assert.match(saved?.correlationId ?? '', /^[0-9a-f-]{36}$/);
    abort.abort(); // the "crash": stop polling; ARM carries on.
    const stopped = await first;
    assert.equal(stopped.ok, false);

    const statuses: string[] = [];
    const resumed = writer.resume(CONTOSO_SCOPE, { targetId: AMS, method: 'PUT', body: built.stored }, saved?.state ?? '', {
      onSubmitted: () => assert.fail('resuming never submits'),
      onProgress: (s) => statuses.push(s),
    });
    await until('the resumed poller polls', () => statuses.length > 0);
    simClock.advance(60_000);
    const result = await resumed;
    assert.equal(result.ok, true);
    assert.equal(kit.puts(), 1, 'one PUT in the simulator log');
    assert.equal(sim.requests.filter((r) => r.method === 'PUT').length, 1);
    const body = (result.ok ? result.body : undefined) as { serviceProviderProperties?: { bandwidthInMbps?: number } };
    assert.equal(body.serviceProviderProperties?.bandwidthInMbps, 2000);
  });

  it('should map a refused write to a non-transient failure with ARM’s code and message, and never log the body', async () => {
    kit = await startChangeKit();
    const log = captureLog();
    const writer = new ArmNetworkWriter({ pool: kit.arm.pool, logger: log.logger, updateIntervalInMs: 5 });
    const target = await writer.readForWrite(CONTOSO_SCOPE, AMS);
    const serviceKey = (target.body as { serviceKey?: string }).serviceKey;
    assert.ok(serviceKey);
    const built = writer.buildBody({ resource: 'expressRouteCircuit', bandwidthMbps: 500 }, target.body);
    const result = await writer.execute(
      CONTOSO_SCOPE,
      { targetId: AMS, method: 'PUT', body: built.body },
      { onSubmitted: () => assert.fail('not accepted') },
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, 'CircuitBandwidthDecreaseNotAllowed');
    assert.equal(result.transient, false);
    assert.match(result.message, /cannot be decreased from 1000 Mbps to 500 Mbps/);
    assert.equal(result.submitted, undefined);
    assert.match(log.text(), /CircuitBandwidthDecreaseNotAllowed/);
    assert.ok(!log.text().includes(serviceKey), 'no body (and no service key) in the log');
    assert.doesNotMatch(log.text(), /change-test-token|bandwidthInMbps/);
  });

  it('should refuse a target outside the scope it was given', async () => {
    kit = await startChangeKit();
    await assert.rejects(
      kit.writer.readForWrite({ tenantId: 't', subscriptionId: '00000000-0000-0000-0000-000000000000' }, AMS),
      /not in subscription/,
    );
  });
});

describe('toWriteFailure', () => {
  it('should classify throttling, busy, server errors and dropped connections as transient, and refusals as not', () => {
    const rest = (status: number | undefined, code?: string) =>
      new RestError('msg', {
        ...(status !== undefined ? { statusCode: status } : {}),
        ...(code ? { code } : {}),
        ...(status !== undefined ? { response: { status, headers: { get: () => undefined } } as never } : {}),
      });
    assert.equal(toWriteFailure(rest(429, 'RetryableErrorDueToAnotherOperation')).transient, true);
    assert.equal(toWriteFailure(rest(503)).transient, true);
    assert.equal(toWriteFailure(rest(undefined, 'ECONNRESET')).transient, true);
    assert.match(toWriteFailure(rest(undefined, 'ECONNRESET')).message, /connection to Azure failed/);
    assert.equal(toWriteFailure(rest(400, 'InvalidRequestContent')).transient, false);
    const lro = toWriteFailure(
      new Error('The long-running operation has failed. ServiceProviderCapacityExceeded. No capacity at Amsterdam.'),
    );
    assert.deepEqual([lro.code, lro.message, lro.transient], ['ServiceProviderCapacityExceeded', 'No capacity at Amsterdam.', false]);
    assert.equal(toWriteFailure(new TypeError('boom')).code, 'Internal');
    assert.doesNotMatch(toWriteFailure(new TypeError('secret-token-xyz')).message, /secret-token/);
  });
});
