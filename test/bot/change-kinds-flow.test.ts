import assert from 'node:assert/strict';
import { Harness, type User } from '../support/harness';
import { buttonOf, buttonsOf, textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, introduce, requestIdOf } from '../support/change-cards';
import { CIRCUIT_IDS, SUBSCRIPTIONS } from '../support/demo-world';
import type { ConnectorCall } from '../support/fake-connector';

/**
 * Each new change kind end to end over real HTTP: typed command or form → request card (before/after, impact)
 * → approval → ARM write on the simulator → read-back on the requester's card. Secrets (MD5 keys, the
 * authorization key) are searched for in everything the bot said, logged and stored.
 */

const AMS = CIRCUIT_IDS.contosoAms;
const NW = 'providers/Microsoft.Network';
const LON = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/expressRouteCircuits/contoso-lon-er2`;
const RT_SPOKE = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/routeTables/rt-contoso-spoke`;
const RF_M365 = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/routeFilters/rf-contoso-m365`;
const CHANNEL = { id: '19:netops@thread.tacv2', conversationType: 'channel' };

const props = (body: unknown) => (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};

type Rule = { properties: { communities: string[] } };

describe('bot: every change kind end to end (peerings, route filters, UDR routes, authorizations)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      changes: { progressUpdateMs: 20, executorLimits: { retryDelayMs: 10 } },
    });
    await introduce(h, PEOPLE.engineer);
    // The channel shows Contoso's requests: a customer's admin linked it.
    const link = h.activityFor(PEOPLE.admin, { type: 'message', text: 'link here contoso', conversation: CHANNEL });
    assert.equal((await h.post(link)).status, 200);
    assert.match(textOf(await h.replyTo(String(link.id))), /now shows Contoso Ltd's data/);
  });
  after(async () => h?.stop());

  const sim = () => h.app.simulator!;
  const writes = (method: string, path: string) =>
    sim().requests.filter((r) => r.method === method && r.path.toLowerCase() === path.toLowerCase()).length;

  /** Approves as approver 0 and waits for the requester's card (message `cardId`) to say Done. */
  async function approveUntilDone(id: string, cardId: string): Promise<string> {
    validCard(await h.say(approver(0), `approve ${id}`));
    const done = textOf(await cardBecomes(h, cardId, (t) => /Succeeded|Failed|Stale/.test(t)));
    assert.match(done, /Succeeded/, done);
    assert.match(done, /Read back from Azure/);
    return done;
  }

  async function typed(
    user: User,
    command: string,
  ): Promise<{ id: string; text: string; call: ConnectorCall; card: Record<string, unknown> }> {
    const call = await h.say(user, command);
    const card = validCard(call);
    return { id: requestIdOf(card), text: textOf(card), call, card };
  }

  /** Everything a secret could leak into: every message and card edit, every log line, every audit entry and row. */
  async function everything(): Promise<{ connector: string[]; logs: string; stored: string }> {
    const audit = await h.app.store.audit({ customerIds: ['contoso', 'fabrikam', 'northwind'], limit: 1000 });
    const rows = await h.app.store.list({});
    return {
      connector: h.connector.calls.map((c) => JSON.stringify(c)),
      logs: h.logLines.join('\n'),
      stored: JSON.stringify(audit) + JSON.stringify(rows),
    };
  }

  async function assertNowhere(secret: string): Promise<void> {
    const all = await everything();
    assert.equal(all.connector.filter((c) => c.includes(secret)).length, 0, 'not in any message or card');
    assert.ok(!all.logs.includes(secret), 'not in the logs');
    assert.ok(!all.stored.includes(secret), 'not in any request row or audit entry');
  }

  it('private peering (typed): VLAN and MD5 key diff, disruptive, written and read back; the key is never repeated', async () => {
    const md5 = 'Pp-Md5-Key-4711';
    const r = await typed(PEOPLE.engineer, `peering contoso/contoso-lon-er2 private vlan 111 key ${md5}`);
    assert.match(r.text, /VLAN\n110 → 111/);
    assert.match(r.text, /MD5 key\nnot set → set/);
    assert.match(r.text, /Disruptive/);
    assert.match(r.text, /still holds it in this chat’s history/, 'a typed key is warned about, even in a 1:1 chat');
    const done = await approveUntilDone(r.id, r.call.id);
    assert.match(done, /VLAN\n111/);
    assert.match(done, /MD5 key\nset/);
    const peering = props(sim().resource(`${LON}/peerings/AzurePrivatePeering`));
    assert.equal(peering.vlanId, 111);
    assert.equal(peering.sharedKey, md5, 'ARM got the key');
    await assertNowhere(md5);
  });

  it('microsoft peering (form): created with public prefixes; says nothing is advertised until a route filter is attached', async () => {
    const md5 = 'Ms-Form-Key-0815';
    const form = validCard(await h.say(PEOPLE.engineer, 'change contoso/contoso-lon-er2'));
    assert.match(textOf(form), /Nothing is advertised to you until a route filter is attached/);
    assert.match(textOf(form), /Azure public peering is deprecated/);
    const key = JSON.stringify(form).match(/"id":"microsoft-peering:sharedKey"[^}]*/)?.[0] ?? '';
    assert.match(key, /"style":"Password"/, 'the key field is masked');
    const button = buttonOf(form, 'Request microsoft peering');
    const messageId = 'form-ms-peering';
    const card = validCard(
      await h.click(
        PEOPLE.engineer,
        button.verb,
        {
          ...(button.data as object),
          'microsoft-peering:vlanId': '210',
          'microsoft-peering:peerAsn': '12076',
          'microsoft-peering:primaryPeerAddressPrefix': '145.14.0.0/30',
          'microsoft-peering:secondaryPeerAddressPrefix': '145.14.0.4/30',
          'microsoft-peering:advertisedPublicPrefixes': '145.14.8.0/24, 145.14.9.0/24',
          'microsoft-peering:routingRegistryName': 'RIPENCC',
          'microsoft-peering:sharedKey': md5,
          // Another section's field, sent along by Teams: ignored.
          'private-peering:vlanId': '999',
        },
        messageId,
      ),
    );
    const text = textOf(card);
    const id = requestIdOf(card);
    assert.match(text, /Advertised prefixes\n\(none\) → 145\.14\.8\.0\/24, 145\.14\.9\.0\/24/);
    assert.match(text, /Nothing is advertised to you over Microsoft peering until a route filter is attached/);
    assert.doesNotMatch(text, /history/, 'no warning: the form keeps the key out of the chat');
    const done = await approveUntilDone(id, messageId);
    assert.match(done, /Advertised prefixes\n145\.14\.8\.0\/24, 145\.14\.9\.0\/24/);
    assert.equal(props(sim().resource(`${LON}/peerings/MicrosoftPeering`)).sharedKey, md5);
    await assertNowhere(md5);
  });

  it('peering state: disabling a peering with BGP up is marked disruptive, the requester cannot approve it, and it is applied', async () => {
    const r = await typed(PEOPLE.lead, 'peering contoso/contoso-ams-er1 private disable');
    assert.match(r.text, /AzurePrivatePeering state\nEnabled → Disabled/);
    assert.match(r.text, /⚠ Disruptive/);
    assert.match(r.text, /BGP is up/);
    assert.match(textOf(validCard(await h.say(PEOPLE.lead, `approve ${r.id}`))), /someone else must approve/);
    const done = await approveUntilDone(r.id, r.call.id);
    assert.match(done, /State\nDisabled/);
    assert.equal(props(sim().resource(`${AMS}/peerings/AzurePrivatePeering`)).state, 'Disabled');
  });

  it('route filter: created in the circuit’s region, attached to Microsoft peering, then its communities changed', async () => {
    const created = await typed(
      PEOPLE.engineer,
      'filter contoso/contoso-ams-er1 create rf-contoso-new communities 12076:5010, 12076:51002',
    );
    assert.match(
      created.text,
      /Route filter rf-contoso-new\n\(none\) → in westeurope, rule allow-communities: Allow 12076:5010 \(.+\), 12076:51002/,
    );
    await approveUntilDone(created.id, created.call.id);
    const filter = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/routeFilters/rf-contoso-new`;
    assert.deepEqual(
      (props(sim().resource(filter)).rules as Rule[]).map((x) => x.properties.communities),
      [['12076:5010', '12076:51002']],
    );

    const attached = await typed(PEOPLE.engineer, 'filter contoso/contoso-ams-er1 attach rf-contoso-new');
    assert.match(attached.text, /Microsoft peering route filter\nrf-contoso-m365 → rf-contoso-new/);
    assert.match(attached.text, /Disruptive/, 'replacing a filter withdraws what only the old one allowed');
    const done = await approveUntilDone(attached.id, attached.call.id);
    assert.match(done, /Attached route filter\nrf-contoso-new/);

    const rule = await typed(PEOPLE.engineer, 'filter contoso/rf-contoso-m365 communities 12076:5010');
    assert.match(rule.text, /rf-contoso-m365 communities\n12076:5010 \(.+\), 12076:51002 \(.+\) → 12076:5010/);
    const ruled = await approveUntilDone(rule.id, rule.call.id);
    assert.match(ruled, /Communities\n12076:5010/);
    assert.deepEqual(
      (props(sim().resource(RF_M365)).rules as Rule[]).map((x) => x.properties.communities),
      [['12076:5010']],
    );
  });

  it('UDR route: added through a firewall (typed), black hole warned, removed from the route table’s form', async () => {
    const hole = await typed(PEOPLE.engineer, 'route contoso/rt-contoso-spoke add drop-all 0.0.0.0/0 None');
    assert.match(hole.text, /Black hole/);
    assert.match(hole.text, /⚠ Disruptive/);
    validCard(await h.say(PEOPLE.engineer, `cancel ${hole.id}`));

    const added = await typed(PEOPLE.engineer, 'route contoso/rt-contoso-spoke add to-fw 0.0.0.0/0 appliance 10.10.0.4');
    assert.match(added.text, /UDR route: rt-contoso-spoke/);
    assert.match(added.text, /Route to-fw\n\(none\) → 0\.0\.0\.0\/0 → VirtualAppliance 10\.10\.0\.4/);
    const done = await approveUntilDone(added.id, added.call.id);
    assert.match(done, /Route to-fw\n0\.0\.0\.0\/0 → VirtualAppliance 10\.10\.0\.4/);
    assert.equal(writes('PUT', `${RT_SPOKE}/routes/to-fw`), 1);

    const form = validCard(await h.say(PEOPLE.engineer, 'change rt-contoso-spoke'));
    assert.match(textOf(form), /Add a UDR route/);
    const remove = buttonOf(form, /Request remove a route/);
    const messageId = 'form-udr-remove';
    const card = validCard(
      await h.click(PEOPLE.engineer, remove.verb, { ...(remove.data as object), 'udr-route-remove:name': 'to-fw' }, messageId),
    );
    assert.match(textOf(card), /Route to-fw\n0\.0\.0\.0\/0 → VirtualAppliance 10\.10\.0\.4 → \(removed\)/);
    assert.match(textOf(card), /no longer passes through the appliance/);
    const removed = await approveUntilDone(requestIdOf(card), messageId);
    assert.match(removed, /Route to-fw\n\(none\)/);
    assert.equal(writes('DELETE', `${RT_SPOKE}/routes/to-fw`), 1);
  });

  it('authorization: the key goes to the requester’s 1:1 chat only, exactly once, and nowhere else', async () => {
    const r = await typed(PEOPLE.engineer, 'authorization contoso/contoso-ams-er1 create auth-contoso-new');
    assert.match(r.text, /Authorization auth-contoso-new\n\(none\) → created \(key sent to you privately\)/);
    const done = await approveUntilDone(r.id, r.call.id);
    assert.match(done, /sent to your 1:1 chat/);
    const key = props(sim().resource(`${AMS}/authorizations/auth-contoso-new`)).authorizationKey as string;
    assert.ok(key && key.length > 8, 'the simulator made a key');
    const delivered = await h.connector.waitFor((c) => JSON.stringify(c).includes(key), 10_000, 'the key');
    assert.equal(delivered.op, 'send');
    assert.equal(delivered.conversationId, `a:personal-${PEOPLE.engineer.aadObjectId}`);
    validCard(delivered);
    const all = await everything();
    assert.equal(all.connector.filter((c) => c.includes(key)).length, 1, 'exactly one message holds the key');
    assert.ok(!all.logs.includes(key), 'not in the logs');
    assert.ok(!all.stored.includes(key), 'not in any request row or audit entry');

    // Show key: only the requester, only in a 1:1 chat.
    const mine = validCard(await h.say(PEOPLE.engineer, `request ${r.id}`));
    const show = buttonOf(mine, 'Show key');
    const inChannel = h.activityFor(PEOPLE.engineer, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      conversation: CHANNEL,
      value: { action: { type: 'Action.Execute', verb: show.verb, data: show.data } },
    });
    const refused = validCard((await h.post(inChannel)).body);
    assert.match(textOf(refused), /only ever shown in a 1:1 chat/);
    assert.ok(!JSON.stringify(refused).includes(key));
    const other = validCard(await h.click(PEOPLE.lead, show.verb, show.data));
    assert.match(textOf(other), /Only Dana, who asked for/);
    assert.ok(!JSON.stringify(other).includes(key));
    const theirs = buttonsOf(validCard(await h.say(PEOPLE.lead, `request ${r.id}`))).map((b) => b.title);
    assert.ok(!theirs.includes('Show key'), 'nobody else gets the button');
    // A created authorization is undone by revoking it: whoever may request changes is offered that way back.
    assert.deepEqual(theirs, ['Rollback']);
    const again = validCard(await h.click(PEOPLE.engineer, show.verb, show.data));
    assert.ok(JSON.stringify(again).includes(key), 'the requester reads it again, fresh from Azure, in their 1:1 chat');
    assert.equal((await everything()).connector.filter((c) => c.includes(key)).length, 1, 'still only the one 1:1 message');
  });

  it('authorization: a requester without a 1:1 chat is told on the card to open one and use Show key there', async () => {
    const post = h.activityFor(PEOPLE.channelOnly, {
      type: 'message',
      text: 'authorization contoso/contoso-ams-er1 create auth-contoso-lead',
      conversation: CHANNEL,
    });
    assert.equal((await h.post(post)).status, 200);
    const reply = await h.replyTo(String(post.id));
    const id = requestIdOf(validCard(reply));
    validCard(await h.say(approver(0), `approve ${id}`));
    await cardBecomes(h, reply.id, (t) => /Succeeded/.test(t));
    const key = props(sim().resource(`${AMS}/authorizations/auth-contoso-lead`)).authorizationKey as string;
    // The lead's own view of the card in the channel (what Teams fetches through the refresh).
    const view = h.activityFor(PEOPLE.channelOnly, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      conversation: CHANNEL,
      value: { action: { type: 'Action.Execute', verb: 'intent', data: { intent: { kind: 'request', id } } } },
    });
    const personal = validCard((await h.post(view)).body);
    assert.match(textOf(personal), /open a 1:1 chat with the bot and click Show key there/);
    assert.ok(!h.connector.calls.some((c) => JSON.stringify(c).includes(key)), 'not sent anywhere: there is no 1:1 chat');
    const shown = validCard(await h.say(PEOPLE.channelOnly, `key ${id}`));
    assert.ok(textOf(shown).includes(key));
    assert.ok(!h.logLines.some((l) => l.includes(key)));
  });

  it('authorization revoke: names the connection it cuts, is disruptive, and is applied', async () => {
    const r = await typed(PEOPLE.engineer, 'authorization fabrikam/fabrikam-sea-er3 revoke auth-fabrikam-hub');
    assert.match(r.text, /Authorization auth-fabrikam-hub\nInUse, used by cn-fabrikam-hub-er → \(revoked\)/);
    assert.match(r.text, /Will be cut: the connection cn-fabrikam-hub-er/);
    assert.match(r.text, /⚠ Disruptive/);
    const done = await approveUntilDone(r.id, r.call.id);
    assert.match(done, /Authorization auth-fabrikam-hub\n\(none\)/);
    assert.equal(writes('DELETE', `${CIRCUIT_IDS.fabrikamSea}/authorizations/auth-fabrikam-hub`), 1);
  });

  it('a typed MD5 key in a channel or a group chat is refused: nothing requested, the key never repeated', async () => {
    const md5 = 'Chan-Typed-Key-99';
    const groupChat = { id: '19:group-netops@thread.v2', conversationType: 'groupChat' };
    for (const conversation of [CHANNEL, groupChat]) {
      const before = (await h.app.store.list({})).length;
      const post = h.activityFor(PEOPLE.engineer, {
        type: 'message',
        text: `peering contoso/contoso-lon-er2 private vlan 100 key ${md5}`,
        conversation,
      });
      assert.equal((await h.post(post)).status, 200);
      const text = textOf(validCard(await h.replyTo(String(post.id))));
      assert.match(text, /Not possible as asked/, conversation.conversationType);
      assert.match(text, /You typed an MD5 key where others can read it, so I did not request anything/);
      assert.match(text, /Use the form \(`change contoso\/contoso-lon-er2`\)/);
      assert.match(text, /type the command in a 1:1 chat with the bot/);
      assert.match(text, /Nothing was requested/);
      assert.doesNotMatch(text, /CR-/);
      assert.equal((await h.app.store.list({})).length, before, `no request from the ${conversation.conversationType}`);
    }
    await assertNowhere(md5);
  });

  it('a typed MD5 key in a channel is told exposed even when the line does not parse', async () => {
    const md5 = 'Chan-Typo-Key-42';
    const post = h.activityFor(PEOPLE.engineer, {
      type: 'message',
      text: `peering contoso/contoso-lon-er2 privte vlan 100 key ${md5}`,
      conversation: CHANNEL,
    });
    assert.equal((await h.post(post)).status, 200);
    const text = textOf(validCard(await h.replyTo(String(post.id))));
    assert.match(text, /You typed an MD5 key where others can read it/);
    assert.match(text, /Treat that key as exposed/);
    assert.match(text, /Use the form \(`change <circuit>`\)/);
    assert.doesNotMatch(text, new RegExp(md5));
    await assertNowhere(md5);
    // The key may be any word of a line that did not parse: none is repeated.
    for (const line of ['md5 Hunter2xyz vlan', 'sharedkey Zz9secret peering']) {
      const typo = h.activityFor(PEOPLE.engineer, { type: 'message', text: line, conversation: CHANNEL });
      assert.equal((await h.post(typo)).status, 200);
      const said = textOf(validCard(await h.replyTo(String(typo.id))));
      assert.match(said, /You typed an MD5 key where others can read it/, line);
      assert.doesNotMatch(said, /Hunter2xyz|Zz9secret/, line);
    }
  });
});
