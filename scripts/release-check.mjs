#!/usr/bin/env node
// `npm run release:check`: proves that a release works before anything goes to the public registry.
//
//   1. builds @sdap/navmap-sdk and @sdap/navmap-server and packs them exactly as `npm publish` would;
//   2. checks each tarball: its manifest (no `*` or workspace ranges between our packages), publint (strict) and
//      are-the-types-wrong;
//   3. starts a throwaway verdaccio on 127.0.0.1 (free port, temp storage) and publishes the tarballs to it with a
//      throwaway user; the temp folders take `@sdap/*` from it and everything else from https://registry.npmjs.org/
//      (a scoped registry in their .npmrc), so npm's cache answers for what `npm ci` already fetched;
//   4. copies examples/consumer-control (a second PCF control, NavMapBindPreview) into a clean folder, installs it from
//      that registry and builds it with pcf-scripts in production mode;
//   5. installs @sdap/navmap-server from that registry into another clean folder and runs it (import, require, CLI);
//   6. installs the validation runner @sdap/navmap-validate from that registry into a clean folder and runs it: --list
//      with a complete settings file (docs/operations/pipelines/navmap-validation.example.env) and with an empty one;
//   7. the review CLI @sdap/navmap-review the same way, through packages/navmap-review/scripts/check-installed.mjs;
//   8. makes the App Service zip from the server installed from that registry in step 5
//      (packages/navmap-server/scripts/packageAppService.mjs --installed) and runs its test: unzipped into an empty folder, `npm start` with PORT and app settings against the local
//      environment, /healthz and an authorized map; without settings, check-config's lines and exit 1;
//   and prints each artifact's install size (what `npm install` put on disk, without a browser).
//
// Usage: npm run release:check [-- --keep]     (--keep leaves the temp folder for inspection. Without it, a folder is
// removed as soon as its checks pass, beside the steps still running; on failure the rest and the logs are kept.)
// Exits non-zero with a message saying what failed and what to do. Never touches ~/.npmrc: npm gets a temp .npmrc.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SDK = '@sdap/navmap-sdk';
const SERVER = '@sdap/navmap-server';
const RUNNER = '@sdap/navmap-validate';
const REVIEW = '@sdap/navmap-review';
const RUNNER_SETTINGS = join(ROOT, 'docs', 'operations', 'pipelines', 'navmap-validation.example.env');
// Runs an installed navmap-review against the fake Log Analytics API.
const REVIEW_CHECK = join(ROOT, 'packages', 'navmap-review', 'scripts', 'check-installed.mjs');
const PACKAGES = [SDK, SERVER, RUNNER, REVIEW];
/** are-the-types-wrong profile per package: the runner is ESM only (no CommonJS entry to resolve). */
const ATTW_PROFILE = { [RUNNER]: 'esm-only' };
const CONSUMER_SOURCE = join(ROOT, 'examples', 'consumer-control');
const CONSUMER_CONTROL = 'NavMapBindPreview';
const UPSTREAM = 'https://registry.npmjs.org/';
const KEEP = process.argv.includes('--keep');
const rootRequire = createRequire(join(ROOT, 'package.json'));

const started = Date.now();
const timings = [];
/** Child processes still running (npm, turbo, verdaccio), each the leader of its own process group. */
const children = new Set();
let workDir;
let verdaccio;
let stopped = false;
/** Removals of folders whose checks passed, running beside the remaining steps (removing ~100k files takes 25-80 s). */
const removals = [];

/** Removes a temp folder whose checks all passed, without waiting for it (unless --keep). */
function discard(dir) {
  if (!KEEP) removals.push(rm(dir, { recursive: true, force: true }).catch((error) => log(`could not remove ${dir}: ${error.message}`)));
}

class CheckFailure extends Error {
  /** @param {string} what what failed  @param {string} todo what to do about it  @param {string} [details] */
  constructor(what, todo, details = '') {
    super(what);
    this.todo = todo;
    this.details = details;
  }
}

