#!/usr/bin/env node
/* global process, console */
// `npm run package -w @sdap/navmap-server`: the zip the runbook deploys to Azure App Service
// (`az webapp deploy --src-path out/navmap-server-appservice.zip --type zip`, docs/operations/deployment-runbook.md).
//
// The zip is a small app: a package.json whose `npm start` (what App Service runs for a Node app) starts
// `navmap-server start` on App Service's PORT, and node_modules with @sdap/navmap-server and its production
// dependencies only, installed by npm from the packed packages exactly as `npm install @sdap/navmap-server` installs
// them from the registry. Settings come from App Service's application settings (NAVMAP_* variables).
//
// Usage: node scripts/packageAppService.mjs [--out <zip>] [--registry <url> --userconfig <npmrc>] [--installed <dir>]
//   default: packs @sdap/navmap-server and @sdap/navmap-sdk from this workspace (build them first; `npm run package`
//   does); with --registry: installs the published @sdap/navmap-server of this version from that registry; with
//   --installed: takes the node_modules of a folder where npm already installed it from the registry (the release
//   check's server folder: the same tree, without installing it twice).
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDir, '..', '..');
const server = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** The Node major App Service runs the app on (Node 20 is past its end of life); the runbook names the same stack. */
export const APP_SERVICE_NODE = '22';

/**
 * The deployed app's manifest. App Service sets PORT (8080 on Linux); navmap-server reads NAVMAP_PORT, which wins when
 * set. node_modules/.bin is not in the zip (links do not survive a zip), so the start command names the CLI's file.
 */
export function appServiceManifest(version) {
  return {
    name: 'navmap-server-appservice',
    version,
    private: true,
    description: 'NavMap server for Azure App Service: npm start runs navmap-server start on PORT with the NAVMAP_* application settings',
    engines: { node: `>=${APP_SERVICE_NODE}` },
    scripts: { start: 'NAVMAP_PORT="${NAVMAP_PORT:-${PORT:-8080}}" node node_modules/@sdap/navmap-server/dist/cli.js start' },
    dependencies: { [server.name]: version },
  };
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function npm(args, cwd) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  if (result.status !== 0) fail(`\`npm ${args.join(' ')}\` failed in ${cwd}:\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  return result.stdout;
}

/** Every file under `dir` as fflate's { path: bytes } tree; links (node_modules/.bin) are left out. */
function filesOf(dir) {
  const files = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && !lstatSync(path).isSymbolicLink()) files[relative(dir, path).split('\\').join('/')] = readFileSync(path);
  }
  return files;
}

function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' }, registry: { type: 'string' }, userconfig: { type: 'string' }, installed: { type: 'string' } } });
  const out = resolve(values.out ?? join(packageDir, 'out', 'navmap-server-appservice.zip'));
  const work = mkdtempSync(join(tmpdir(), 'navmap-appservice-'));
  try {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(appServiceManifest(server.version), null, 2)}\n`);
    const install = ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock'];
    if (values.installed) {
      // Nothing to install: the folder's node_modules is the app's (added below).
    } else if (values.registry) {
      npm([...install, '--registry', values.registry, ...(values.userconfig ? ['--userconfig', values.userconfig] : [])], app);
    } else {
      for (const built of ['navmap-server', 'navmap-sdk']) {
        try {
          statSync(join(root, 'packages', built, 'dist'));
        } catch {
          fail(`packages/${built}/dist is missing: build first (npm run package -w @sdap/navmap-server builds it).`);
        }
      }
      const tarballs = join(work, 'tarballs');
      mkdirSync(tarballs);
      const packed = JSON.parse(npm(['pack', '-w', server.name, '-w', '@sdap/navmap-sdk', '--pack-destination', tarballs, '--json', '--ignore-scripts'], root));
      // The SDK's tarball satisfies the server's ^ range, so npm takes it instead of the registry's.
      npm([...install, ...packed.map((entry) => join(tarballs, entry.filename))], app);
      // npm wrote file: ranges for the tarballs; the deployed manifest names the version, as from the registry.
      writeFileSync(join(app, 'package.json'), `${JSON.stringify(appServiceManifest(server.version), null, 2)}\n`);
    }
    const files = filesOf(app);
    if (values.installed) {
      const installed = JSON.parse(readFileSync(join(values.installed, 'node_modules', ...server.name.split('/'), 'package.json'), 'utf8'));
      if (installed.version !== server.version) fail(`${values.installed} has ${server.name}@${installed.version}, not ${server.version}.`);
      for (const [path, bytes] of Object.entries(filesOf(join(values.installed, 'node_modules')))) files[`node_modules/${path}`] = bytes;
    }
    const unpacked = Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0);
    mkdirSync(dirname(out), { recursive: true });
    // Deflate's default level: level 9 took twice as long (104 s against 48 s here) for a zip 0.2 % smaller.
    const zip = zipSync(files, { level: 6 });
    writeFileSync(out, zip);
    console.log(
      `package: ${relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out)}: ${(zip.length / 1024 / 1024).toFixed(1)} MB zipped, ` +
        `${(unpacked / 1024 / 1024).toFixed(1)} MB in ${Object.keys(files).length} files unpacked; ${server.name}@${server.version}, ` +
        `production dependencies only; start: npm start (Node ${APP_SERVICE_NODE}, PORT)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
