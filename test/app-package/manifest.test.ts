import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { CATALOG } from '../../src/intents/catalog';
import { MANIFEST_FILE, MAX_MENU_COMMANDS, buildManifest, manifestText, menuCommands } from '../../scripts/generate-manifest';
import { fillPlaceholders } from '../../scripts/package-app';
import { SAMPLE_ENV } from './sample-env';

const template = readFileSync(MANIFEST_FILE, 'utf8');
interface FilledManifest {
  id: string;
  name: { short: string };
  developer?: unknown;
  bots: [{ botId: string; commandLists: [{ commands: { title: string }[] }] }];
  [key: string]: unknown;
}
/** The committed template, placeholders and all: the fields these tests read. */
interface TemplateManifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  validDomains: string[];
  bots: [{ botId: string; scopes: string[]; commandLists: { commands: { title: string; description: string }[] }[] }];
}
const filled = () => JSON.parse(fillPlaceholders(template, SAMPLE_ENV)) as FilledManifest;
const validate = (manifest: unknown) => AppManifestUtils.validateAgainstSchema(manifest as never);

describe('app package: manifest', () => {
  it('should be what scripts/generate-manifest.ts makes from the catalog (run it after changing the catalog)', () => {
    assert.equal(template, manifestText(buildManifest()));
  });

  it('should offer only catalog commands, with the catalog summary as description, at most 10', () => {
    const commands = (JSON.parse(template) as TemplateManifest).bots[0].commandLists.flatMap((l) => l.commands);
    assert.ok(commands.length > 0 && commands.length <= MAX_MENU_COMMANDS);
    for (const c of commands) {
      const spec = CATALOG.find((s) => s.name === c.title);
      assert.ok(spec, `menu command "${c.title}" is not in the catalog`);
      assert.equal(c.description, spec.summary);
      assert.ok(c.title.length <= 32 && c.description.length <= 128, c.title);
    }
    assert.deepEqual(new Set(commands.map((c) => c.title)).size, commands.length, 'no duplicates');
  });

  it('should change the menu when the catalog changes, so a stale manifest fails the first test', () => {
    const renamed = CATALOG.map((c) => (c.name === 'status' ? { ...c, summary: 'Changed summary.' } : c));
    assert.notEqual(manifestText(buildManifest(renamed)), manifestText(buildManifest()));
    assert.equal(menuCommands(renamed).find((c) => c.title === 'status')?.description, 'Changed summary.');
  });

  it('should pick the preferred commands first, fill with catalog order, and stop at 10', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ ...CATALOG[0]!, name: `cmd${i}`, summary: `s${i}` }));
    const picked = menuCommands([...many, ...CATALOG]).map((c) => c.title);
    assert.equal(picked.length, MAX_MENU_COMMANDS);
    assert.equal(picked[0], 'status');
    assert.ok(picked.includes('help'), 'every preferred command in the real catalog comes before filler');
    assert.ok(!picked.includes('cmd9'));
  });

  it('should use Toolkit placeholders for ids and domain, and a schema of 1.19 or later', () => {
    const raw = JSON.parse(template) as TemplateManifest;
    assert.equal(raw.id, '${{TEAMS_APP_ID}}');
    assert.equal(raw.bots[0].botId, '${{BOT_ID}}');
    assert.ok(raw.validDomains.includes('${{BOT_DOMAIN}}'));
    assert.deepEqual(raw.bots[0].scopes, ['personal', 'team', 'groupChat']);
    const [major, minor] = String(raw.manifestVersion).split('.').map(Number);
    assert.ok(major === 1 && minor! >= 19, raw.manifestVersion);
    assert.ok(String(raw.$schema).endsWith(`/v${raw.manifestVersion}/MicrosoftTeams.schema.json`));
  });

  it('should pass the official schema offline once the placeholders are filled', async () => {
    const manifest = filled();
    assert.equal(manifest.bots[0].botId, SAMPLE_ENV.BOT_ID);
    assert.equal(manifest.name.short, 'ExpressRoute Ops-dev');
    assert.deepEqual(await validate(manifest), []);
  });

  it('should make the validator report a broken manifest (so the check above can fail)', async () => {
    const bad = filled();
    bad.id = 'not-a-guid';
    bad.bots[0].commandLists[0].commands.push({ title: 'x'.repeat(200) });
    delete bad.developer;
    const problems = await validate(bad);
    assert.ok(
      problems.some((p) => p.startsWith('/id ')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('/commands/')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('developer')),
      problems.join('\n'),
    );
  });

  it('should refuse to fill a template when a placeholder has no value, naming each one', () => {
    assert.throws(
      () => fillPlaceholders(template, { ...SAMPLE_ENV, BOT_ID: '', TEAMS_APP_ID: undefined }),
      (e: Error & { hint?: string }) => /TEAMS_APP_ID, BOT_ID/.test(e.message) && /provision/.test(e.hint ?? ''),
    );
  });
});
