/**
 * The "validate after deploy" pipeline templates (docs/operations/pipelines/) against the runner they install: parsed
 * with a YAML parser, the GitHub Actions workflow checked against SchemaStore's workflow schema (@action-validator/core,
 * offline), and both checked for the steps QA relies on and for every variable the runner requires, read from the
 * runner's own settings reader.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { RUNNER_OPTIONS } from '../cli/runnerOptions.js';
import { readRemoteSettings, RemoteSettingsError } from '../support/remoteSettings.js';

const pipelines = join(dirname(createRequire(import.meta.url).resolve('@sdap/docs/package.json')), 'operations', 'pipelines');
const read = (file: string) => readFileSync(join(pipelines, file), 'utf8');

/** The variables the runner refuses to start without: those an empty environment is told to set (one source). */
function requiredVariables(): string[] {
  try {
    readRemoteSettings({});
  } catch (error) {
    if (error instanceof RemoteSettingsError) return error.problems.map((problem) => /^(NAVMAP_E2E_[A-Z_]+)/.exec(problem)?.[1] ?? problem);
    throw error;
  }
  throw new Error('readRemoteSettings accepted an empty environment');
}

/** The flags a command line gives the runner (those after the package, not npx's own). */
function flagsOf(command: string): string[] {
  const runnerArgs = command.slice(command.indexOf('@sdap/navmap-validate'));
  return [...runnerArgs.matchAll(/\s--([a-z-]+)/g)].map((match) => match[1] as string);
}

/** The step's command runs the published runner with npx and passes it only options it has. */
function expectRunsTheRunner(command: string | undefined): void {
  expect(command).toMatch(/^npx --yes @sdap\/navmap-validate@/);
  for (const flag of flagsOf(command ?? '')) expect(Object.keys(RUNNER_OPTIONS), `--${flag}`).toContain(flag);
}

/** Every variable the runner requires is in the step's env, and every env variable comes from `reference(name)`. */
function expectVariablesFrom(env: Readonly<Record<string, string>>, reference: (name: string) => string): void {
  for (const name of requiredVariables()) expect(env[name], name).toBe(reference(name));
  for (const [name, value] of Object.entries(env)) expect(value, name).toBe(reference(name));
}

interface Step {
  readonly name?: string;
  readonly displayName?: string;
  readonly run?: string;
  readonly script?: string;
  readonly task?: string;
  readonly uses?: string;
  readonly env?: Record<string, string>;
  readonly inputs?: Record<string, string>;
  readonly with?: Record<string, string>;
}

describe('the runner', () => {
  it('names the required variables in its settings reader', () => {
    expect(requiredVariables()).toEqual(expect.arrayContaining(['NAVMAP_E2E_ORG_URL', 'NAVMAP_E2E_CLIENT_SECRET', 'NAVMAP_E2E_RECORD_SPRK_MATTER', 'NAVMAP_E2E_PASSWORD']));
  });
});

describe('the GitHub Actions workflow', () => {
  const source = read('validate-after-deploy.github-workflow.yml');
  const workflow = parse(source) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it('is YAML and a valid workflow by SchemaStore\'s schema', () => {
    expect(parseDocument(source).errors).toEqual([]);
    expect(validateWorkflow(source).errors).toEqual([]);
  });

  it('installs and runs the runner, publishes the JUnit results and uploads the reports', () => {
    expect(steps.map((step) => step.name)).toEqual(['Use Node 22', 'Validate the deployment', 'Publish the test results', 'Show the validation report', 'Upload the reports']);
    expectRunsTheRunner(steps[1]?.run);
    expect(steps[2]?.uses).toMatch(/^mikepenz\/action-junit-report@v\d+$/);
    expect(steps[2]?.with?.report_paths).toBe('navmap-validation/report/junit.xml');
    expect(steps[4]?.uses).toMatch(/^actions\/upload-artifact@v\d+$/);
    expect(steps[4]?.with?.path).toBe('navmap-validation');
    for (const step of steps.slice(2)) expect(step, step.name).toMatchObject({ if: '${{ !cancelled() }}' });
  });

  it('passes every variable the runner requires, each from the secret store', () => {
    expectVariablesFrom(steps[1]?.env ?? {}, (name) => `\${{ secrets.${name} }}`);
  });
});

describe('the Azure Pipelines YAML', () => {
  const source = read('validate-after-deploy.azure-pipelines.yml');
  const pipeline = parse(source) as { steps: Step[]; variables: ({ group: string } | { name: string; value: string })[] };
  const { steps } = pipeline;

  it('is YAML', () => {
    expect(parseDocument(source).errors).toEqual([]);
  });

  it('installs and runs the runner, publishes the JUnit results to the Tests tab and uploads the reports', () => {
    expect(steps.map((step) => step.displayName)).toEqual(['Use Node 22', 'Validate the deployment', 'Publish the test results', 'Show the validation report', 'Upload the reports']);
    expectRunsTheRunner(steps[1]?.script);
    expect(steps[1]?.script).toContain('--output "$(reportDir)"');
    expect(steps[2]).toMatchObject({ task: 'PublishTestResults@2', condition: 'succeededOrFailed()', inputs: { testResultsFormat: 'JUnit', testResultsFiles: '$(reportDir)/report/junit.xml' } });
    expect(steps[4]).toMatchObject({ task: 'PublishPipelineArtifact@1', condition: 'succeededOrFailed()', inputs: { targetPath: '$(reportDir)' } });
  });

  it('maps every variable the runner requires from the variable group (secret variables reach a script only through env)', () => {
    expect(pipeline.variables).toContainEqual({ group: 'navmap-validation' });
    expectVariablesFrom(steps[1]?.env ?? {}, (name) => `$(${name})`);
  });
});

describe('the example settings file', () => {
  it('is complete and well-formed for the runner (the release check lists the tests with it)', () => {
    const env = parseEnv(read('navmap-validation.example.env'));
    expect(() => readRemoteSettings(env)).not.toThrow();
    for (const name of requiredVariables()) expect(env[name], name).toBeTruthy();
  });
});
