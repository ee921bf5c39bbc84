import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Harness } from '../support/harness';
import { ask, linesOf } from '../support/cards';

/**
 * The official ARM REST examples, arranged as one customer's fleet, answered by the bot end to end: what Azure
 * really sends must parse, map and render. Example values are placeholders ("IPAddress", empty route rows,
 * a "subid" subscription), which is exactly the kind of input that must not break a card.
 */
const DIR = path.join(__dirname, '..', 'fixtures', 'arm-examples');
const SUB = '00000000-0000-0000-0000-000000000000';
const RG = 'rg1';
const CIRCUIT = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/circuitName`;

/** An ARM resource body, typed only in the fields this test reads or sets; the rest goes to the fleet untouched. */
interface ArmResource {
  id: string;
  name: string;
  properties: Record<string, unknown>;
}

/** An ARM list body. */
interface ArmList<T = unknown> {
  value: T[];
}

/** An example's 200 body; T names the fields the caller touches, unknown when it only goes into the fleet. */
function body<T = unknown>(file: string): T {
  const json = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { responses: { '200': { body: unknown } } };
  // Examples disagree on the subscription id (`subid`, zeros); give them all the one the directory lists.
  const text = JSON.stringify(json.responses['200'].body).replace(/\/subscriptions\/[^/"]+/g, `/subscriptions/${SUB}`);
  return JSON.parse(text) as T;
}

function exampleFleet(): Record<string, unknown> {
  const circuit = body<ArmResource>('ExpressRouteCircuitGet.json');
  const peerings = body<ArmList<{ name: string }>>('ExpressRouteCircuitPeeringList.json').value.map((p) => ({
    ...p,
    id: `${CIRCUIT}/peerings/${p.name}`,
  }));
  circuit.properties.peerings = peerings;
  circuit.properties.serviceProviderProvisioningState = 'Provisioned';
  circuit.properties.authorizations = body<ArmList>('ExpressRouteCircuitAuthorizationList.json').value;
  const fleet: Record<string, unknown> = { [CIRCUIT]: circuit, [`${CIRCUIT}/stats`]: body('ExpressRouteCircuitStats.json') };
  for (const p of peerings) {
    fleet[`${CIRCUIT}/peerings/${p.name}/stats`] = body('ExpressRouteCircuitPeeringStats.json');
    for (const devicePath of ['primary', 'secondary']) {
      fleet[`${CIRCUIT}/peerings/${p.name}/routeTables/${devicePath}`] = body('ExpressRouteCircuitRouteTableList.json');
      fleet[`${CIRCUIT}/peerings/${p.name}/routeTablesSummary/${devicePath}`] = body('ExpressRouteCircuitRouteTableSummaryList.json');
      fleet[`${CIRCUIT}/peerings/${p.name}/arpTables/${devicePath}`] = body('ExpressRouteCircuitARPTableList.json');
    }
  }
  for (const file of ['RouteFilterGet.json', 'RouteTableGet.json']) {
    const resource = body<ArmResource>(file);
    fleet[resource.id] = resource;
  }
  return fleet;
}

const directory = {
  customers: [
    {
      id: 'examples',
      name: 'ARM Examples Ltd',
      tenantId: '44444444-4444-4444-8444-444444444444',
      model: 'connect-through',
      subscriptions: [SUB],
      approval: { required: 1, ttlMinutes: 60 },
    },
  ],
  people: [{ aadObjectId: 'examples-viewer', name: 'Viewer', access: { examples: ['view'] } }],
};
const viewer = { aadObjectId: 'examples-viewer' };

describe('the bot renders the official ARM examples', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ fleet: exampleFleet(), directory });
  });
  after(async () => h?.stop());

  const commands = [
    'circuits',
    'status',
    'circuit circuitName',
    'peerings circuitName',
    'bgp circuitName',
    'arp circuitName',
    'routes circuitName',
    'routes circuitName microsoft secondary',
    'bandwidth circuitName',
    'filters',
    'udr',
  ];
  for (const command of commands) {
    it(`should answer "${command}" with a valid card about the example circuit`, async () => {
      const card = await ask(h, viewer, command);
      const text = linesOf(card).join('\n');
      assert.doesNotMatch(text, /something went wrong|internal error/i);
      assert.match(text, /ARM Examples Ltd/);
    });
  }

  it('should show the example route filter and route table by name', async () => {
    assert.match(linesOf(await ask(h, viewer, 'filters')).join('\n'), new RegExp(body<ArmResource>('RouteFilterGet.json').name));
    assert.match(linesOf(await ask(h, viewer, 'udr')).join('\n'), new RegExp(body<ArmResource>('RouteTableGet.json').name));
  });
});
