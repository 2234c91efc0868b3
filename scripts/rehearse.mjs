#!/usr/bin/env node
// `npm run e2e:rehearse`: the post-deployment suite run exactly as QA runs it (docs/e2e.md), against the local
// environment started as its own process the way `npm start` runs it, shaped like a deployment: fixed ports, every
// URL https, Entra ID-shaped sign-in on a login. host with the test user enrolled in TOTP. The test process gets only
// what QA is given: URLs and credentials in NAVMAP_E2E_* variables (and, as a QA machine trusts a public CA, trust of
// the local certificate and loopback for *.localhost names). Then both sign-in routes: password + TOTP with the whole
// remote project, and the storage state that run saved, with the saved-session proof. Stops what it started.
// The suite runs as QA installs it: the validation runner @sdap/navmap-validate packed and installed into a folder of
// its own (npx @sdap/navmap-validate), not the repository's Playwright configuration.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Secret } from 'otpauth';
import { buildLocalStack, root, toolEnv } from './buildLocalStack.mjs';

const port = Number(process.env.NAVMAP_REHEARSAL_PORT ?? 7340);
if (!Number.isInteger(port) || port < 1024 || port > 65_532) {
  console.error(`NAVMAP_REHEARSAL_PORT must be a whole number from 1024 to 65532 (the environment takes it and the next three); it is "${process.env.NAVMAP_REHEARSAL_PORT}".`);
  process.exit(2);
}
const workDir = join(root, 'playwright', 'rehearsal');
mkdirSync(workDir, { recursive: true });
// QA's machine: the runner installed here, run from here (its sign-in saves the session under playwright/.auth/).
const qaDir = join(workDir, 'qa');
const AUTH_FILE = join(qaDir, 'playwright', '.auth', 'remote.json');
const SAVED_STATE = join(workDir, 'saved-storage-state.json');
const OUTPUT = join(workDir, 'validation');
const REPORT = join(OUTPUT, 'report', 'validation-report.md');
// A QA machine's own environment carries no NAVMAP_* settings of this repository's local runs.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NAVMAP_E2E_') && !name.startsWith('NAVMAP_LOCAL_')));

/** The deployment: `npm start` (scripts/start.mjs) as its own process, with the deployment-shaped switches. */
async function startEnvironment(totpSecret) {
  buildLocalStack(); // before importing @sdap/local-stack; npm start's own build then finds everything built
  const { runLocalStackProcess } = await import('@sdap/local-stack');
  const log = createWriteStream(join(workDir, 'environment.log'));
  try {
    const environment = await runLocalStackProcess({
      script: join(root, 'scripts', 'start.mjs'),
      cwd: root,
      inheritEnv: false,
      env: {
        ...cleanEnv,
        NAVMAP_LOCAL_PORT: String(port),
        NAVMAP_LOCAL_SIGN_IN: 'entra',
        NAVMAP_LOCAL_TOTP_SECRET: totpSecret,
        NAVMAP_LOCAL_BFF_HTTPS: 'true',
      },
      startTimeoutMs: 600_000,
      onOutput: (chunk) => log.write(chunk),
    });
    return {
      url: environment.url,
      line: environment.line,
      certificate: /self-signed \(([^)]+)\)/.exec(environment.output)?.[1],
      async stop() {
        await environment.stop();
        log.end();
      },
    };
  } catch (error) {
    log.end();
    throw new Error(`${error.message}\n(The environment's whole output is in ${join(workDir, 'environment.log')}.)`);
  }
}

/** The NAVMAP_E2E_* variables docs/e2e.md tells QA to set, from what the environment printed. */
async function qaVariables(environment, totpSecret) {
  const { sdapSeed, DOCUMENTS_SUBGRID } = await import('@sdap/local-environment');
  const matterForm = new URL(environment.url('Matter form'));
  const leadForm = new URL(environment.url('Lead form'));
  const issuer = new URL(environment.url('Identity provider'));
  const [username, afterUsername = ''] = environment.line('Sign in as').split(' / ');
  const password = afterUsername.split(' ')[0];
  const [clientId, clientSecret] = environment.line('QA client (NavMap.Read)').split(' / ');
  const bff = new URL(environment.url('BFF (upload API + NavMap endpoint)'));
  const records = Object.fromEntries(sdapSeed.parents.map((parent) => [`NAVMAP_E2E_RECORD_${parent.toUpperCase()}`, sdapSeed.records[parent][0]?.id ?? '']));
  return {
    NAVMAP_E2E_ORG_URL: matterForm.origin,
    // The local form host serves every form whatever the app; a deployment's app id names the app whose forms host the control.
    NAVMAP_E2E_APP_ID: '5d1c7a8e-2b3f-4c6d-9e0a-1b2c3d4e5f60',
    NAVMAP_E2E_BFF_URL: bff.origin,
    NAVMAP_E2E_BFF_SCOPE: 'api://navmap-bff/NavMap.Read',
    NAVMAP_E2E_TENANT_ID: issuer.pathname.split('/')[1] ?? '',
    NAVMAP_E2E_CLIENT_ID: clientId?.trim() ?? '',
    NAVMAP_E2E_CLIENT_SECRET: clientSecret?.trim() ?? '',
    NAVMAP_E2E_AUTHORITY_HOST: issuer.origin,
    ...records,
    // The form designer's name of the Documents subgrid, as QA reads it from the deployed form.
    NAVMAP_E2E_DOCUMENTS_SUBGRID: DOCUMENTS_SUBGRID,
    NAVMAP_E2E_UNSUPPORTED_RECORD: `${leadForm.searchParams.get('etn')}:${leadForm.searchParams.get('id')}`,
    NAVMAP_E2E_USERNAME: username?.trim() ?? '',
    NAVMAP_E2E_PASSWORD: password?.trim() ?? '',
    NAVMAP_E2E_TOTP_SECRET: totpSecret,
  };
}