const log = (message) => console.log(`[release:check] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Runs one named step and records its duration for the summary. */
async function step(name, action) {
  const t0 = Date.now();
  log(`${name} ...`);
  const result = await action();
  const ms = Date.now() - t0;
  timings.push([name, ms]);
  log(`${name}: ok (${seconds(ms)})`);
  return result;
}

/**
 * Environment for npm in the temp folders: the caller's npm_* variables (set by `npm run`) are dropped so that only
 * the flags we pass (registry, userconfig) count. The npm cache is kept (npm_config_cache), which makes reruns faster.
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_(config|package|lifecycle)_/i.test(key) || /^npm_config_cache$/i.test(key)) env[key] = value;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', PP_TOOLS_TELEMETRY_OPTOUT: 'true', NO_UPDATE_NOTIFIER: '1', ...extra };
}

/**
 * Runs a command; resolves with its combined output. The output also goes to <workDir>/logs/<logName>.log.
 * Fails with the last lines of the output when the exit code is not 0 (unless `allowFailure`).
 */
function run(command, args, { cwd = ROOT, env = cleanEnv(), logName, allowFailure = false, timeoutMs = 15 * 60_000 } = {}) {
  const logFile = join(workDir, 'logs', `${logName}.log`);
  const file = createWriteStream(logFile);
  file.write(`$ ${command} ${args.join(' ')}\n# cwd ${cwd}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      file.write(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      file.end();
      reject(new CheckFailure(`could not start \`${command}\`: ${error.message}`, 'Check that it is installed (npm ci at the root).'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      file.end(`\n# exit ${code ?? signal}\n`);
      if (code === 0 || allowFailure) resolve({ code, output });
      else {
        reject(
          new CheckFailure(
            `\`${command} ${args.join(' ')}\` ${signal ? `was stopped (${signal}; timeout ${seconds(timeoutMs)}?)` : `exited with ${code}`}`,
            `Read the full log: ${logFile}`,
            tail(output),
          ),
        );
      }
    });
  });
}

function tail(text, lines = 40) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Ends a child we started and everything it started (its own process group), never anything else. */
function killGroup(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Stops verdaccio and any step still running; the temp folder stays (main() removes it after a pass). */
function stopChildren() {
  if (stopped) return;
  stopped = true;
  for (const child of children) killGroup(child);
  if (verdaccio) killGroup(verdaccio.child);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n[release:check] ${signal}: stopping verdaccio and the running step.`);
    stopChildren();
    if (workDir) console.error(`[release:check] the temp folder is kept: ${workDir}`);
    process.exit(130);
  });
}

/** Reads a file out of a .tgz made by `npm pack` (every entry is under `package/`). */
async function readFromTarball(tarball, path) {
  const { output } = await run('tar', ['-xzOf', tarball, `package/${path}`], { logName: `tar-${basename(tarball)}` });
  return output;
}

function sha512Integrity(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Build and pack

async function buildAndPack() {
  await step('build (turbo)', () =>
    run('npx', ['turbo', 'run', 'build', ...PACKAGES.map((name) => `--filter=${name}`)], { logName: 'build' }),
  );
  const tarballDir = join(workDir, 'tarballs');
  mkdirSync(tarballDir);
  const packed = await step('npm pack', async () => {
    const { output } = await run(
      'npm',
      ['pack', ...PACKAGES.flatMap((name) => ['-w', name]), '--pack-destination', tarballDir, '--json', '--ignore-scripts'],
      { logName: 'pack' },
    );
    const json = output.slice(output.indexOf('['), output.lastIndexOf(']') + 1);
    return JSON.parse(json);
  });
  return PACKAGES.map((name) => {
    const entry = packed.find((item) => item.name === name);
    if (!entry) throw new CheckFailure(`npm pack did not produce ${name}`, `Run \`npm pack -w ${name}\` and read its output.`);
    return {
      name,
      version: entry.version,
      tarball: join(tarballDir, entry.filename),
      size: entry.size,
      unpackedSize: entry.unpackedSize,
      files: entry.entryCount,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Check the tarballs: manifest, publint, are-the-types-wrong

/** A published package must name real ranges for our own packages: `*`, `workspace:` or `file:` do not install. */
async function checkManifest(pkg, all) {
  const manifest = JSON.parse(await readFromTarball(pkg.tarball, 'package.json'));
  if (manifest.private) throw new CheckFailure(`${pkg.name} is private`, 'Remove "private" or drop it from the release.');
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (!all.some((other) => other.name === dep)) continue;
      if (range === '*' || range === '' || range === 'latest' || /^(workspace|file|link):/.test(range)) {
        problems.push(`${field}["${dep}"] is "${range}"`);
      }
    }
  }
  if (problems.length > 0) {
    throw new CheckFailure(
      `${pkg.name}: the packed package.json has unpublishable internal ranges: ${problems.join('; ')}`,
      `Give them a caret range of the current version (npm install -w ${pkg.name} <dep>@^<version>); changesets keeps it up to date.`,
    );
  }
  pkg.internalDependencies = Object.fromEntries(
    Object.entries(manifest.dependencies ?? {}).filter(([dep]) => all.some((other) => other.name === dep)),
  );
}

