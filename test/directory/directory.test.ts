import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError, ErrorCode } from '../../src/errors';
import { loadDirectoryFile, parseDirectory } from '../../src/directory/directory';

const T1 = '11111111-1111-4111-8111-111111111111';
const S1 = '1a1a1a1a-0000-4000-8000-00000000c001';
const S2 = '2b2b2b2b-0000-4000-8000-00000000f001';

function goodFile() {
  return {
    customers: [
      {
        id: 'contoso',
        name: 'Contoso Ltd',
        tenantId: T1,
        model: 'connect-through',
        subscriptions: [S1],
        approval: { required: 1, ttlMinutes: 1440 },
      },
      {
        id: 'fabrikam',
        name: 'Fabrikam Inc',
        tenantId: '22222222-2222-4222-8222-222222222222',
        model: 'connect-to',
        subscriptions: [S2],
        approval: { required: 2, ttlMinutes: 60 },
      },
    ],
    people: [
      { aadObjectId: '00000000-0000-0000-0000-0000000000aa', name: 'Dana', access: { contoso: ['view', 'request'], '*': ['view'] } },
      { aadObjectId: 'user-in-playground', name: 'Playground', access: {} },
    ],
  };
}

function problemsOf(json: unknown): string[] {
  try {
    parseDirectory(json, 'directory file dir.json');
  } catch (e) {
    assert.ok(e instanceof CodedError);
    assert.equal(e.code, ErrorCode.Config);
    assert.match(e.message, /^The directory file dir\.json is not valid:/);
    return e.details?.problems as string[];
  }
  assert.fail('the directory was accepted');
}

describe('parseDirectory', () => {
  it('accepts a good file, including non-GUID person ids', () => {
    const d = parseDirectory(goodFile(), 'test');
    assert.equal(d.customers.length, 2);
    assert.equal(d.people[1]?.aadObjectId, 'user-in-playground');
  });

  it('keeps fields it does not know, so that newer files still load', () => {
    const file = goodFile() as Record<string, unknown> & ReturnType<typeof goodFile>;
    file.version = 2;
    Object.assign(file.customers[0]!, { approvalsChannel: '19:abc@thread.tacv2', maintenanceContact: 'noc@example.com' });
    Object.assign(file.customers[0]!.approval, { approvers: ['x'] });
    Object.assign(file.people[0]!, { email: 'dana@example.com' });
    const d = parseDirectory(file, 'test');
    assert.equal((d as Record<string, unknown>).version, 2);
    assert.equal(d.customers[0]?.approvalsChannel, '19:abc@thread.tacv2');
    assert.deepEqual(d.customers[0]?.approval.approvers, ['x']);
    assert.equal(d.people[0]?.email, 'dana@example.com');
  });

  it('names the JSON path of a field problem', () => {
    const file = goodFile();
    file.customers[0]!.tenantId = 'not-a-guid';
    file.customers[1]!.subscriptions = [];
    (file.customers[1]!.approval as { required: number }).required = 0;
    (file.customers[0] as { model: string }).model = 'connect-sideways';
    const problems = problemsOf(file);
    assert.ok(
      problems.some((p) => /^\$\.customers\[0\]\.tenantId: must be a GUID/.test(p)),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => /^\$\.customers\[1\]\.subscriptions: must list at least one subscription/.test(p)));
    assert.ok(problems.some((p) => /^\$\.customers\[1\]\.approval\.required: /.test(p)));
    assert.ok(problems.some((p) => /^\$\.customers\[0\]\.model: .*connect-through/.test(p)));
  });

  it('refuses a bad customer id', () => {
    const file = goodFile();
    file.customers[0]!.id = 'Contoso Ltd';
    assert.match(problemsOf(file).join('\n'), /\$\.customers\[0\]\.id: must be 1–63 lower-case letters/);
  });

  it('refuses duplicate customer ids', () => {
    const file = goodFile();
    file.customers[1]!.id = 'contoso';
    file.customers[1]!.subscriptions = ['3c3c3c3c-0000-4000-8000-00000000a001'];
    assert.deepEqual(problemsOf(file), ["$.customers[1].id: duplicate customer id 'contoso' (also customers[0])"]);
  });

  it('refuses a subscription listed under two customers', () => {
    const file = goodFile();
    file.customers[1]!.subscriptions = [S2, S1.toUpperCase()];
    assert.match(
      problemsOf(file).join('\n'),
      /\$\.customers\[1\]\.subscriptions\[1\]: subscription .* is also listed under customers\[0\]/,
    );
  });

  it('refuses duplicate people, ignoring case', () => {
    const file = goodFile();
    file.people[1]!.aadObjectId = '00000000-0000-0000-0000-0000000000AA';
    assert.deepEqual(problemsOf(file), [
      "$.people[1].aadObjectId: duplicate person '00000000-0000-0000-0000-0000000000AA' (also people[0])",
    ]);
  });

  it('refuses access to an unknown customer', () => {
    const file = goodFile();
    (file.people[0]!.access as Record<string, string[]>).northwind = ['view'];
    assert.deepEqual(problemsOf(file), [
      "$.people[0].access.northwind: names unknown customer 'northwind' (known: contoso, fabrikam, or '*' for all)",
    ]);
  });

  it('refuses an unknown right', () => {
    const file = goodFile();
    (file.people[0]!.access as Record<string, string[]>)['*'] = ['view', 'root'];
    assert.deepEqual(problemsOf(file), [
      '$.people[0].access["*"][1]: unknown right "root" (rights are view, request, approve, oncall, admin)',
    ]);
  });

  it('refuses a person without an id or name', () => {
    const file = goodFile();
    file.people[0]!.aadObjectId = '  ';
    file.people[1]!.name = '';
    const problems = problemsOf(file).join('\n');
    assert.match(problems, /\$\.people\[0\]\.aadObjectId/);
    assert.match(problems, /\$\.people\[1\]\.name/);
  });

  it('refuses something that is not a directory at all', () => {
    assert.match(problemsOf([]).join('\n'), /^\$: /);
    assert.match(problemsOf({ customers: [] }).join('\n'), /\$\.people: /);
  });
});

