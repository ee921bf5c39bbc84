import assert from 'node:assert/strict';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { Harness } from '../support/harness';
import { answerTo, buttonsOf, textOf, validCard, finalReply } from '../support/cards';
import { CIRCUIT_IDS, CONTOSO_VIEWER, ENGINEER, NOT_CONTOSO, SUBSCRIPTIONS } from '../support/demo-world';
import type { User } from '../support/harness';

/**
 * Customer isolation (issue 2, "Identity and access"): a person never sees a customer, circuit, route or
 * name they have no `view` right for, in any command, "did you mean" list or error. Checked on the whole
 * JSON of every reply, not just its visible text.
 */
describe('bot: identity and customer isolation', function () {
  this.timeout(30_000);
  let h: Harness;
  const NO_RIGHTS: User = { aadObjectId: 'nadia-no-rights', name: 'Nadia' };

  before(async () => {
    const directory = buildDemoDirectory();
    h = await Harness.start({
      directory: { ...directory, people: [...directory.people, { aadObjectId: NO_RIGHTS.aadObjectId, name: 'Nadia', access: {} }] },
    });
  });
  after(async () => h?.stop());

  /** Fails if the reply mentions anything outside Contoso, other than what the user typed themselves. */
  function assertContosoOnly(reply: unknown, typed = ''): void {
    let json = JSON.stringify(reply).toLowerCase();
    // What the user typed may be echoed back ("I can't find 'x'"); that tells them nothing new.
    if (typed) json = json.split(typed.toLowerCase()).join('«typed»');
    const leaked = NOT_CONTOSO.filter((s) => !typed.toLowerCase().includes(s.toLowerCase()) && json.includes(s.toLowerCase()));
    assert.deepEqual(leaked, [], `reply to '${typed}' leaks ${leaked.join(', ')}:\n${JSON.stringify(reply).slice(0, 1500)}`);
  }

  /** Asks as the Contoso viewer; returns the final card after checking it for leaks (the progress card too). */
  async function viewerAsks(text: string, argument = ''): Promise<Record<string, unknown>> {
    const first = await h.say(CONTOSO_VIEWER, text);
    assertContosoOnly(first.activity, argument);
    const final = await finalReply(h, first);
    assertContosoOnly(final.activity, argument);
    return validCard(final);
  }

  // Subscription-scoped calls (ARM, metrics:getBatch) by subscription; Resource Graph queries by the tenant they ran as.
  const otherTenants = [DEMO_CUSTOMERS.fabrikam.tenantId, DEMO_CUSTOMERS.northwind.tenantId];
  const otherSubscriptionReads = () =>
    h.app.simulator!.requests.filter(
      (r) =>
        r.subscriptionId === SUBSCRIPTIONS.fabrikam0 ||
        r.subscriptionId === SUBSCRIPTIONS.northwind0 ||
        otherTenants.some((t) => r.principal?.endsWith(t)),
    ).length;

  describe('the Contoso-only viewer', () => {
    let readsBefore = 0;
    before(() => {
      readsBefore = otherSubscriptionReads();
    });
    after(() => {
      // Deny by default all the way down: not a single ARM call on a subscription they can't see.
      assert.equal(otherSubscriptionReads(), readsBefore, 'the bot read Fabrikam or Northwind subscriptions for the viewer');
    });

    it('sees only Contoso in status, circuits, customers, help, filters and udr', async () => {
      const status = textOf(await viewerAsks('status'));
      assert.match(status, /Contoso Ltd · tenant 11111111-1111-4111-8111-111111111111/);
      assert.match(status, /🟠 2 amber · 🟢 3 green/);
      assert.match(textOf(await viewerAsks('circuits')), /5 circuits/);
      await viewerAsks('customers');
      assert.match(textOf(await viewerAsks('help')), /You can see 1 customer\b/);
      assert.match(textOf(await viewerAsks('filters')), /rf-contoso-m365/);
      assert.match(textOf(await viewerAsks('udr')), /rt-contoso-spoke/);
      await viewerAsks('status contoso');
      await viewerAsks('routes contoso-ams-er1');
      await viewerAsks('bandwidth contoso-lon-er2');
    });

    it('gets the Contoso er-shared directly, with no hint that another er-shared exists', async () => {
      const text = textOf(await viewerAsks('circuit er-shared'));
      assert.match(text, /Circuit er-shared/);
      assert.match(text, /Contoso Ltd · tenant/);
      assert.match(text, /Dublin/);
    });

    for (const [command, argument] of [
      ['circuit fabrikam-sea-er3', 'fabrikam-sea-er3'],
      ['circuit fabrikam-sea-er4', 'fabrikam-sea-er4'],
      ['routes fabrikam/fabrikam-dal-er1', 'fabrikam/fabrikam-dal-er1'],
      ['bandwidth northwind-wdc-er3', 'northwind-wdc-er3'],
      ['circuit northwind/er-shared', 'northwind/er-shared'],
      ['status northwind-nyc-er', 'northwind-nyc-er'],
      ['status fabrikam', 'fabrikam'],
      ['status Fabrikam Inc', 'Fabrikam Inc'],
      ['circuits northwind', 'northwind'],
      ['filters fabrikam', 'fabrikam'],
      ['udr northwind', 'northwind'],
      ['udr rt-northwind-fw', 'rt-northwind-fw'],
      ['udr rt-northwind-fx', 'rt-northwind-fx'],
      [`circuit ${CIRCUIT_IDS.fabrikamSea}`, CIRCUIT_IDS.fabrikamSea],
      [`bgp ${CIRCUIT_IDS.northwindShared}`, CIRCUIT_IDS.northwindShared],
    ] as const) {
      it(`'${command.length > 60 ? `${command.slice(0, 60)}…` : command}' is refused without naming anything outside Contoso`, async () => {
        const text = textOf(await viewerAsks(command, argument));
        assert.match(text, /can't find|isn't|not found/i, text);
      });
    }

    it('a typo of a Fabrikam circuit suggests Contoso circuits only (or none)', async () => {
      const card = await viewerAsks('circuit fabrikam-sea-er4', 'fabrikam-sea-er4');
      assert.doesNotMatch(textOf(card), /fabrikam-sea-er3/);
      const typo = textOf(await viewerAsks('circuit contoso-ams-er2', 'contoso-ams-er2'));
      assert.match(typo, /contoso\/contoso-ams-er1/, 'a near Contoso name is still suggested');
    });

    it('the answer for a real Fabrikam circuit is the same as for one that does not exist', async () => {
      const fake = CIRCUIT_IDS.fabrikamSea.replace('fabrikam-sea-er3', 'fabrikam-zzz-er9');
      const same = (a: Record<string, unknown>, typedA: string, b: Record<string, unknown>, typedB: string) =>
        assert.equal(JSON.stringify(a).split(typedA).join('X'), JSON.stringify(b).split(typedB).join('X'));
      same(
        await viewerAsks(`circuit ${CIRCUIT_IDS.fabrikamSea}`, CIRCUIT_IDS.fabrikamSea),
        CIRCUIT_IDS.fabrikamSea,
        await viewerAsks(`circuit ${fake}`, fake),
        fake,
      );
      same(
        await viewerAsks('routes fabrikam-sea-er3', 'fabrikam-sea-er3'),
        'fabrikam-sea-er3',
        await viewerAsks('routes fabrikam-zzz-er9', 'fabrikam-zzz-er9'),
        'fabrikam-zzz-er9',
      );
    });

    it('card clicks forged with Fabrikam or Northwind ids are refused the same way', async () => {
      const rtId = `/subscriptions/${SUBSCRIPTIONS.northwind0}/resourceGroups/rg-northwind/providers/Microsoft.Network/routeTables/rt-northwind-fw`;
      const forged: [Record<string, unknown>, string][] = [
        [{ kind: 'circuit', circuit: CIRCUIT_IDS.fabrikamSea }, CIRCUIT_IDS.fabrikamSea],
        [{ kind: 'routes', circuit: CIRCUIT_IDS.fabrikamDal, page: 2, fresh: true }, CIRCUIT_IDS.fabrikamDal],
        [{ kind: 'bgp', circuit: CIRCUIT_IDS.northwindShared }, CIRCUIT_IDS.northwindShared],
        [{ kind: 'arp', circuit: CIRCUIT_IDS.fabrikamSea, path: 'secondary' }, CIRCUIT_IDS.fabrikamSea],
        [{ kind: 'peerings', circuit: CIRCUIT_IDS.fabrikamSea }, CIRCUIT_IDS.fabrikamSea],
        [{ kind: 'bandwidth', circuit: CIRCUIT_IDS.fabrikamSea }, CIRCUIT_IDS.fabrikamSea],
        [{ kind: 'status', target: CIRCUIT_IDS.northwindShared }, CIRCUIT_IDS.northwindShared],
        [{ kind: 'status', target: 'fabrikam', fresh: true }, 'fabrikam'],
        [{ kind: 'circuits', customer: 'northwind' }, 'northwind'],
        [{ kind: 'filters', customer: 'fabrikam' }, 'fabrikam'],
        [{ kind: 'udr', target: rtId }, rtId],
      ];
      for (const [intent, typed] of forged) {
        const body = await h.click(CONTOSO_VIEWER, 'intent', { intent });
        assertContosoOnly(body, typed);
        const card = validCard(body);
        assert.match(textOf(card), /can't find|isn't/i, `${JSON.stringify(intent)} → ${textOf(card)}`);
        // Any "did you mean" buttons were in the JSON checked above, so they lead to Contoso only.
        for (const b of buttonsOf(card)) assert.match(JSON.stringify(b.data), /contoso|"kind":"(help|customers)"/i);
      }
    });
  });

  describe('ambiguous names', () => {
    it('`circuit er-shared` asks which one, listing contoso/er-shared and northwind/er-shared, and guesses neither', async () => {
      const card = await answerTo(h, ENGINEER, 'circuit er-shared');
      const text = textOf(card);
      assert.match(text, /Which one\?/);
      assert.match(text, /contoso\/er-shared/);
      assert.match(text, /northwind\/er-shared/);
      assert.doesNotMatch(text, /Circuit er-shared/);
    });

    it('each "did you mean" choice is a button that runs the same command on that circuit', async () => {
      const card = await answerTo(h, ENGINEER, 'bandwidth er-shared');
      const northwind = buttonsOf(card).find((b) => b.title === 'northwind/er-shared');
      assert.ok(
        northwind,
        `buttons: ${buttonsOf(card)
          .map((b) => b.title)
          .join(', ')}`,
      );
      const answer = validCard(await h.click(ENGINEER, northwind.verb, northwind.data));
      assert.match(textOf(answer), /Bandwidth of er-shared/);
      assert.match(textOf(answer), /Northwind Traders/);
    });
  });

  describe('people the directory does not know', () => {
    it('an unknown person is refused politely, shown their id, and nothing is read', async () => {
      const before = h.app.simulator!.requests.length;
      for (const command of ['status', 'circuit contoso-ams-er1', 'help']) {
        const reply = await h.say({ aadObjectId: 'stranger-42' }, command);
        const text = textOf(validCard(reply));
        assert.match(text, /don't know you/);
        assert.match(text, /stranger-42/);
        assert.match(text, /Ask a bot admin/);
        assert.doesNotMatch(JSON.stringify(reply.activity), /Contoso|Fabrikam|Northwind|contoso-ams/);
      }
      const clicked = textOf(validCard(await h.click({ aadObjectId: 'stranger-42' }, 'intent', { intent: { kind: 'status' } })));
      assert.match(clicked, /stranger-42/);
      assert.equal(h.app.simulator!.requests.length, before, 'no ARM reads for an unknown person');
    });

    it('an activity without aadObjectId is refused, saying Teams sent no id', async () => {
      const activity = h.activityFor(ENGINEER, { type: 'message', text: 'status' });
      activity.from = { id: '29:someone', name: 'Someone' };
      const res = await h.post(activity);
      assert.ok(res.status < 300, `HTTP ${res.status}`);
      const reply = await h.replyTo(String(activity.id));
      assert.match(textOf(validCard(reply)), /Teams sent no AAD object id/);
    });

    it('a person with no rights gets only `help` listed, and a clear refusal for anything else', async () => {
      const help = textOf(await answerTo(h, NO_RIGHTS, 'help'));
      assert.match(help, /help \[command\]/);
      assert.doesNotMatch(help, /status \[customer/);
      assert.match(help, /You can see 0 customers/);
      const status = textOf(await answerTo(h, NO_RIGHTS, 'status'));
      assert.match(status, /don't have view rights on any customer/);
      assert.doesNotMatch(status, /Contoso|Fabrikam|Northwind/);
    });
  });
});