/** Runs a command to its end with the tool environment; stops the rehearsal naming it when it fails. */
function runOrExit(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env: toolEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}) in ${cwd}.`);
}

/** Packs the runner and installs the tarball into QA's folder, as `npm install @sdap/navmap-validate` would. */
function installRunner() {
  runOrExit('npx', ['turbo', 'run', 'build', '--filter=@sdap/navmap-validate', '--output-logs=errors-only'], root);
  rmSync(qaDir, { recursive: true, force: true });
  mkdirSync(qaDir, { recursive: true });
  const pack = spawnSync('npm', ['pack', '-w', '@sdap/navmap-validate', '--pack-destination', qaDir, '--json'], { cwd: root, env: toolEnv, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack -w @sdap/navmap-validate failed:\n${pack.stderr}`);
  const [{ filename }] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  writeFileSync(join(qaDir, 'package.json'), `${JSON.stringify({ name: 'qa-machine', private: true }, null, 2)}\n`);
  runOrExit('npm', ['install', `./${filename}`, '--no-audit', '--no-fund', '--prefer-offline'], qaDir);
  return join(qaDir, 'node_modules', '.bin', 'navmap-validate');
}

function navmapValidate(runner, args, env) {
  return new Promise((resolve) => {
    const child = spawn(runner, args, { cwd: qaDir, env, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

// The authenticator app's registration: a fresh secret each rehearsal, given to the identity provider and to QA.
const totpSecret = new Secret({ size: 20 }).base32;
console.log(`Rehearsal: starting the environment (npm start) on ports ${port}-${port + 3} with Entra ID-shaped sign-in and TOTP...`);
let environment;
let exitCode = 1;
try {
  environment = await startEnvironment(totpSecret);
  console.log('Rehearsal: installing the validation runner (npm pack of @sdap/navmap-validate, npm install in a folder of its own)...');
  const runner = installRunner();
  const variables = await qaVariables(environment, totpSecret);
  // What a QA machine has without being told: trust in the deployment's certificate authority (here the local
  // self-signed certificate) and name resolution (here *.localhost to loopback, as Chromium already does).
  const machine = {
    ...(environment.certificate ? { NODE_EXTRA_CA_CERTS: environment.certificate } : {}),
    // By file URL: QA's folder has no @sdap/local-environment to resolve the name from.
    NODE_OPTIONS: `${cleanEnv.NODE_OPTIONS ?? ''} --import ${pathToFileURL(createRequire(join(root, 'package.json')).resolve('@sdap/local-environment/register-localhost-names')).href}`.trim(),
  };
  console.log(`Rehearsal: QA's variables (docs/e2e.md):\n${Object.entries(variables).map(([name, value]) => `  ${name}=${/SECRET|PASSWORD/.test(name) ? '***' : value}`).join('\n')}`);

  console.log('\nRehearsal, route 1: the test user signs in with password and authenticator code; the whole remote project runs.');
  // A shared CI machine's timings say little about a deployment: report missed targets, do not fail on them.
  const firstRoute = await navmapValidate(runner, ['--output', OUTPUT, '--report-missed-targets'], { ...cleanEnv, ...machine, ...variables });
  let secondRoute = 1;
  if (existsSync(AUTH_FILE)) {
    copyFileSync(AUTH_FILE, SAVED_STATE);
    console.log(`\nRehearsal, route 2: the storage state route 1 saved (${SAVED_STATE}), with the saved-session proof.`);
    const withoutUser = Object.fromEntries(Object.entries(variables).filter(([name]) => !['NAVMAP_E2E_USERNAME', 'NAVMAP_E2E_PASSWORD', 'NAVMAP_E2E_TOTP_SECRET'].includes(name)));
    secondRoute = await navmapValidate(runner, ['--output', join(workDir, 'validation-saved-session'), '--report-missed-targets', '--', 'savedSession.spec', '--reporter=list'], {
      ...cleanEnv,
      ...machine,
      ...withoutUser,
      NAVMAP_E2E_STORAGE_STATE: SAVED_STATE,
    });
  } else {
    console.error(`Rehearsal, route 2: skipped, route 1 saved no storage state (${AUTH_FILE}).`);
  }
  console.log(
    `\nRehearsal: route 1 (password + TOTP) ${firstRoute === 0 ? 'passed' : 'FAILED'}; route 2 (saved storage state) ${secondRoute === 0 ? 'passed' : 'FAILED'}.` +
      `\nReport: ${REPORT} (remote target; Playwright's HTML report and junit.xml beside it). Missed targets are reported,` +
      ' not failing the run (--report-missed-targets), because this runs on a shared CI machine.',
  );
  exitCode = firstRoute === 0 && secondRoute === 0 ? 0 : 1;
  // `npm run e2e:rehearse -- --update-example`: the remote example report comes from a real run, never edited by hand.
  if (exitCode === 0 && process.argv.includes('--update-example')) {
    copyFileSync(REPORT, join(root, 'docs', 'validation-report.remote.example.md'));
    console.log('Updated docs/validation-report.remote.example.md');
  }
} catch (error) {
  console.error(`Rehearsal: ${error.message}`);
} finally {
  await environment?.stop();
}
process.exit(exitCode);