describe('parseDirectory: connection models, sides and security posture (issue 11)', () => {
  it('accepts a side per person and a security posture per customer, both optional', () => {
    const file = goodFile();
    Object.assign(file.customers[1]!, { security: { separatePublicAndPrivate: true, forcedTunnelling: false, requireEncryption: true } });
    Object.assign(file.people[0]!, { side: 'csp' });
    file.people.push({ aadObjectId: 'erin', name: 'Erin', access: { fabrikam: ['view', 'approve'] }, side: 'customer' } as never);
    const d = parseDirectory(file, 'test');
    assert.deepEqual(d.customers[1]?.security, { separatePublicAndPrivate: true, forcedTunnelling: false, requireEncryption: true });
    assert.equal(d.customers[0]?.security, undefined);
    assert.deepEqual(
      d.people.map((p) => p.side),
      ['csp', undefined, 'customer'],
    );
  });

  it('names the customer and the allowed models for a bad model', () => {
    const file = goodFile();
    (file.customers[1] as { model: string }).model = 'Connect-To';
    assert.deepEqual(problemsOf(file), [
      '$.customers[1].model: unknown model "Connect-To": use connect-through or connect-to (customer "fabrikam")',
    ]);
  });

  it('refuses a side that is neither csp nor customer', () => {
    const file = goodFile();
    Object.assign(file.people[0]!, { side: 'vendor' });
    assert.deepEqual(problemsOf(file), ['$.people[0].side: unknown side "vendor": use "csp" or "customer" (default "csp")']);
  });

  it('refuses a customer-side person whose rights use * instead of naming their customer', () => {
    const file = goodFile();
    Object.assign(file.people[0]!, { side: 'customer' });
    assert.deepEqual(problemsOf(file), [
      "$.people[0].access[\"*\"]: Dana is on a customer's side, so their rights must name that customer, not '*'",
    ]);
  });

  it('refuses a customer-side person whose rights name two customers, or none: one customer’s side approves for that customer only', () => {
    const file = goodFile();
    file.people.push({
      aadObjectId: 'erin',
      name: 'Erin',
      access: { contoso: ['view', 'approve'], fabrikam: ['view', 'approve'] },
      side: 'customer',
    } as never);
    file.people.push({ aadObjectId: 'fay', name: 'Fay', access: {}, side: 'customer' } as never);
    assert.deepEqual(problemsOf(file), [
      "$.people[2].access: Erin is on a customer's side, so their rights must name exactly one customer, their own, not 'contoso' and 'fabrikam'",
      "$.people[3].access: Fay is on a customer's side, so their rights must name exactly one customer, their own, not none",
    ]);
  });

  it('refuses a security flag that is not a boolean, and one it does not know, naming the customer', () => {
    const file = goodFile();
    Object.assign(file.customers[0]!, { security: { separatePublicAndPrivate: 'yes', seperatePublicAndPrivate: true } });
    assert.deepEqual(problemsOf(file).sort(), [
      '$.customers[0].security.separatePublicAndPrivate: must be true or false, not "yes" (customer "contoso")',
      '$.customers[0].security: unknown security flag "seperatePublicAndPrivate" (known: separatePublicAndPrivate, forcedTunnelling, requireEncryption) (customer "contoso")',
    ]);
  });
});

