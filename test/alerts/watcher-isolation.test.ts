import assert from 'node:assert/strict';
import type { AlertWorkflow } from '../../src/alerts/alert-workflow';
import type { PrefixCounts } from '../../src/app/prefix-counts';
import { ResourceGraphQueryClient } from '../../src/azure/resource-graph-query';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { CIRCUITS, MIN, at, summaryPath, summaryWith, watching, type Watching } from './support/alert-world';

const BREAK = 10 * MIN;

/** One link of one circuit of each demo customer loses its BGP session at BREAK. */
const BROKEN = { contoso: CIRCUITS.contosoAms, fabrikam: CIRCUITS.fabrikamDal, northwind: CIRCUITS.northwindNyc1 };
const timeline = Object.values(BROKEN).map((id) => at(BREAK, summaryPath(id, 'primary'), summaryWith(summaryPath(id, 'primary'), 'Idle')));

const contosoId = DEMO_CUSTOMERS.contoso.id;

describe('the watcher: one customer failing does not stop the others', function () {
  this.timeout(60_000);
  let w: Watching;
  afterEach(async () => {
    await w?.h.stop();
  });

  async function firing(circuitId: string): Promise<boolean> {
    return (await w.on(circuitId, 'bgp-link-down')).some((a) => a.state === 'firing');
  }

  it("should bring the other customers' alerts up to date when one customer's cannot be, and that one's at the next cycle", async () => {
    w = await watching(timeline);
    const alerts: AlertWorkflow = w.h.app.alerts;
    const applyCycle = alerts.applyCycle.bind(alerts);
    let storeDown = true;
    alerts.applyCycle = (customerId, reports, maintenance) =>
      storeDown && customerId === contosoId
        ? Promise.reject(new Error('the alert store is unreachable'))
        : applyCycle(customerId, reports, maintenance);

    w.clock.offsetMs = BREAK + MIN;
    const cycle = await w.h.app.watcher.runCycle();
    assert.equal(cycle.failed, 1, 'Contoso is counted as failed');
    assert.equal(await firing(BROKEN.fabrikam), true, 'Fabrikam is alerted all the same');
    assert.equal(await firing(BROKEN.northwind), true, 'Northwind is alerted all the same');
    assert.equal(await firing(BROKEN.contoso), false);

    storeDown = false;
    await w.cycleAt(BREAK + 2 * MIN);
    assert.equal(await firing(BROKEN.contoso), true, 'Contoso is alerted once its store answers again');
  });

  it("should watch the other tenants when reading or judging one tenant's circuits fails outright", async () => {
    w = await watching(timeline);
    const counts: PrefixCounts = w.h.app.prefixCounts;
    const lookup = counts.lookup.bind(counts);
    counts.lookup = (circuitId) => {
      if (circuitId.toLowerCase() === BROKEN.contoso.toLowerCase()) throw new TypeError('a bug met while judging this circuit');
      return lookup(circuitId);
    };

    w.clock.offsetMs = BREAK + MIN;
    const cycle = await w.h.app.watcher.runCycle();
    assert.equal(cycle.failed, 1, "Contoso's tenant is counted as failed");
    assert.equal(cycle.customers, 3);
    assert.equal(await firing(BROKEN.fabrikam), true);
    assert.equal(await firing(BROKEN.northwind), true);
    assert.equal(await firing(BROKEN.contoso), false, "Contoso's alerts hold as they were");
  });

  it("should hold a customer's alerts, not resolve them, while Resource Graph answers its inventory cut short", async () => {
    w = await watching(timeline);
    await w.cycleAt(BREAK + MIN);
    assert.equal(await firing(BROKEN.contoso), true);

    // Resource Graph leaves the broken circuit out of Contoso's inventory and says so (resultTruncated, no $skipToken).
    type Send = (this: ResourceGraphQueryClient, request: unknown, background?: boolean) => Promise<unknown>;
    const proto = ResourceGraphQueryClient.prototype as unknown as { send: Send };
    const send = proto.send;
    assert.equal(Object.hasOwn(proto, 'send'), false, 'the method is inherited: deleting the stand-in restores it');
    let cutShort = true;
    const isBroken = (row: unknown) => String((row as { id?: unknown }).id).toLowerCase() === BROKEN.contoso.toLowerCase();
    proto.send = async function (request, background) {
      const body = (await send.call(this, request, background)) as { data?: unknown[] };
      if (!cutShort || !Array.isArray(body.data) || !body.data.some(isBroken)) return body;
      return { ...body, data: body.data.filter((row) => !isBroken(row)), resultTruncated: 'true', $skipToken: undefined };
    };
    try {
      for (let i = 2; i <= 4; i++) {
        w.clock.offsetMs = BREAK + i * MIN;
        const cycle = await w.h.app.watcher.runCycle();
        assert.equal(cycle.unread, 1, `cycle ${i}: Contoso's inventory is counted as unread`);
        assert.equal(await firing(BROKEN.contoso), true, `cycle ${i}: Contoso's alert holds; it does not resolve by itself`);
        assert.equal(await firing(BROKEN.fabrikam), true, `cycle ${i}: the other customers are watched`);
      }
      const blindLines = () => w.h.logLines.filter((l) => l.includes("cannot read this customer's inventory"));
      assert.equal(blindLines().length, 1, 'said once, when it began, not at each cycle');
      assert.match(blindLines()[0]!, new RegExp(`"customer":"${contosoId}"`));
      cutShort = false;
      await w.cycleAt(BREAK + 5 * MIN);
      assert.equal(await firing(BROKEN.contoso), true, 'still firing once the inventory is whole again: the link is still down');
      assert.equal(w.h.logLines.filter((l) => l.includes('can be read again') && l.includes(contosoId)).length, 1);
      await w.cycleAt(BREAK + 6 * MIN);
      assert.equal(
        blindLines().length + w.h.logLines.filter((l) => l.includes('can be read again')).length,
        2,
        'nothing more once it holds',
      );
    } finally {
      delete (proto as Partial<typeof proto>).send; // back to LeanJsonClient's own
    }
  });
});
