import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { CodedError, ErrorCode, asCodedError } from '../src/errors';
import { zipStore } from './zip-store';

/**
 * `npm run package [-- --env dev]`: fills the manifest template's `${{NAME}}` placeholders from
 * env/.env.<env>, then env/.env.<env>.user, then the process environment (later wins, as in the Agents
 * Toolkit), checks the result against the official schema offline, and writes
 * appPackage/build/appPackage.<env>.zip: the file a Teams admin uploads.
 */

export const PROJECT_ROOT = path.resolve(__dirname, '..');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ICONS = ['color.png', 'outline.png'] as const;

/** KEY=value lines; `#` comments and blank lines are skipped, and surrounding quotes are removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const value = line.slice(eq + 1).trim();
    vars[line.slice(0, eq).trim()] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return vars;
}

/** The variables of a Toolkit environment; the process environment (CI) overrides the files. */
export function readToolkitEnv(root: string, env: string, processEnv: Record<string, string | undefined> = {}): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const file of [`.env.${env}`, `.env.${env}.user`]) {
    const full = path.join(root, 'env', file);
    if (existsSync(full)) Object.assign(vars, parseEnvFile(readFileSync(full, 'utf8')));
  }
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined && v !== '') vars[k] = v;
  return vars;
}

/** Replaces every `${{NAME}}`; fails listing every name that has no value (empty counts as missing). */
export function fillPlaceholders(template: string, vars: Record<string, string | undefined>, env = 'the environment'): string {
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return '';
    }
    // Values land inside JSON strings; escaping keeps a stray quote from breaking the manifest.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new CodedError(ErrorCode.Config, `The app package needs values for: ${[...missing].join(', ')}.`, {
      hint:
        `Run "provision" for ${env} with the Microsoft 365 Agents Toolkit (it writes them into env/.env.${env}), ` +
        `or set them in env/.env.${env} or env/.env.${env}.user.`,
    });
  }
  return filled;
}

export interface PackageAppOptions {
  env: string;
  root?: string;
  /** Overrides for placeholders, e.g. from the process environment. */
  vars?: Record<string, string | undefined>;
  /** Where the zip goes; defaults to appPackage/build/appPackage.<env>.zip under root. */
  outFile?: string;
}

export interface PackagedApp {
  file: string;
  manifest: Record<string, unknown>;
}

export async function packageApp(options: PackageAppOptions): Promise<PackagedApp> {
  const root = options.root ?? PROJECT_ROOT;
  const appDir = path.join(root, 'appPackage');
  const vars = readToolkitEnv(root, options.env, options.vars);
  const text = fillPlaceholders(readFileSync(path.join(appDir, 'manifest.json'), 'utf8'), vars, options.env);
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as never);
  if (problems.length > 0) {
    throw new CodedError(ErrorCode.Config, `The filled-in manifest breaks the Teams schema:\n- ${problems.join('\n- ')}`, {
      hint: `Check the values in env/.env.${options.env} (ids must be GUIDs, BOT_DOMAIN a host name without https://).`,
    });
  }
  const zip = zipStore([
    { name: 'manifest.json', data: Buffer.from(text, 'utf8') },
    ...ICONS.map((name) => ({ name, data: readFileSync(path.join(appDir, name)) })),
  ]);
  const file = options.outFile ?? path.join(appDir, 'build', `appPackage.${options.env}.zip`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, zip);
  return { file, manifest };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string', short: 'e', default: 'dev' } } });
  const env = values.env ?? 'dev';
  try {
    const { file } = await packageApp({ env, vars: process.env });
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}: upload it in Teams (Apps → Manage your apps → Upload an app)\n`);
  } catch (e) {
    const err = asCodedError(e);
    // A script's user is the developer: show what broke rather than the chat-facing "something went wrong".
    const message = err.code === ErrorCode.Internal && e instanceof Error ? e.message : err.message;
    process.stderr.write(`${message}\n${err.hint ?? ''}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();
