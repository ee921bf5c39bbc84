import assert from 'node:assert/strict';
import { formSections } from '../../src/app/answers/form-sections';
import { defaultChangeKinds, type RegisteredKind } from '../../src/changes/change-kinds';
import type { KindField, TypedSyntax } from '../../src/changes/kind-fields';
import { KIND_DECLARATIONS } from '../../src/changes/kinds';
import { PEERING_ALIASES, PEERING_CHOICES, PEERING_WORDS } from '../../src/changes/kinds/shared/peering-words';
import { MemorySecretVault } from '../../src/changes/kinds/shared/secret-vault';
import { isCodedError } from '../../src/errors';
import { parseCommand } from '../../src/intents/parse-command';
import { findCommand } from '../../src/intents/catalog';
import { PEERING_ARM_NAME, type RouteFilter, type UdrTable } from '../../src/network/types';
import { circuit, peering } from '../network/circuit-fixture';

/**
 * Every registered change kind, from its one declaration: each field is on the form, the typed syntax takes
 * it, and a wrong value is refused in the field's own label. A kind or field added without what makes it
 * usable fails here, not in front of an engineer.
 */

const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';
const RF_ID = `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/routeFilters/rf-m365`;
const filter: RouteFilter = {
  id: RF_ID,
  name: 'rf-m365',
  subscriptionId: SUB,
  resourceGroup: 'rg-network',
  location: 'westeurope',
  rules: [{ name: 'r', access: 'Allow', communities: ['12076:5010'] }],
  peeringIds: [],
};
const table: UdrTable = {
  id: `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/routeTables/rt-spoke`,
  name: 'rt-spoke',
  subscriptionId: SUB,
  resourceGroup: 'rg-network',
  location: 'westeurope',
  disableBgpRoutePropagation: false,
  routes: [{ name: 'to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }],
  subnetIds: [],
};
const full = circuit({
  location: 'westeurope',
  peerings: [peering('private'), peering('microsoft', { routeFilterId: RF_ID, hasSharedKey: true })],
  authorizations: [{ name: 'auth-1', useStatus: 'Available', provisioningState: 'Succeeded' }],
});
const on = [{ circuit: full }, { routeTable: table }, { routeFilter: filter }] as const;

/** The same line a person would type for the kind, with every field its syntax can carry. */
function typedLine(syntax: TypedSyntax, fields: readonly KindField[]): string {
  const target = syntax.target === 'routeTable' ? 'contoso/rt-spoke' : syntax.target === 'changeTarget' ? 'contoso/rf-m365' : 'contoso/er1';
  const field = (key: string) => fields.find((f) => f.key === key) as KindField;
  const words =
    syntax.style === 'positional'
      ? (syntax.order ?? []).map((k) => field(k).example)
      : fields
          .filter((f) => f.words !== undefined && f.shape !== 'flag')
          .map((f) => `${f.words?.[0]} ${f.shape === 'secret' ? 'S3cret-Key' : f.example}`);
  return `${syntax.command} ${target} ${syntax.select[0]} ${words.join(' ')}`;
}

/** A value no field of this shape takes. */
const WRONG: Record<KindField['shape'], unknown> = {
  number: 'ten',
  asn: 'AS-x',
  subnet: '10.0.0.0',
  prefix: '10.0.0.0',
  prefixOrServiceTag: '10.0.0.0',
  prefixes: '10.0.0.0',
  communities: 'abc',
  ip: '10.0.0',
  name: 'bad!name',
  resource: '',
  choice: 'nope',
  bandwidth: 'banana',
  secret: 'k'.repeat(30),
  flag: 'maybe',
};

const OWNER = { customerId: 'contoso', circuitId: full.id, requesterId: 'dana' };

/** A change of every field for the kinds whose before/after rows are one per field, and the rows' subject. */
const PER_FIELD: Record<string, { input: Record<string, unknown>; rowsOf?: string }> = {
  bandwidth: { input: { bandwidth: '2 Gbps' } },
  sku: { input: { tier: 'Premium', family: 'UnlimitedData' } },
  'private-peering': {
    input: {
      vlanId: 150,
      peerAsn: 65011,
      primaryPeerAddressPrefix: '10.9.0.0/30',
      secondaryPeerAddressPrefix: '10.9.0.4/30',
      sharedKey: 'k1',
    },
  },
  'microsoft-peering': {
    input: {
      vlanId: 250,
      peerAsn: 64501,
      primaryPeerAddressPrefix: '145.14.0.0/30',
      secondaryPeerAddressPrefix: '145.14.0.4/30',
      advertisedPublicPrefixes: '145.14.8.0/24',
      customerAsn: 64502,
      routingRegistryName: 'RIPENCC',
      sharedKey: 'k2',
    },
  },
  // One peering's state: its row is the field's label named for the peering ("AzurePrivatePeering state").
  'peering-state': { input: { peering: 'private', state: 'Disabled' }, rowsOf: PEERING_ARM_NAME.private },
};

describe('change kinds: one declaration drives the form, the typed syntax and the messages', () => {
  const kinds = defaultChangeKinds({ secrets: new MemorySecretVault() });
  const registered: RegisteredKind[] = kinds.names().map((n) => kinds.get(n));

  it('should label every before/after row of a per-field kind with one of its fields’ labels', () => {
    for (const [name, { input, rowsOf }] of Object.entries(PER_FIELD)) {
      const kind = kinds.get(name);
      const labels = kind.fields.map((f) => (rowsOf ? `${rowsOf} ${f.label.toLowerCase()}` : f.label));
      const rows = Object.keys(kind.describe(full, kind.parseInput(input, OWNER)).diff);
      assert.ok(rows.length > 0, `${name}: the sample changes something`);
      for (const row of rows) assert.ok(labels.includes(row), `${name}: row '${row}' is one of ${labels.join(', ')}`);
    }
  });

  it('should accept, in card data, every word its choice fields declare (choices and aliases, any case)', () => {
    for (const kind of KIND_DECLARATIONS) {
      for (const field of kind.fields.filter((f) => f.shape === 'choice')) {
        const words = [...(field.choices ?? []).map((c) => [c, c] as const), ...Object.entries(field.aliases ?? {})];
        assert.ok(words.length > 0, `${kind.name}.${field.key} declares its choices`);
        for (const [word, choice] of words) {
          for (const typed of [word, word.toUpperCase()]) {
            const r = field.schema.safeParse(typed);
            assert.ok(r.success && r.data === choice, `${kind.name}.${field.key}: ${typed} → ${choice}`);
          }
        }
        const wrong = field.schema.safeParse('nope');
        assert.ok(!wrong.success && wrong.error.issues.some((i) => i.message === `use one of ${(field.choices ?? []).join(', ')}`));
      }
    }
    assert.deepEqual(kinds.get('peering-state').parseInput({ peering: 'ms', state: 'off' }), { peering: 'microsoft', state: 'Disabled' });
    const route = { action: 'add', name: 'r1', addressPrefix: '10.1.0.0/16', nextHopType: 'appliance', nextHopIpAddress: '10.0.0.4' };
    assert.equal(kinds.get('udr-route').parseInput(route).nextHopType, 'VirtualAppliance');
  });

  it('should name a peering by the same words in every peering kind’s typed syntax and in the peering choice', () => {
    for (const peering of PEERING_CHOICES) {
      const words = PEERING_WORDS[peering];
      const kind = kinds.get(`${peering}-peering`);
      assert.deepEqual(
        kind.syntax.map((s) => s.select),
        [words],
      );
      const state = kinds.get('peering-state').syntax.find((s) => s.preset?.peering === peering);
      assert.deepEqual(state?.select, words);
      const field = kinds.get('peering-state').fields.find((f) => f.key === 'peering');
      assert.deepEqual(
        [field?.choices?.find((c) => c === peering), ...Object.keys(field?.aliases ?? {}).filter((w) => PEERING_ALIASES[w] === peering)],
        words,
      );
    }
  });

  it('should name a bad value under the key a field is stored as by the field’s label', () => {
    for (const kind of registered) {
      for (const field of kind.fields.filter((f) => f.storedAs !== undefined)) {
        assert.throws(
          () => kind.parseInput({ [field.storedAs ?? '']: -5 }, OWNER),
          (e: unknown) => isCodedError(e) && e.message.includes(`${field.label}: `) && !e.message.includes(field.storedAs ?? '?'),
          `${kind.name}.${field.storedAs}`,
        );
      }
    }
    assert.ok(
      registered.some((k) => k.fields.some((f) => f.storedAs === 'bandwidthMbps')),
      'bandwidth is stored in Mbps',
    );
  });

  it('should fill every setting of a peering form with the peering as it is', () => {
    for (const name of ['private-peering', 'microsoft-peering']) {
      const [section] = kinds.get(name).form({ circuit: full }, {});
      const settings = kinds.get(name).fields.filter((f) => f.shape !== 'secret' && f.shape !== 'flag');
      for (const f of settings) assert.ok(section?.values?.[f.key], `${name}.${f.key} is filled`);
    }
  });

  it('should write every declared UDR route property as ARM names it, and read each back to decide it is applied', () => {
    const udr = kinds.get('udr-route');
    const properties = udr.fields.filter((f) => f.key !== 'name');
    const input = udr.parseInput({ action: 'add', name: 'r1', ...Object.fromEntries(properties.map((f) => [f.key, f.example])) });
    const subject = { kind: 'routeTable' as const, ...table, provisioningState: 'Succeeded' };
    const patch = udr.patch(subject, input) as { route?: Record<string, string> };
    assert.deepEqual(Object.keys(patch.route ?? {}).sort(), properties.map((f) => f.key).sort());
    const written = { name: 'r1', ...patch.route } as never;
    assert.equal(udr.isApplied({ ...subject, routes: [written] }, input), true);
    for (const f of properties) {
      const other = { ...(written as object), [f.key]: f.key === 'nextHopType' ? 'Internet' : '10.99.0.0/16' } as never;
      assert.equal(udr.isApplied({ ...subject, routes: [other] }, input), false, `${f.key} differs`);
    }
  });

  it('should register exactly the declared kinds, each with fields', () => {
    assert.deepEqual(kinds.names().sort(), KIND_DECLARATIONS.map((k) => k.name).sort());
    for (const kind of registered) assert.ok(kind.fields.length > 0, kind.name);
  });

  for (const kind of KIND_DECLARATIONS) {
    describe(kind.name, () => {
      const reg = (): RegisteredKind => kinds.get(kind.name);

      it('should put every field on its form', () => {
        const sections = on.flatMap((subject) => formSections(reg(), subject, { filters: [filter] }));
        assert.ok(sections.length > 0, 'the kind has a form somewhere');
        const shown = new Set(sections.flatMap((s) => s.fields.map((f) => f.name)));
        for (const field of kind.fields) assert.ok(shown.has(field.key), `${field.key} is on the form`);
        for (const s of sections)
          for (const f of s.fields)
            assert.ok(f.label.startsWith(kind.fields.find((k) => k.key === f.name)?.label ?? '?'), `${f.name}: the form uses the label`);
      });

      it('should take every field its typed syntax names', () => {
        for (const syntax of kind.syntax ?? []) {
          const line = typedLine(syntax, kind.fields);
          const intent = parseCommand(line) as { change?: string; input?: Record<string, unknown> };
          assert.equal(intent.change, kind.name, line);
          const keys =
            syntax.style === 'positional'
              ? (syntax.order ?? [])
              : kind.fields.filter((f) => f.words && f.shape !== 'flag').map((f) => f.key);
          for (const key of keys) assert.notEqual(intent.input?.[key], undefined, `${line}: ${key}`);
          for (const [k, v] of Object.entries(syntax.preset ?? {})) assert.equal(intent.input?.[k], v, `${line}: preset ${k}`);
        }
      });

      it('should show its picking word and every typed field in the command’s usage (help, errors)', () => {
        for (const syntax of kind.syntax ?? []) {
          const usage = findCommand(syntax.command)?.usage ?? '';
          assert.match(usage, new RegExp(`[ |]${syntax.select[0]}\\b`), `${syntax.command}: ${syntax.select[0]}`);
          const shown = syntax.style === 'keywords' ? kind.fields.filter((f) => f.words) : [];
          for (const f of shown) assert.ok(usage.includes(`[${f.words?.[0]}`), `${syntax.command}: ${f.words?.[0]}`);
        }
      });

      it('should refuse a wrong value in the words of the field’s label', () => {
        for (const field of kind.fields) {
          const preset =
            (kind.syntax ?? []).find((s) => s.preset?.action && (field.actions ?? []).includes(s.preset.action))?.preset ??
            kind.syntax?.[0]?.preset ??
            {};
          const action =
            field.actions?.[0] ??
            (kind.name === 'udr-route'
              ? 'add'
              : kind.name === 'authorization'
                ? 'create'
                : kind.name === 'route-filter'
                  ? 'create'
                  : undefined);
          const others = Object.fromEntries(
            kind.fields
              .filter(
                (f) =>
                  f !== field &&
                  f.shape !== 'flag' &&
                  f.shape !== 'secret' &&
                  (action === undefined || !f.actions || f.actions.includes(action)),
              )
              .map((f) => [f.key, f.example]),
          );
          const raw = { ...preset, ...(action ? { action } : {}), ...others, [field.key]: WRONG[field.shape] };
          assert.throws(
            () => reg().parseInput(raw, { customerId: 'contoso', circuitId: full.id, requesterId: 'dana' }),
            (e: unknown) => isCodedError(e) && e.message.includes(field.label),
            `${kind.name}.${field.key} = ${JSON.stringify(WRONG[field.shape])}`,
          );
        }
      });
    });
  }
});
