import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';
import { errorCard, progressCard, requestCard } from '../../src/cards';
import { makeChangeRequest } from '../support/seed-requests';
import { CodedError, ErrorCode } from '../../src/errors';
import { CATALOG, findCommand } from '../../src/intents/catalog';
import { INTENT_VERB } from '../../src/intents/intent';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';
import { Harness, cardOf, contentOf } from '../support/harness';
import { cardProblems } from './card-check';

/**
 * Every card the bot can produce, in one place: each command's answer from the running bot (demo fleet over
 * the real composition root), the answer to a card button, each error, and the progress card. Each must pass
 * the checks of card-check.ts (SDK parse, ≤ 28 KB, schema ≤ 1.5, a verb on every Action.Execute) and render
 * with the Adaptive Cards SDK's own renderer in jsdom without throwing.
 *
 * A new command must add a line to COMMAND_CARDS, or the coverage test fails. The change-request card is
 * rendered in every state, for everyone and for each kind of viewer, from the pure builder.
 */

const ENGINEER = DEMO_PEOPLE.engineer;
const CIRCUIT = 'fabrikam-dal-er1';

/** Command text → who asks. Between them they reach every catalog command and the main option shapes. */
const COMMAND_CARDS: readonly [string, { aadObjectId: string }][] = [
  ['help', ENGINEER],
  ['help routes', ENGINEER],
  ['help', DEMO_PEOPLE.contosoOnly],
  ['customers', ENGINEER],
  ['circuits', ENGINEER],
  [`circuits ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  ['status', DEMO_PEOPLE.oncall],
  [`status ${DEMO_CUSTOMERS.northwind.id}`, ENGINEER],
  [`status ${CIRCUIT}`, ENGINEER],
  [`circuit ${CIRCUIT}`, ENGINEER],
  ['circuit fabrikam-chi-direct', ENGINEER],
  [`bandwidth ${CIRCUIT}`, ENGINEER],
  [`routes ${CIRCUIT}`, ENGINEER],
  [`routes ${CIRCUIT} microsoft secondary`, ENGINEER],
  [`routes ${CIRCUIT} 10.0.0.0/8`, ENGINEER],
  [`routes ${CIRCUIT} page 2`, ENGINEER],
  [`bgp ${CIRCUIT}`, ENGINEER],
  [`bgp ${CIRCUIT} microsoft`, ENGINEER],
  [`arp ${CIRCUIT}`, ENGINEER],
  [`arp ${CIRCUIT} private secondary`, ENGINEER],
  [`peerings ${CIRCUIT}`, ENGINEER],
  ['filters', ENGINEER],
  ['udr', ENGINEER],
  [`udr ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  [`security ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  [`security ${CIRCUIT}`, ENGINEER],
  ['effective-routes vm-contoso-app01', ENGINEER],
  ['effective-routes vm-contoso-app01 10.20.1.5', ENGINEER],
  ['upgrade contoso-ams-er1 2 Gbps', ENGINEER],
  ['change contoso-ams-er1', ENGINEER],
  ['change rt-contoso-spoke', ENGINEER],
  ['change rf-contoso-m365', ENGINEER],
  ['peering contoso-ams-er1 private vlan 101 key Md5-Render-1', ENGINEER],
  ['peering contoso-ams-er1 private disable', ENGINEER],
  ['filter contoso-ams-er1 create rf-render communities 12076:5010', ENGINEER],
  ['route rt-contoso-spoke add to-fw 0.0.0.0/0 None', ENGINEER],
  ['authorization contoso-ams-er1 create auth-render', ENGINEER],
  ['key CR-0000000', ENGINEER],
  ['requests', ENGINEER],
  ['requests all', DEMO_PEOPLE.approver],
  ['request CR-0000000', ENGINEER],
  ['approve CR-0000000', DEMO_PEOPLE.approver],
  ['reject CR-0000000 not now', DEMO_PEOPLE.approver],
  ['cancel CR-0000000', ENGINEER],
  ['rollback CR-0000000', ENGINEER],
  ['emergency upgrade contoso-ams-er1 2 Gbps because render check', DEMO_PEOPLE.approver],
  ['audit', ENGINEER],
  [`audit ${DEMO_CUSTOMERS.contoso.id} 5`, ENGINEER],
  [`approvals here ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  [`link here ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  [`unlink here ${DEMO_CUSTOMERS.contoso.id}`, ENGINEER],
  ['alerts', DEMO_PEOPLE.oncall],
  [`alerts ${DEMO_CUSTOMERS.northwind.id} all`, ENGINEER],
  ['ack AL-0000000', DEMO_PEOPLE.oncall],
  [`silence ${DEMO_CUSTOMERS.contoso.id} 2h render check`, DEMO_PEOPLE.contosoOnly],
  ['silences', ENGINEER],
  ['unsilence SI-0000000', DEMO_PEOPLE.oncall],
];

/** Mistakes and refusals, as the bot answers them. */
const ERROR_CARDS: readonly [string, { aadObjectId: string }][] = [
  ['frobnicate', ENGINEER],
  ['routes', ENGINEER],
  ['circuit no-such-circuit', ENGINEER],
  ['circuit er', ENGINEER],
  [`circuit ${CIRCUIT}`, DEMO_PEOPLE.contosoOnly],
  ['help', { aadObjectId: 'demo-stranger' }],
];

/** Visible strings of a card: TextBlock texts, or the titles of actions shown as buttons (not selectActions). */
function texts(card: unknown, key: 'text' | 'title'): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (key === 'text' && o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (key === 'title' && Array.isArray(o.actions)) {
        for (const a of o.actions as { title?: unknown }[]) if (typeof a.title === 'string') out.push(a.title);
      }
      // A show-card's own buttons render only once it is opened.
      for (const [k, v] of Object.entries(o)) if (!(key === 'title' && o.type === 'Action.ShowCard' && k === 'card')) walk(v);
    }
  };
  walk(card);
  return out;
}

interface AdaptiveCardSdk {
  AdaptiveCard: {
    new (): {
      parse(json: unknown, context?: unknown): void;
      render(): { textContent: string | null; querySelectorAll(selector: string): ArrayLike<unknown> } | undefined;
    };
    onProcessMarkdown?: (text: string, result: { didProcess: boolean; outputHtml?: string }) => void;
  };
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The SDK looks DOM classes up as globals while rendering (`instanceof HTMLButtonElement`), so jsdom's are
 * installed for this suite only and removed afterwards: other suites keep a DOM-free process.
 */
const DOM_GLOBAL =
  /^(HTML\w*Element|SVG\w*Element|Element|Node|Text|Document|DocumentFragment|\w*Event|getComputedStyle|navigator|document)$/;

describe('cards: every card the bot produces, rendered', function () {
  this.timeout(60_000);
  const installed: string[] = [];
  let sdk: AdaptiveCardSdk;
  let h: Harness;
  const cards = new Map<string, unknown>();

  function render(card: unknown): { text: string; buttons: number } {
    const parsed = new sdk.AdaptiveCard();
    parsed.parse(card);
    const root = parsed.render();
    assert.ok(root, 'the renderer returned no element');
    return { text: root.textContent ?? '', buttons: root.querySelectorAll('button').length };
  }

  function check(name: string, card: unknown): void {
    assert.deepEqual(cardProblems(card), [], `${name}: card problems`);
    const { text, buttons } = render(card);
    const plainText = text.replace(/\s+/g, ' ');
    // Without a markdown processor the SDK shows text as written, so each TextBlock must be on the page.
    for (const t of texts(card, 'text')) {
      assert.ok(plainText.includes(t.replace(/\s+/g, ' ').slice(0, 40)), `${name}: "${t.slice(0, 40)}" not rendered`);
    }
    const titles = texts(card, 'title');
    assert.ok(buttons >= titles.length, `${name}: ${buttons} buttons rendered for ${titles.length} actions`);
    for (const t of titles) assert.ok(plainText.includes(t), `${name}: button "${t}" not rendered`);
  }

  before(async () => {
    const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
    const g = globalThis as Record<string, unknown>;
    const win = dom.window as unknown as Record<string, unknown>;
    for (const key of [...Object.getOwnPropertyNames(win), 'window']) {
      if ((key === 'window' || DOM_GLOBAL.test(key)) && !(key in g)) {
        g[key] = key === 'window' ? dom.window : win[key];
        installed.push(key);
      }
    }
    // jsdom has no innerText, which the SDK writes TextBlock text with; without this every text renders empty.
    Object.defineProperty((win.HTMLElement as { prototype: object }).prototype, 'innerText', {
      get(this: { textContent: string | null }) {
        return this.textContent;
      },
      set(this: { textContent: string | null }, value: string) {
        this.textContent = value;
      },
      configurable: true,
    });
    // The package's main entry fails on Node 20; the dist bundle works (TOOLCHAIN.md).
    sdk = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardSdk;
    // Teams renders markdown itself; here text passes through as written (and the SDK stops warning).
    sdk.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = escapeHtml(text);
      result.didProcess = true;
    };

    h = await Harness.start({ logLevel: 'silent' });
    for (const [command, who] of [...COMMAND_CARDS, ...ERROR_CARDS]) {
      const reply = await h.say(who, command);
      const card = cardOf(reply);
      assert.ok(card, `"${command}" as ${who.aadObjectId} answered without a card: ${String(reply.activity.text)}`);
      cards.set(`${command} (${who.aadObjectId})`, card);
    }
  });

  after(async () => {
    await h?.stop();
    const g = globalThis as Record<string, unknown>;
    for (const key of installed.splice(0)) delete g[key];
    delete sdk?.AdaptiveCard.onProcessMarkdown;
  });

  it('should cover every catalog command', () => {
    const covered = new Set(COMMAND_CARDS.map(([c]) => findCommand(c.split(' ')[0]!)?.kind));
    const missing = CATALOG.filter((c) => !covered.has(c.kind)).map((c) => c.name);
    assert.deepEqual(missing, [], 'add these commands to COMMAND_CARDS');
  });

  it("should check and render each command's card", () => {
    for (const [command, who] of COMMAND_CARDS) check(command, cards.get(`${command} (${who.aadObjectId})`));
  });

  it('should check and render each error answer', () => {
    for (const [command, who] of ERROR_CARDS) check(`${command} as ${who.aadObjectId}`, cards.get(`${command} (${who.aadObjectId})`));
  });

  it('should check and render the cards that buttons bring (Next page, Refresh)', async () => {
    const routes = cards.get(`routes ${CIRCUIT} (${ENGINEER.aadObjectId})`);
    const actions: { title?: string; verb?: string; data?: unknown }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'Action.Execute') actions.push(o);
        Object.values(o).forEach(walk);
      }
    };
    walk(routes);
    const clicked = actions.filter((a) => /Next|Refresh/.test(a.title ?? ''));
    assert.ok(clicked.length >= 2, `Next and Refresh on the route table: ${actions.map((a) => a.title).join(', ')}`);
    for (const action of clicked) {
      assert.equal(action.verb, INTENT_VERB);
      const body = await h.click(ENGINEER, action.verb, action.data);
      const card = contentOf(body);
      assert.equal(typeof card, 'object', `${action.title}: answered ${JSON.stringify(body).slice(0, 200)}`);
      check(`click ${action.title}`, card);
    }
  });

  it('should check and render an error card for every error code, with and without candidates', () => {
    for (const code of Object.values(ErrorCode)) {
      check(code, errorCard(new CodedError(code, `Example of ${code}.`, { hint: 'What to do next.' })));
      check(
        `${code} with candidates`,
        errorCard(new CodedError(code, 'Which one?', { details: { candidates: ['contoso/er1', 'fabrikam/er1', 'x'.repeat(200)] } }), {
          candidateIntent: (c) => (c.startsWith('x') ? undefined : { kind: 'circuit', circuit: c }),
        }),
      );
    }
  });

  it('should check and render the change-request card in every state, for everyone and for each viewer', () => {
    const states = ['pending', 'approved', 'executing', 'succeeded', 'failed', 'rejected', 'cancelled', 'expired', 'stale'] as const;
    const viewers = [
      undefined,
      { canApprove: true, canReject: true, canCancel: false, canRerequest: false },
      { canApprove: false, canReject: false, canCancel: true, canRerequest: false, note: 'You asked for this change.' },
      { canApprove: false, canReject: false, canCancel: false, canRerequest: true },
    ];
    const at = Date.UTC(2025, 0, 6, 9, 0, 0);
    for (const state of states) {
      const request = makeChangeRequest({
        state,
        approvals: state === 'pending' ? [] : [{ by: DEMO_PEOPLE.approver, at }],
        operation: { attempts: 1, startedAt: at, status: 'InProgress', correlationId: 'corr-1' },
        ...(state === 'succeeded' || state === 'failed' || state === 'stale'
          ? {
              outcome: {
                code: state === 'failed' ? 'ServiceProviderCapacityExceeded' : undefined,
                message: `Outcome of ${state}.`,
                after: { Bandwidth: '2 Gbps', 'Provisioning state': 'Succeeded' },
              },
            }
          : {}),
        ...(state === 'rejected' ? { rejection: { by: DEMO_PEOPLE.approver, reason: 'Not during the freeze', at } } : {}),
      });
      for (const viewer of viewers) {
        const card = requestCard({
          request,
          customer: { name: 'Contoso Ltd', tenantId: DEMO_CUSTOMERS.contoso.tenantId },
          kindTitle: 'Bandwidth upgrade',
          approvers: Array.from({ length: 70 }, (_, i) => `Approver ${i}`),
          now: at + 90_000,
          ...(state === 'executing' ? { progress: { status: 'InProgress', elapsedMs: 90_000 } } : {}),
          ...(viewer ? { viewer } : {}),
          refreshUserIds: Array.from({ length: 70 }, (_, i) => `29:user-${i}`),
        });
        check(`${state} (${viewer ? JSON.stringify(viewer) : 'everyone'})`, card);
        assert.ok((card.refresh?.userIds.length ?? 0) <= 60, 'Teams takes at most 60 refresh user ids');
      }
    }
  });

  it('should check and render the change-request card of issue 13: waits, overrides, checks after, rollbacks', () => {
    const at = Date.UTC(2026, 0, 8, 19, 0);
    const by = DEMO_PEOPLE.approver;
    const customer = { name: 'Contoso Ltd', tenantId: DEMO_CUSTOMERS.contoso.tenantId };
    const check13 = { startedAt: at, deadline: at + 600_000, looks: 2 };
    const variants: [string, Parameters<typeof makeChangeRequest>[0]][] = [
      [
        'waits for a window',
        { state: 'approved', schedule: { runAt: at + 86_400_000, label: 'Sat 22:00 Europe/Amsterdam', because: 'window' } },
      ],
      [
        'held by a freeze',
        {
          state: 'approved',
          schedule: { runAt: at + 86_400_000, label: 'Sat 3 Jan 18:00 UTC', because: 'freeze', freeze: 'x'.repeat(300) },
        },
      ],
      ['emergency override', { required: 2, override: { by, reason: 'y'.repeat(500), at, freeze: 'year-end freeze' } }],
      ['verifying', { state: 'succeeded', undo: { oneWay: 'z'.repeat(500) }, verification: { status: 'verifying', ...check13 } }],
      [
        'verified',
        {
          state: 'succeeded',
          undo: { kind: 'sku', input: { tier: 'Standard' }, precondition: 'p'.repeat(500) },
          verification: { status: 'verified', ...check13, evidence: 'e'.repeat(1000) },
        },
      ],
      [
        'verification failed',
        {
          state: 'succeeded',
          undo: { kind: 'bandwidth', input: {} },
          verification: { status: 'failed', ...check13, why: 'w'.repeat(1000), since: at },
        },
      ],
      ['not verified', { state: 'succeeded', verification: { status: 'skipped', ...check13, why: 'nothing to check' } }],
      ['a rollback', { rollbackOf: 'CR-7F3K2QX' }],
    ];
    for (const [name, overrides] of variants) {
      for (const viewer of [undefined, { canApprove: true, canReject: true, canCancel: false, canRerequest: false, canRollback: true }]) {
        const card = requestCard({
          request: makeChangeRequest({ approvals: [{ by, at }], ...overrides }),
          customer,
          kindTitle: 'Private peering',
          approvers: ['Avery'],
          now: at,
          timeZone: 'Europe/Amsterdam',
          rollbacks: name === 'verified' ? [{ id: 'CR-RB00001', state: 'expired' }] : [],
          ...(viewer ? { viewer } : {}),
        });
        check(`${name} (${viewer ? 'with buttons' : 'everyone'})`, card);
      }
    }
  });

  it('should check and render the progress card', () => {
    check(
      'progress',
      progressCard({
        reading: ['BGP summary of er1, private peering'],
        customer: { name: 'Contoso Ltd', tenantId: DEMO_CUSTOMERS.contoso.tenantId },
      }),
    );
    check('progress, nothing listed', progressCard({ reading: [] }));
  });

  it('should make the renderer fail on a broken card (so the checks above can fail)', () => {
    assert.notDeepEqual(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Nope' }] }), []);
    assert.throws(() =>
      check('broken', {
        type: 'AdaptiveCard',
        $schema: 'x',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'shown' }],
        actions: [{ type: 'Action.Execute', title: 'Go' }],
      }),
    );
  });
});
