import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { PROJECT_ROOT, packageApp, parseEnvFile, readToolkitEnv } from '../../scripts/package-app';
import { SAMPLE_ENV } from './sample-env';

/** The packaged manifest: the fields this test reads. */
interface PackagedManifest {
  id: string;
  name: { short: string };
  validDomains: string[];
  bots: [{ botId: string }];
}

interface ZipFile {
  name: string;
  data: Buffer;
}

/** Reads a zip from its central directory, independently of how scripts/zip-store.ts writes it. */
function readZip(zip: Buffer): ZipFile[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'central directory entry signature');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    assert.equal(zip.readUInt32LE(local), 0x04034b50, `${name}: local header signature`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 0 ? raw : inflateRawSync(raw);
    assert.equal(crc32(data), crc, `${name}: CRC`);
    files.push({ name, data });
    p += 46 + nameLength + extra + comment;
  }
  return files;
}

describe('app package: npm run package', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-package-'));
  let zipFile: string;

  before(async () => {
    // A copy of the project's appPackage with env files as provision leaves them.
    cpSync(path.join(PROJECT_ROOT, 'appPackage'), path.join(dir, 'appPackage'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}build`),
    });
    mkdirSync(path.join(dir, 'env'));
    cpSync(path.join(PROJECT_ROOT, 'env', '.env.dev'), path.join(dir, 'env', '.env.dev'));
    cpSync(path.join(PROJECT_ROOT, 'env', '.env.local'), path.join(dir, 'env', '.env.local'));
    const committed = readFileSync(path.join(dir, 'env', '.env.dev'), 'utf8')
      .replace(/^TEAMS_APP_ID=.*$/m, `TEAMS_APP_ID=${SAMPLE_ENV.TEAMS_APP_ID}`)
      .replace(/^BOT_DOMAIN=.*$/m, `BOT_DOMAIN=${SAMPLE_ENV.BOT_DOMAIN}`);
    writeFileSync(path.join(dir, 'env', '.env.dev'), committed);
    writeFileSync(path.join(dir, 'env', '.env.dev.user'), `BOT_ID="${SAMPLE_ENV.BOT_ID}"\nSECRET_BOT_PASSWORD=not-used\n`);
    zipFile = (await packageApp({ env: 'dev', root: dir })).file;
  });

  it('should write appPackage/build/appPackage.<env>.zip', () => {
    assert.equal(zipFile, path.join(dir, 'appPackage', 'build', 'appPackage.dev.zip'));
    assert.ok(existsSync(zipFile));
  });

  it('should hold exactly the manifest and the two icons, with the placeholders filled in', () => {
    const files = readZip(readFileSync(zipFile));
    assert.deepEqual(files.map((f) => f.name).sort(), ['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')!.data.toString('utf8')) as PackagedManifest;
    assert.equal(manifest.id, SAMPLE_ENV.TEAMS_APP_ID);
    assert.equal(manifest.bots[0].botId, SAMPLE_ENV.BOT_ID, 'the .user file is read too');
    assert.equal(manifest.name.short, 'ExpressRoute Ops-dev', 'APP_NAME_SUFFIX comes from env/.env.dev');
    assert.ok(manifest.validDomains.includes(SAMPLE_ENV.BOT_DOMAIN));
    assert.ok(!JSON.stringify(manifest).includes('${{'));
    assert.equal(PNG.sync.read(files.find((f) => f.name === 'outline.png')!.data).width, 32);
  });

  it('should be a zip that unzip accepts', function () {
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    assert.match(execFileSync('unzip', ['-t', zipFile]).toString(), /No errors detected/);
  });

  it('should refuse to package while provision has not filled the ids in, naming them', async () => {
    await assert.rejects(packageApp({ env: 'local', root: dir, outFile: path.join(dir, 'x.zip') }), /TEAMS_APP_ID, BOT_ID, BOT_DOMAIN/);
    assert.ok(!existsSync(path.join(dir, 'x.zip')));
  });

  it('should refuse a value that breaks the schema rather than write a zip Teams rejects', async () => {
    await assert.rejects(
      packageApp({ env: 'dev', root: dir, vars: { TEAMS_APP_ID: 'not-a-guid' }, outFile: path.join(dir, 'bad.zip') }),
      /breaks the Teams schema/,
    );
    assert.ok(!existsSync(path.join(dir, 'bad.zip')));
  });

  it('should read env files like the Toolkit: comments, quotes, .user over committed, process env over both', () => {
    assert.deepEqual(parseEnvFile('# c\nA=1\n\nB="two words"\nC=\nnot a line\n'), { A: '1', B: 'two words', C: '' });
    const vars = readToolkitEnv(dir, 'dev', { BOT_DOMAIN: 'override.example.net', UNSET: undefined });
    assert.equal(vars.BOT_DOMAIN, 'override.example.net');
    assert.equal(vars.BOT_ID, SAMPLE_ENV.BOT_ID);
    assert.equal(vars.TEAMSFX_ENV, 'dev');
  });

  it('should keep secrets out of the committed env files', () => {
    for (const env of ['dev', 'local']) {
      const vars = parseEnvFile(readFileSync(path.join(PROJECT_ROOT, 'env', `.env.${env}`), 'utf8'));
      for (const [k, v] of Object.entries(vars)) {
        assert.ok(!/SECRET|PASSWORD/i.test(k) || v === '', `${env}: ${k} must live in .env.${env}.user`);
      }
      assert.equal(vars.TEAMS_APP_ID, '', `${env}: provision writes TEAMS_APP_ID; commit it empty`);
    }
  });
});