async function runPublint(pkg) {
  const { publint } = await import(pathToFileURL(rootRequire.resolve('publint')).href);
  const { formatMessage } = await import(pathToFileURL(rootRequire.resolve('publint/utils')).href);
  const data = readFileSync(pkg.tarball);
  // strict: warnings count as errors; suggestions are printed only.
  const { messages, pkg: manifest } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    strict: true,
  });
  const lines = messages.map((message) => `  ${message.type}: ${formatMessage(message, manifest, { color: false })}`);
  const errors = messages.filter((message) => message.type === 'error');
  if (errors.length > 0) {
    throw new CheckFailure(
      `publint found ${errors.length} error(s) in ${pkg.name}`,
      `Fix the package.json fields it names (exports/main/types/files) in packages/${pkg.name.split('/')[1]}.`,
      lines.join('\n'),
    );
  }
  pkg.publint = messages.length === 0 ? 'ok' : `ok, ${messages.length} suggestion(s)`;
  for (const line of lines) log(`${pkg.name} publint ${line.trim()}`);
}

/**
 * are-the-types-wrong on the tarball. Every problem fails the check, those under the `node10` resolution too: the
 * pcf-scripts template compiles with `moduleResolution: node`, which finds subpath entries such as `/client` only
 * through `typesVersions`.
 */
async function runAttw(pkg) {
  const attw = join(dirname(rootRequire.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
  const profile = ATTW_PROFILE[pkg.name] ? ['--profile', ATTW_PROFILE[pkg.name]] : [];
  const { output } = await run(process.execPath, [attw, pkg.tarball, '--format', 'json', ...profile], {
    logName: `attw-${basename(pkg.tarball)}`,
    allowFailure: true, // it exits 1 on any problem; the JSON decides
    env: cleanEnv({ NO_COLOR: '1' }),
  });
  let result;
  try {
    result = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1));
  } catch {
    throw new CheckFailure(`are-the-types-wrong did not print JSON for ${pkg.name}`, 'Run it by hand to see why.', tail(output));
  }
  if (result.analysis?.types === false) {
    throw new CheckFailure(`${pkg.name} contains no types`, 'Build it (tsup emits the .d.ts files) and check "files".');
  }
  // The JSON lists the problems a profile ignores too: drop those resolutions (attw's own esm-only profile).
  const ignored = ATTW_PROFILE[pkg.name] === 'esm-only' ? ['node10', 'node16-cjs'] : [];
  const problems = Object.values(result.problems ?? {}).flat().filter((problem) => !ignored.includes(problem.resolutionKind));
  const describe = (problem) =>
    `${problem.kind}${problem.entrypoint ? ` at "${problem.entrypoint}"` : ''}${problem.resolutionKind ? ` (${problem.resolutionKind})` : ''}`;
  if (problems.length > 0) {
    throw new CheckFailure(
      `are-the-types-wrong found ${problems.length} problem(s) in ${pkg.name}`,
      'See https://github.com/arethetypeswrong/arethetypeswrong.github.io/tree/main/docs/problems for each kind; a node10 problem at a subpath means a missing "typesVersions" entry.',
      problems.map((problem) => `  ${describe(problem)}`).join('\n'),
    );
  }
  pkg.attw = 'ok';
}