describe('parseDirectory: change windows and freezes (issue 13)', () => {
  const weekend = { days: ['Sat', 'Sun'], start: '22:00', end: '04:00', timeZone: 'Europe/Amsterdam' };
  const yearEnd = { from: '2025-12-20T18:00+01:00', to: '2026-01-05T08:00:00Z', reason: 'year-end freeze' };

  it('accepts windows (across midnight, in any IANA zone) and freezes, both optional', () => {
    const file = goodFile();
    Object.assign(file.customers[0]!, {
      changeWindows: [weekend, { days: ['Wed'], start: '00:00', end: '24:00', timeZone: 'Asia/Kolkata' }],
      freezes: [yearEnd],
    });
    const d = parseDirectory(file, 'test');
    assert.deepEqual(d.customers[0]?.changeWindows?.[0], weekend);
    assert.deepEqual(d.customers[0]?.freezes, [yearEnd]);
    assert.equal(d.customers[1]?.changeWindows, undefined);
  });

  it('names the customer and the field of a time zone that is not IANA, suggesting the one meant', () => {
    const file = goodFile();
    Object.assign(file.customers[0]!, { changeWindows: [weekend, { ...weekend, timeZone: 'Europe/Amsterdm' }] });
    Object.assign(file.customers[1]!, { changeWindows: [{ ...weekend, timeZone: '+01:00' }] });
    assert.deepEqual(problemsOf(file), [
      `$.customers[0].changeWindows[1].timeZone: 'Europe/Amsterdm' is not an IANA time zone; did you mean Europe/Amsterdam? (customer "contoso")`,
      `$.customers[1].changeWindows[0].timeZone: '+01:00' is not an IANA time zone, such as Europe/Amsterdam, Asia/Kolkata or UTC (customer "fabrikam")`,
    ]);
  });

  it('refuses unknown days, no days, times that are not HH:MM, and an empty window', () => {
    const file = goodFile();
    Object.assign(file.customers[0]!, {
      changeWindows: [
        { ...weekend, days: ['Sat', 'saturday'] },
        { ...weekend, days: [] },
        { ...weekend, start: '22h', end: '24:30' },
        { ...weekend, start: '24:00' },
        { ...weekend, start: '03:00', end: '03:00' },
        { days: ['Sat'], start: '22:00', end: '04:00' },
      ],
    });
    assert.deepEqual(problemsOf(file), [
      '$.customers[0].changeWindows[0].days[1]: unknown day "saturday": use Mon, Tue, Wed, Thu, Fri, Sat, Sun (customer "contoso")',
      '$.customers[0].changeWindows[1].days: must name at least one day (Mon … Sun) (customer "contoso")',
      '$.customers[0].changeWindows[2].start: "22h" is not a time: use HH:MM, 00:00 to 23:59 (customer "contoso")',
      '$.customers[0].changeWindows[2].end: "24:30" is not a time: use HH:MM, 00:00 to 24:00 (customer "contoso")',
      '$.customers[0].changeWindows[3].start: "24:00" is not a time: use HH:MM, 00:00 to 23:59 (customer "contoso")',
      '$.customers[0].changeWindows[4].end: the window 03:00–03:00 is empty: give a different end, or 00:00–24:00 for a whole day (customer "contoso")',
      '$.customers[0].changeWindows[5].timeZone: is missing: give an IANA time zone, such as Europe/Amsterdam (customer "contoso")',
    ]);
  });

  it('refuses freeze times without an offset, a freeze that ends before it starts, and one without a reason', () => {
    const file = goodFile();
    Object.assign(file.customers[1]!, {
      freezes: [
        { ...yearEnd, from: '2025-12-20T18:00:00' },
        { ...yearEnd, to: '2025-12-20T17:00:00Z' },
        { ...yearEnd, reason: ' ' },
      ],
    });
    assert.deepEqual(problemsOf(file), [
      '$.customers[1].freezes[0].from: "2025-12-20T18:00:00" is not an ISO time with its offset, such as 2025-12-20T18:00+01:00 or 2025-12-20T17:00:00Z (customer "fabrikam")',
      '$.customers[1].freezes[1].to: 2025-12-20T17:00:00Z must be after from (2025-12-20T18:00+01:00) (customer "fabrikam")',
      '$.customers[1].freezes[2].reason: must say why (it is shown when a change is refused) (customer "fabrikam")',
    ]);
  });
});

describe('loadDirectoryFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'directory-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a good file, even with a byte-order mark', () => {
    const path = join(dir, 'good.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(goodFile())}`);
    assert.equal(loadDirectoryFile(path).customers[0]?.id, 'contoso');
  });

  it('names the file when it is missing', () => {
    const path = join(dir, 'missing.json');
    assert.throws(
      () => loadDirectoryFile(path),
      (e: unknown) =>
        e instanceof CodedError && e.code === ErrorCode.Config && e.message.includes(path) && /does not exist/.test(e.message),
    );
  });

  it('names the file when it is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "customers": [ ');
    assert.throws(
      () => loadDirectoryFile(path),
      (e: unknown) =>
        e instanceof CodedError && e.code === ErrorCode.Config && e.message.includes(path) && /not valid JSON/.test(e.message),
    );
  });

  it('names the file and the path of a problem', () => {
    const path = join(dir, 'bad.json');
    const file = goodFile();
    file.customers[0]!.tenantId = 'x';
    writeFileSync(path, JSON.stringify(file));
    assert.throws(
      () => loadDirectoryFile(path),
      (e: unknown) =>
        e instanceof CodedError &&
        e.message.includes(`directory file ${path} is not valid`) &&
        e.message.includes('$.customers[0].tenantId'),
    );
  });
});
