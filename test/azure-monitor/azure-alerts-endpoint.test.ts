import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createServer } from '../../src/teams/create-server';
import { silentLogger } from '../../src/log';
import { ALL_CUSTOMERS, CIRCUITS } from '../alerts/support/alert-world';
import { Harness } from '../support/harness';
import {
  CONTEXT_SAMPLES,
  OFFICIAL_SAMPLES,
  TOKEN,
  contextSample,
  expressRoute,
  official,
  postAlert,
  shape,
  variant,
  type Json,
} from './support/payloads';

/**
 * POST /api/azure-alerts over real HTTP to the bot: who may post, what a malformed body gets, and that
 * Microsoft's own samples (none of them about an ExpressRoute circuit) are read and ignored. Nothing here may
 * leave an alert or a silence behind.
 */
describe('azure monitor: POST /api/azure-alerts', function () {
  this.timeout(60_000);
  let h: Harness;
  const fired = expressRoute('metric-bgp-fired');

  before(async () => {
    h = await Harness.start({ env: { AZURE_ALERTS_TOKEN: TOKEN } });
  });
  after(async () => h?.stop());
  afterEach(async () => {
    assert.equal(await h.healthz(), 200, 'the process is still up');
    await assertNothingStored();
  });

  async function assertNothingStored(): Promise<void> {
    assert.deepEqual(await h.app.alertStore.listAlerts({ customerIds: ALL_CUSTOMERS, resolvedSince: 0 }), [], 'no alert stored');
    assert.deepEqual(await h.app.alertStore.listSilences({ customerIds: ALL_CUSTOMERS, endingAfter: 0 }), [], 'no silence stored');
  }

  describe('authentication', () => {
    it('refuses a missing or wrong token with 401 before reading the body, and stores nothing', async () => {
      const refusals = [
        await postAlert(h, fired, 'none'),
        await postAlert(h, fired, { query: `${TOKEN}x` }),
        await postAlert(h, fired, { query: TOKEN.slice(0, -1) }),
        await postAlert(h, fired, { bearer: 'nope' }),
        await postAlert(h, fired, { basic: { user: 'azure-monitor', password: 'nope' } }),
        await postAlert(h, '{ not json', { query: 'nope' }, true),
      ];
      for (const r of refusals) {
        assert.equal(r.status, 401);
        assert.match(String(r.body.error), /Not authenticated: add \?token=<AZURE_ALERTS_TOKEN> to the webhook URL/);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="azure-alerts"');
      }
    });

    it('takes the token as ?token= (what a plain action-group webhook can send), as Basic from the URL, or as Bearer', async () => {
      const elsewhere = variant(shape(fired), (p) => {
        // A well-formed alert about a virtual machine: accepted and ignored, nothing stored.
        p.data.essentials.alertTargetIDs = [
          '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1',
        ];
      });
      for (const credential of [
        { query: TOKEN },
        { bearer: TOKEN },
        { basic: { user: 'azure-monitor', password: TOKEN } },
        { basic: { user: TOKEN, password: '' } },
      ]) {
        const r = await postAlert(h, elsewhere, credential);
        assert.equal(r.status, 200, JSON.stringify(credential).slice(0, 20));
        assert.match(String(r.body.ignored), /not about an ExpressRoute circuit \(target: microsoft\.compute\/virtualmachines\)/);
      }
    });

    it('never writes the token (nor the query string) to the log', () => {
      const log = h.logLines.join('\n');
      assert.ok(log.includes('azure alert refused: not authenticated'), 'refusals are logged');
      assert.ok(!log.includes(TOKEN.slice(8, 40)), 'the token is not in the log');
      assert.ok(!log.includes('token='), 'the query string is not in the log');
    });

    it('answers 404, saying how to turn it on, while AZURE_ALERTS_TOKEN is unset', async () => {
      const server = createServer({ processActivity: () => Promise.resolve(), isReady: () => true, logger: silentLogger });
      const { port } = await server.listen(0);
      try {
        const r = await postAlert(`http://127.0.0.1:${port}`, fired);
        assert.equal(r.status, 404);
        assert.match(String(r.body.error), /Azure Monitor alerts are turned off on this bot: set AZURE_ALERTS_TOKEN/);
      } finally {
        await server.close();
      }
    });
  });

  describe("Microsoft's sample payloads", () => {
    for (const name of OFFICIAL_SAMPLES) {
      it(`reads ${name} and ignores it: it is about no ExpressRoute circuit`, async () => {
        const r = await postAlert(h, official(name));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(typeof r.body.ignored, 'string', JSON.stringify(r.body));
      });
    }
    for (const name of Object.keys(CONTEXT_SAMPLES)) {
      it(`reads the ${name} alertContext sample and ignores it`, async () => {
        const r = await postAlert(h, contextSample(name));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(typeof r.body.ignored, 'string', JSON.stringify(r.body));
      });
    }

    it('says why, in words', async () => {
      const why = async (payload: Json) => String((await postAlert(h, payload)).body.ignored);
      assert.match(
        await why(official('sample-alert-payload')),
        /not about an ExpressRoute circuit \(target: microsoft\.compute\/virtualmachines\)/,
      );
      assert.match(
        await why(official('test-action-log-alert-v2')),
        /Log Alerts V2 Log alerts are not read: the bot reads metric alerts, Resource Health and Service Health/,
      );
      assert.match(await why(official('test-action-budget')), /CostAlerts alerts are not read/);
      assert.match(await why(contextSample('service-health')), /a Service Health event for Azure Synapse Analytics, not ExpressRoute/);
      assert.match(await why(official('test-action-service-health')), /a Service Health event for AzureServiceName, not ExpressRoute/);
    });
  });

  describe('malformed and unknown bodies', () => {
    async function refused(body: unknown, raw = false): Promise<string> {
      const r = await postAlert(h, body, { query: TOKEN }, raw);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      return String(r.body.error);
    }

    it('says which field is wrong, and how', async () => {
      assert.match(await refused({ hello: 'world' }), /common alert schema: 'schemaId' is missing; 'data' is missing/);
      assert.match(await refused({ ...fired, schemaId: 'somethingElse' }), /'schemaId' must be "azureMonitorCommonAlertSchema"/);
      assert.match(
        await refused(variant(shape(fired), (p) => (p.data.essentials.monitorCondition = 'Maybe'))),
        /'data\.essentials\.monitorCondition' must be one of "Fired", "Resolved"/,
      );
      assert.match(
        await refused(variant(shape(fired), (p) => (p.data.alertContext.condition.allOf[0]!.metricValue = 'zero'))),
        /'data\.alertContext\.condition\.allOf\[0\]\.metricValue' must be a number, not text/,
      );
      assert.match(
        await refused(
          variant(shape(expressRoute('resource-health-unavailable')), (p) => delete p.data.alertContext.properties.currentHealthStatus),
        ),
        /'data\.alertContext\.properties\.currentHealthStatus' is missing/,
      );
      assert.match(
        await refused(
          variant(shape(expressRoute('service-health-maintenance')), (p) => (p.data.alertContext.properties.impactStartTime = 'soon')),
        ),
        /'data\.alertContext\.properties\.impactStartTime' must be a date and time/,
      );
      assert.match(await refused('{ "schemaId": ', true), /request body is not valid JSON/);
      assert.match(await refused('[1, 2]', true), /common alert schema: the body is not a JSON object/);
    });

    it("names Azure's other schemas: the action group has the common schema turned off", async () => {
      assert.match(
        await refused({ schemaId: 'AzureMonitorMetricAlert', data: { version: '2.0', status: 'Activated', context: {} } }),
        /this is Azure Monitor's AzureMonitorMetricAlert schema: turn on "Enable the common alert schema" for this webhook in the action group/,
      );
    });

    it('logs a refused body with the reason, never its values', () => {
      const lines = h.logLines.filter((l) => l.includes('azure alert refused: not a common-schema alert'));
      assert.ok(lines.length > 0);
      assert.ok(
        lines.every((l) => !l.includes('Maybe') && !l.includes('somethingElse')),
        'values stay out of the log',
      );
    });

    it('logs malformed JSON with the reason, never the body', async () => {
      assert.match(await refused('{ "schemaId": "leaky-value', true), /request body is not valid JSON/);
      const lines = h.logLines.filter(
        (l) => l.includes('request refused: request body is not valid JSON') && l.includes('/api/azure-alerts'),
      );
      assert.ok(lines.length > 0);
      assert.ok(
        h.logLines.every((l) => !l.includes('leaky-value')),
        'the body stays out of the log',
      );
    });

    it('refuses a body over the size limit with 413', async () => {
      const r = await postAlert(h, { ...fired, padding: 'x'.repeat(300 * 1024) });
      assert.equal(r.status, 413);
    });

    it('ignores an ExpressRoute alert whose subscription no customer lists, with a log line and nothing revealed', async () => {
      const stranger = variant(shape(fired), (p) => {
        p.data.essentials.alertTargetIDs = [
          CIRCUITS.contosoAms.toLowerCase().replace('1a1a1a1a-0000-4000-8000-00000000c001', '99999999-0000-4000-8000-000000000009'),
        ];
      });
      const r = await postAlert(h, stranger);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { ignored: 'the alert is about no circuit this bot looks after' });
      assert.ok(
        h.logLines.some(
          (l) => l.includes('circuits of no customer in the directory skipped') && l.includes('99999999-0000-4000-8000-000000000009'),
        ),
      );
    });
  });

  describe('garbage (fast-check)', () => {
    it('answers arbitrary JSON and arbitrary text with 400, and stores nothing', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 300 }),
          ),
          async (text) => {
            const r = await postAlert(h, text, { query: TOKEN }, true);
            assert.equal(r.status, 400, `${text.slice(0, 80)} → ${JSON.stringify(r.body)}`);
            assert.equal(typeof r.body.error, 'string');
          },
        ),
        { numRuns: 80 },
      );
    });

    const OTHER_SCHEMAS = /^(azuremonitorcommonalertschema|azuremonitormetricalert|microsoft\.insights\/(activitylogs|logalert))$/i;
    /** Fields a real ExpressRoute alert needs, each with values that break it (and whether leaving it out does). */
    const BREAKABLE: { path: (string | number)[]; bad: fc.Arbitrary<unknown>; required: boolean }[] = [
      {
        path: ['schemaId'],
        bad: fc.oneof(
          fc.string().filter((s) => !OTHER_SCHEMAS.test(s)),
          fc.integer(),
          fc.constant(null),
        ),
        required: true,
      },
      { path: ['data'], bad: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer())), required: true },
      { path: ['data', 'essentials'], bad: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant([])), required: true },
      {
        path: ['data', 'essentials', 'monitorCondition'],
        bad: fc.oneof(
          fc.string().filter((s) => s !== 'Fired' && s !== 'Resolved'),
          fc.integer(),
          fc.constant(null),
        ),
        required: true,
      },
      {
        path: ['data', 'essentials', 'monitoringService'],
        bad: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant('')),
        required: true,
      },
      // Without targets an alert is about nothing, and is ignored: only wrong types are malformed.
      {
        path: ['data', 'essentials', 'alertTargetIDs'],
        bad: fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.array(fc.integer(), { minLength: 1 })),
        required: false,
      },
      { path: ['data', 'alertContext', 'condition'], bad: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), required: true },
      {
        path: ['data', 'alertContext', 'condition', 'allOf'],
        bad: fc.oneof(fc.constant([]), fc.integer(), fc.string(), fc.constant(null)),
        required: true,
      },
      {
        path: ['data', 'alertContext', 'condition', 'allOf', 0, 'metricName'],
        bad: fc.oneof(fc.integer(), fc.constant(null), fc.constant('')),
        required: true,
      },
      { path: ['data', 'alertContext', 'condition', 'allOf', 0, 'metricValue'], bad: fc.oneof(fc.string(), fc.boolean()), required: false },
      {
        path: ['data', 'alertContext', 'condition', 'allOf', 0, 'dimensions'],
        bad: fc.oneof(fc.string(), fc.integer(), fc.constant([{ name: 1 }])),
        required: false,
      },
    ];
    const REMOVE = Symbol('remove');

    it('answers a real ExpressRoute alert with one required field removed or of the wrong type with 400 naming it, and stores nothing', async () => {
      const broken = fc.integer({ min: 0, max: BREAKABLE.length - 1 }).chain((i) => {
        const field = BREAKABLE[i]!;
        return fc.tuple(fc.constant(field), field.required ? fc.oneof(field.bad, fc.constant(REMOVE)) : field.bad);
      });
      await fc.assert(
        fc.asyncProperty(broken, async ([field, value]) => {
          const payload = structuredClone(fired) as Record<string | number, unknown>;
          let at = payload;
          for (const key of field.path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
          const last = field.path[field.path.length - 1]!;
          if (value === REMOVE) delete at[last];
          else at[last] = value;
          const r = await postAlert(h, payload);
          const where = field.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${k}`)).join('');
          assert.equal(
            r.status,
            400,
            `${where} = ${String(value === REMOVE ? 'removed' : JSON.stringify(value))} → ${JSON.stringify(r.body)}`,
          );
          assert.ok(String(r.body.error).includes(`'${where}`), `${String(r.body.error)} names ${where}`);
        }),
        { numRuns: 120 },
      );
    });
  });
});