// ---------------------------------------------------------------------------------------------------------------
// 3. A throwaway verdaccio

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startVerdaccio() {
  const dir = join(workDir, 'verdaccio');
  mkdirSync(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  // `@sdap/*` only, publishable by an authenticated user; no uplink: npm takes every other package from npmjs itself
  // (createUserConfig), so a package asked of verdaccio that is not ours is a 404, not a silent proxy. Proxied through
  // here, the consumer's install took 95 s instead of 50 s: verdaccio fetched and rewrote every packument, and npm's
  // cache never answered (its keys hold verdaccio's random port). No web UI, no audit middleware.
  const config = [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '    max_users: 1',
    'packages:',
    "  '@sdap/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'web:',
    '  enable: false',
    `listen: 127.0.0.1:${port}`,
    'max_body_size: 50mb',
    'logs: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config);
  const bin = join(dirname(rootRequire.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const version = JSON.parse(readFileSync(rootRequire.resolve('verdaccio/package.json'), 'utf8')).version;
  const logFile = join(workDir, 'logs', 'verdaccio.log');
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [bin, '--config', configFile], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  verdaccio = { child, url, port, version, logFile };
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) {
      throw new CheckFailure('verdaccio exited during startup', `Read ${logFile}.`, tail(readFileSync(logFile, 'utf8')));
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return verdaccio;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new CheckFailure(`verdaccio did not answer on ${url} within 30 s`, `Read ${logFile}.`);
}

/**
 * Creates a throwaway user; returns an .npmrc (in the temp folder) that takes `@sdap/*` from verdaccio with its token
 * and everything else from npmjs, as a user's npm does once our packages are published there.
 */
async function createUserConfig() {
  const name = 'release-check';
  const password = randomBytes(18).toString('base64url');
  const response = await fetch(`${verdaccio.url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new CheckFailure(`verdaccio refused the throwaway user (HTTP ${response.status})`, `Read ${verdaccio.logFile}.`, JSON.stringify(body));
  }
  const npmrc = join(workDir, '.npmrc');
  const host = verdaccio.url.replace(/^http:/, '');
  writeFileSync(
    npmrc,
    `registry=${UPSTREAM}\n@sdap:registry=${verdaccio.url}\n${host}:_authToken=${body.token}\naudit=false\nfund=false\nupdate-notifier=false\n`,
  );
  return npmrc;
}

/** npm flags for every command in the temp folders: only the .npmrc above counts. */
const registryFlags = (npmrc) => ['--userconfig', npmrc];

async function publish(pkg, npmrc) {
  await run('npm', ['publish', pkg.tarball, ...registryFlags(npmrc), '--registry', verdaccio.url, '--access', 'public', '--tag', 'latest', '--ignore-scripts'], {
    cwd: workDir,
    logName: `publish-${basename(pkg.tarball)}`,
  });
  const response = await fetch(`${verdaccio.url}${pkg.name.replace('/', '%2f')}`);
  const packument = await response.json();
  const published = packument.versions?.[pkg.version];
  if (!published || published.dist?.integrity !== sha512Integrity(pkg.tarball)) {
    throw new CheckFailure(`${pkg.name}@${pkg.version} is not on the local registry as packed`, `Read ${verdaccio.logFile}.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The consumer control

/** Where npm took a package from, per the lockfile, and that it is the tarball we packed. */
function assertFromLocalRegistry(projectDir, pkg) {
  const installedDir = join(projectDir, 'node_modules', ...pkg.name.split('/'));
  if (!existsSync(installedDir)) throw new CheckFailure(`${pkg.name} is not in ${relative(workDir, projectDir)}/node_modules`, 'Read the npm install log.');
  if (lstatSync(installedDir).isSymbolicLink()) {
    throw new CheckFailure(`${pkg.name} was linked, not installed`, 'The temp project must not be inside the workspace.');
  }
  const installed = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${pkg.name}`];
  const expectedIntegrity = sha512Integrity(pkg.tarball);
  if (installed.version !== pkg.version || !entry?.resolved?.startsWith(verdaccio.url) || entry.integrity !== expectedIntegrity) {
    throw new CheckFailure(
      `${pkg.name} in ${relative(workDir, projectDir)} did not come from the local registry as packed ` +
        `(installed ${installed.version}, resolved ${entry?.resolved}, integrity ${entry?.integrity === expectedIntegrity ? 'matches' : 'differs'})`,
      'Check the registry flags and the dependency range.',
    );
  }
  return { version: installed.version, resolved: entry.resolved };
}

async function buildConsumer(sdk, npmrc) {
  const dir = join(workDir, 'consumer-control');
  // A clean copy: no node_modules, no lockfile, no earlier output.
  cpSync(CONSUMER_SOURCE, dir, {
    recursive: true,
    filter: (source) => !/(^|[\\/])(node_modules|out|generated|package-lock\.json)$/.test(relative(CONSUMER_SOURCE, source)),
  });
  // The control asks for the SDK version just published, so an older copy anywhere cannot satisfy it.
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (!manifest.dependencies?.[sdk.name]) {
    throw new CheckFailure(`examples/consumer-control/package.json does not depend on ${sdk.name}`, 'Add the dependency back.');
  }
  manifest.dependencies[sdk.name] = sdk.version;
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  await step('consumer: npm install (@sdap/* from verdaccio)', () =>
    run('npm', ['install', ...registryFlags(npmrc), '--no-audit', '--no-fund'], { cwd: dir, logName: 'consumer-install' }),
  );
  const installed = assertFromLocalRegistry(dir, sdk);
  const pcfVersion = JSON.parse(readFileSync(join(dir, 'node_modules', 'pcf-scripts', 'package.json'), 'utf8')).version;

  await step('consumer: pcf-scripts build --buildMode production', async () => {
    const { output } = await run(
      process.execPath,
      [join(dir, 'node_modules', 'pcf-scripts', 'bin', 'pcf-scripts.js'), 'build', '--buildMode', 'production'],
      { cwd: dir, logName: 'consumer-build', allowFailure: true }, // judged by its log, below
    );
    // pcf-scripts exits 0 when ESLint, the manifest or webpack fail (packages/pcf-control/README.md): read the log.
    const failed = /\[build\]\s+Failed/i.test(output);
    if (failed || !/\[build\]\s+Succeeded/.test(output)) {
      throw new CheckFailure(
        `the consumer control did not build: pcf-scripts ${failed ? 'reported "[build] Failed"' : 'did not report "[build] Succeeded"'}`,
        `Read ${join(workDir, 'logs', 'consumer-build.log')}. A TypeScript error about @sdap/navmap-sdk means the ` +
          'published types or exports would break consumers; an ESLint error is in examples/consumer-control.',
        tail(output),
      );
    }
  });
  const bundleFile = join(dir, 'out', 'controls', CONSUMER_CONTROL, 'bundle.js');
  if (!existsSync(bundleFile)) throw new CheckFailure(`no ${relative(dir, bundleFile)} after the build`, 'Read the build log.');
  const bundle = readFileSync(bundleFile);
  const sizes = { bytes: statSync(bundleFile).size, gzip: gzipSync(bundle, { level: 9 }).length };
  discard(dir);
  return { installed, pcfVersion, ...sizes };
}

// ---------------------------------------------------------------------------------------------------------------
// 5. The server, installed like a user would

async function smokeServer(server, sdk, npmrc) {
  const dir = join(workDir, 'server-smoke');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'navmap-server-smoke', private: true, dependencies: { [server.name]: server.version } }, null, 2)}\n`,
  );
  await step('server: npm install (@sdap/* from verdaccio)', () =>
    run('npm', ['install', ...registryFlags(npmrc), '--no-audit', '--no-fund'], { cwd: dir, logName: 'server-install' }),
  );
  assertFromLocalRegistry(dir, server);
  // Its SDK dependency must resolve to the SDK just published.
  const sdkInstalled = assertFromLocalRegistry(dir, sdk);
  await step('server: import, require and CLI', async () => {
    const esm = `const m = await import(${JSON.stringify(server.name)}); if (typeof m.createNavMapService !== 'function') throw new Error('no createNavMapService export'); console.log(Object.keys(m).length);`;
    await run(process.execPath, ['--input-type=module', '-e', esm], { cwd: dir, logName: 'server-import' });
    const cjs = `const m = require(${JSON.stringify(server.name)}); if (typeof m.createNavMapService !== 'function') throw new Error('no createNavMapService export');`;
    await run(process.execPath, ['-e', cjs], { cwd: dir, logName: 'server-require' });
    const { output } = await run(join(dir, 'node_modules', '.bin', 'navmap-server'), ['--version'], { cwd: dir, logName: 'server-cli' });
    if (!output.includes(server.version)) {
      throw new CheckFailure(`navmap-server --version printed "${output.trim()}", expected ${server.version}`, 'Check SERVER_VERSION in the CLI.');
    }
  });
  return { sdkVersion: sdkInstalled.version, dir };
}

// ---------------------------------------------------------------------------------------------------------------
// 6. and 7. The CLIs QA and operators install: the validation runner and the review CLI

/** What an install put on disk: `du -sk` of node_modules (without a browser) and its number of files. */
async function installSize(dir) {
  const modules = join(dir, 'node_modules');
  const { output } = await run('du', ['-sk', modules], { logName: `du-${basename(dir)}` });
  const files = readdirSync(modules, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  return { megabytes: Number.parseInt(output.split('\t')[0], 10) / 1024, files };
}

/** A clean folder with one dependency installed from verdaccio (and checked to be the tarball packed). */
async function installAlone(pkg, npmrc, folder) {
  const dir = join(workDir, folder);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: folder, private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2)}\n`);
  await step(`${folder}: npm install (@sdap/* from verdaccio)`, () =>
    run('npm', ['install', ...registryFlags(npmrc), '--no-audit', '--no-fund'], { cwd: dir, logName: `${folder}-install` }),
  );
  assertFromLocalRegistry(dir, pkg);
  return dir;
}

async function checkRunner(runner, npmrc) {
  const dir = await installAlone(runner, npmrc, 'runner');
  const bin = join(dir, 'node_modules', '.bin', 'navmap-validate');
  // A QA machine's environment carries none of this repository's settings.
  const env = Object.fromEntries(Object.entries(cleanEnv()).filter(([name]) => !name.startsWith('NAVMAP_')));
  const listed = await step('runner: --list with a complete settings file', async () => {
    const { output } = await run(bin, ['--env-file', RUNNER_SETTINGS, '--list'], { cwd: dir, env, logName: 'runner-list' });
    const total = /Total: (\d+) tests? in (\d+) files?/.exec(output);
    if (!total || Number(total[1]) === 0 || !output.includes('[remote-setup]') || !output.includes('[remote]')) {
      throw new CheckFailure('the installed runner listed no remote tests', 'Read the log: the runner\'s bundle (e2e/scripts/build.ts) or its configuration is broken.', tail(output));
    }
    return `${total[1]} tests in ${total[2]} files`;
  });
  await step('runner: an empty settings file is refused before any test', async () => {
    const empty = join(dir, 'empty.env');
    writeFileSync(empty, '');
    const { code, output } = await run(bin, ['--env-file', empty, '--list'], { cwd: dir, env, logName: 'runner-bad-input', allowFailure: true });
    if (code !== 2 || !/^navmap-validate: NAVMAP_E2E_ORG_URL is missing: set it to /m.test(output) || output.includes('Total:')) {
      throw new CheckFailure(`the installed runner did not refuse an empty settings file with exit 2 and a line per variable (exit ${code})`, 'Read the log.', tail(output));
    }
  });
  const size = await installSize(dir);
  discard(dir);
  return { listed, size };
}

async function checkReview(review, npmrc) {
  const dir = await installAlone(review, npmrc, 'review');
  await step('review: packages/navmap-review/scripts/check-installed.mjs', () =>
    run(process.execPath, [REVIEW_CHECK, join(dir, 'node_modules', ...REVIEW.split('/'))], { cwd: dir, logName: 'review-check-installed' }),
  );
  const size = await installSize(dir);
  discard(dir);
  return { size };
}

// ---------------------------------------------------------------------------------------------------------------
// 8. The server as an App Service zip

/** `installedDir`: the folder where step 5 installed the server from the registry (its tree is the app's). */
async function checkAppServiceZip(server, installedDir) {
  const serverDir = join(ROOT, 'packages', 'navmap-server');
  const zip = join(workDir, 'appservice', 'navmap-server-appservice.zip');
  const made = await step('server zip: packageAppService.mjs from the installed server', () =>
    run(process.execPath, [join(serverDir, 'scripts', 'packageAppService.mjs'), '--installed', installedDir, '--out', zip], { logName: 'appservice-package' }),
  );
  const summary = /package: .*?: (.*)$/m.exec(made.output)?.[1] ?? '';
  if (!made.output.includes(`${server.name}@${server.version}`)) {
    throw new CheckFailure(`the App Service zip does not hold ${server.name}@${server.version}`, `Read ${join(workDir, 'logs', 'appservice-package.log')}.`, tail(made.output));
  }
  discard(installedDir); // the zip holds what the test needs
  await step('server zip: unzipped and started as App Service does', () =>
    run(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'scripts/vitest.config.ts'], {
      cwd: serverDir,
      env: cleanEnv({ NAVMAP_APPSERVICE_ZIP: zip }),
      logName: 'appservice-test',
    }),
  );
  const bytes = statSync(zip).size;
  discard(dirname(zip));
  return { summary, bytes };
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  log(`Node ${process.version}; repository ${ROOT}`);
  for (const tool of ['verdaccio/package.json', 'publint', '@arethetypeswrong/cli/package.json']) {
    try {
      rootRequire.resolve(tool);
    } catch {
      throw new CheckFailure(`${tool.replace('/package.json', '')} is not installed`, 'Run `npm ci` at the repository root.');
    }
  }
  if (!existsSync(join(CONSUMER_SOURCE, 'package.json'))) {
    throw new CheckFailure('examples/consumer-control is missing', 'Restore it from git.');
  }
  workDir = mkdtempSync(join(tmpdir(), 'navmap-release-check-'));
  mkdirSync(join(workDir, 'logs'));
  log(`temp folder ${workDir}`);

  const packages = await buildAndPack();
  // The packages at once: each are-the-types-wrong run is a process of its own.
  await step('check tarballs (manifest, publint, attw)', () =>
    Promise.all(
      packages.map(async (pkg) => {
        await checkManifest(pkg, packages);
        await runPublint(pkg);
        await runAttw(pkg);
      }),
    ),
  );
  const [sdk, server, runner, review] = packages;
  await step('start verdaccio', startVerdaccio);
  log(`verdaccio ${verdaccio.version} on ${verdaccio.url} (pid ${verdaccio.child.pid}): @sdap/* from there, the rest from ${UPSTREAM}`);
  const npmrc = await createUserConfig();
  await step('publish to verdaccio', async () => {
    for (const pkg of packages) await publish(pkg, npmrc);
  });
  // Independent folders, each mostly waiting on npm's downloads: all at once.
  const [consumer, [serverSmoke, appService], runnerCheck, reviewCheck] = await Promise.all([
    buildConsumer(sdk, npmrc),
    smokeServer(server, sdk, npmrc).then(async (smoke) => [smoke, await checkAppServiceZip(server, smoke.dir)]),
    checkRunner(runner, npmrc),
    checkReview(review, npmrc),
  ]);

  stopChildren();
  const total = Date.now() - started;
  console.log('\nRelease check passed.');
  for (const pkg of packages) {
    const deps = Object.entries(pkg.internalDependencies ?? {}).map(([dep, range]) => `${dep}@${range}`);
    console.log(
      `  ${pkg.name}@${pkg.version}: tarball ${kib(pkg.size)} (${pkg.files} files, ${kib(pkg.unpackedSize)} unpacked); ` +
        `publint ${pkg.publint}; attw ${pkg.attw}${deps.length ? `; depends on ${deps.join(', ')}` : ''}`,
    );
  }
  console.log(`  published to verdaccio ${verdaccio.version} at ${verdaccio.url} (stopped)`);
  console.log(
    `  consumer control ${CONSUMER_CONTROL} (pcf-scripts ${consumer.pcfVersion}): installed ${SDK}@${consumer.installed.version} ` +
      `from ${consumer.installed.resolved}; bundle.js ${consumer.bytes} bytes, gzip ${consumer.gzip} bytes`,
  );
  console.log(`  ${SERVER}@${server.version} installed from the local registry with ${SDK}@${serverSmoke.sdkVersion}: import, require and --version ok`);
  console.log(
    `  ${SERVER} App Service zip from the local registry: ${appService.summary}; its unzipped copy ran: npm start on PORT served /healthz ` +
      'and an authorized map against the local environment, and without settings printed check-config\'s lines and exited 1',
  );
  const size = ({ megabytes, files }) => `${megabytes.toFixed(1)} MB on disk, ${files} files`;
  console.log(`  ${RUNNER}@${runner.version} installed from the local registry (${size(runnerCheck.size)}, no browser): the installed navmap-validate listed ${runnerCheck.listed} and refused an empty settings file`);
  console.log(`  ${REVIEW}@${review.version} installed from the local registry (${size(reviewCheck.size)}): its installed copy ran (check-installed.mjs)`);
  console.log(`  timings: ${timings.map(([name, ms]) => `${name} ${seconds(ms)}`).join('; ')}`);
  console.log(`  total ${seconds(total)}${KEEP ? `; temp folder kept: ${workDir}` : ''}`);
  if (!KEEP) {
    const t0 = Date.now();
    log(`removing ${workDir}`);
    await Promise.all(removals);
    await rm(workDir, { recursive: true, force: true });
    log(`removed (${seconds(Date.now() - t0)} after the checks)`);
  }
}

main().catch((error) => {
  stopChildren();
  const failure = error instanceof CheckFailure ? error : new CheckFailure(error?.stack ?? String(error), 'This is a bug in scripts/release-check.mjs.');
  console.error(`\n[release:check] FAILED: ${failure.message}`);
  if (failure.details) console.error(failure.details.replace(/^/gm, '  | '));
  console.error(`[release:check] What to do: ${failure.todo}`);
  if (workDir) console.error(`[release:check] Logs and temp files are kept in ${workDir}`);
  process.exit(1);
});
