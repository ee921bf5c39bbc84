import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG, type CommandSpec } from '../src/intents/catalog';

/**
 * Writes appPackage/manifest.json, the Teams app manifest template. Its `${{…}}` placeholders are filled from
 * env/.env.<environment> by the Agents Toolkit or by `npm run package`. The bot's command menu is generated from
 * the intent catalog that `help` uses, and test/app-package/manifest.test.ts fails when the two drift apart:
 * run `npx tsx scripts/generate-manifest.ts` after changing the catalog.
 */

export const MANIFEST_SCHEMA_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_SCHEMA_VERSION}/MicrosoftTeams.schema.json`;

/** Teams shows at most 10 commands in a bot's menu (older clients reject more), so the menu is a pick. */
export const MAX_MENU_COMMANDS = 10;

/**
 * The menu's order of preference. The on-call and daily questions come first, then change requests; commands
 * not named here follow in catalog order, and names the catalog doesn't have (yet) are skipped. A command can
 * only be in the menu if it is in the catalog, so the menu never offers something the bot doesn't understand.
 */
export const MENU_PREFERENCE: readonly string[] = [
  'status',
  'circuits',
  'circuit',
  'bandwidth',
  'routes',
  'bgp',
  'upgrade',
  'requests',
  'approve',
  'help',
  'customers',
  'arp',
  'peerings',
  'filters',
  'udr',
];

export interface ManifestCommand {
  title: string;
  description: string;
}

/** The commands for the bot's menu: at most 10, in MENU_PREFERENCE order, then catalog order. */
export function menuCommands(catalog: readonly CommandSpec[] = CATALOG): ManifestCommand[] {
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const preferred = MENU_PREFERENCE.flatMap((name) => byName.get(name) ?? []);
  const rest = catalog.filter((c) => !MENU_PREFERENCE.includes(c.name));
  return [...preferred, ...rest].slice(0, MAX_MENU_COMMANDS).map((c) => ({ title: c.name, description: c.summary }));
}

/** The manifest template; `appVersion` defaults to package.json's version (Teams needs a bump on update). */
export function buildManifest(catalog: readonly CommandSpec[] = CATALOG, appVersion = packageVersion()): object {
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_SCHEMA_VERSION,
    version: appVersion,
    id: '${{TEAMS_APP_ID}}',
    developer: {
      name: 'CSP Network Team',
      websiteUrl: 'https://www.example.com/expressroute-ops',
      privacyUrl: 'https://www.example.com/expressroute-ops/privacy',
      termsOfUseUrl: 'https://www.example.com/expressroute-ops/terms',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    name: { short: 'ExpressRoute Ops${{APP_NAME_SUFFIX}}', full: 'ExpressRoute Ops Bot for CSP network engineers' },
    description: {
      short: "Health, routes and approved changes for your customers' ExpressRoute circuits.",
      full:
        "Look after many customers' Azure ExpressRoute circuits from Teams: health worst-first for on-call, " +
        'circuits, bandwidth and headroom, BGP route tables, ARP, peerings, route filters and UDRs, across ' +
        "each customer's own tenant. Changes such as bandwidth upgrades are requested in chat and run only after " +
        'an approver clicks Approve on the request card.',
    },
    accentColor: '#0F6CBD',
    bots: [
      {
        botId: '${{BOT_ID}}',
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands: menuCommands(catalog) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: ['${{BOT_DOMAIN}}', '*.botframework.com'],
  };
}

export function manifestText(manifest: object = buildManifest()): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const MANIFEST_FILE = path.resolve(__dirname, '..', 'appPackage', 'manifest.json');

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

if (require.main === module) {
  writeFileSync(MANIFEST_FILE, manifestText());
  process.stdout.write(`wrote ${MANIFEST_FILE} (${menuCommands().length} menu commands)\n`);
}
