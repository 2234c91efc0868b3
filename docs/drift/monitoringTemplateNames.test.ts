import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MONITORING_TEMPLATE_PATH } from './buildMonitoringTemplate.js';
import { armGuid, evaluateArmExpression, type ArmScope } from './evaluateArmExpression.js';

interface TemplateResource {
  readonly type: string;
  readonly name: string;
  readonly properties: { readonly displayName?: string };
}

interface Template {
  readonly parameters: Record<string, { readonly defaultValue?: unknown }>;
  readonly resources: readonly TemplateResource[];
}

const template = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', MONITORING_TEMPLATE_PATH), 'utf8')) as Template;

const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000001';
const resourceGroup = { id: `${SUBSCRIPTION}/resourceGroups/monitoring`, name: 'monitoring', location: 'westeurope' };
const component = (group: string, name: string) => `${SUBSCRIPTION}/resourceGroups/${group}/providers/microsoft.insights/components/${name}`;

/** One deployed resource as the resource group holds it: its key is the type and name, compared without case as ARM does. */
interface Deployed {
  readonly type: string;
  readonly name: string;
  readonly displayName: string | undefined;
  /** The Application Insights resource the deployment was for. */
  readonly deployedFor: string;
}

/** The resources one deployment of the template creates, with every parameter at its default but the required ones. */
function deployment(applicationInsightsResourceId: string): Deployed[] {
  const parameters: Record<string, unknown> = { applicationInsightsResourceId, emailReceivers: ['devops@contoso.com'] };
  // ARM evaluates a default value after the parameters it names; the template lists them in that order.
  for (const [name, parameter] of Object.entries(template.parameters)) {
    if (name in parameters || parameter.defaultValue === undefined) continue;
    parameters[name] = typeof parameter.defaultValue === 'string' ? evaluateArmExpression(parameter.defaultValue, { parameters, resourceGroup }) : parameter.defaultValue;
  }
  const scope: ArmScope = { parameters, resourceGroup };
  return template.resources.map((resource) => ({
    type: resource.type,
    name: String(evaluateArmExpression(resource.name, scope)),
    displayName: resource.properties.displayName === undefined ? undefined : String(evaluateArmExpression(resource.properties.displayName, scope)),
    deployedFor: applicationInsightsResourceId,
  }));
}

/**
 * Deploys into the fake resource group: a resource of the same type and name that another Application Insights
 * resource's deployment created would be taken over (its rules re-pointed, its workbook overwritten); a workbook of
 * the same display name beside another one would be two entries the portal cannot tell apart.
 */
function deployInto(group: Deployed[], resources: readonly Deployed[]): string[] {
  const conflicts: string[] = [];
  for (const resource of resources) {
    const key = `${resource.type}/${resource.name}`.toLowerCase();
    const existing = group.find((other) => `${other.type}/${other.name}`.toLowerCase() === key);
    if (existing !== undefined && existing.deployedFor !== resource.deployedFor) conflicts.push(`${key} already belongs to ${existing.deployedFor}`);
    const sameTitle = group.find(
      (other) => other !== existing && other.type === resource.type && resource.type === 'Microsoft.Insights/workbooks' && other.displayName === resource.displayName,
    );
    if (sameTitle !== undefined) conflicts.push(`workbook "${resource.displayName}" already exists as ${sameTitle.name}`);
    if (existing === undefined) group.push(resource);
  }
  return conflicts;
}

describe(`the names docs/${MONITORING_TEMPLATE_PATH} deploys`, () => {
  it('are derived from the Application Insights resource: two resources deploy into one group without a conflict', () => {
    const group: Deployed[] = [];
    const first = deployment(component('navmap-prod', 'navmap-ai'));
    const second = deployment(component('navmap-prod', 'navmap-ai-eu'));
    expect(deployInto(group, first)).toEqual([]);
    expect(deployInto(group, second)).toEqual([]);
    expect(group).toHaveLength(first.length + second.length);
    expect(first.find((resource) => resource.type === 'Microsoft.Insights/workbooks')?.displayName).toBe('NavMap - navmap-ai (navmap-prod)');
    expect(first.filter((resource) => resource.type === 'Microsoft.Insights/scheduledQueryRules').map((resource) => resource.name)).toEqual([
      expect.stringMatching(/^navmap-navmap-ai-[0-9a-f]{8}-endpoint-failures$/),
      expect.stringMatching(/^navmap-navmap-ai-[0-9a-f]{8}-document-create-failures$/),
      expect.stringMatching(/^navmap-navmap-ai-[0-9a-f]{8}-server-load-share$/),
      expect.stringMatching(/^navmap-navmap-ai-[0-9a-f]{8}-refresh-failures$/),
    ]);
  });

  it('differ for two resources of the same name in different groups', () => {
    const group: Deployed[] = [];
    expect(deployInto(group, deployment(component('navmap-prod', 'navmap-ai')))).toEqual([]);
    expect(deployInto(group, deployment(component('navmap-test', 'navmap-ai')))).toEqual([]);
  });

  it('are the same when the same resource is deployed again: a redeployment updates its own resources', () => {
    const group: Deployed[] = [];
    const id = component('navmap-prod', 'navmap-ai');
    expect(deployInto(group, deployment(id))).toEqual([]);
    expect(deployInto(group, deployment(id))).toEqual([]);
    expect(group).toHaveLength(template.resources.length);
  });

  it('leave a workbook imported by hand as "NavMap" (monitoring.md) alone', () => {
    const group: Deployed[] = [{ type: 'Microsoft.Insights/workbooks', name: armGuid('imported by hand'), displayName: 'NavMap', deployedFor: 'the portal' }];
    expect(deployInto(group, deployment(component('navmap-prod', 'navmap-ai')))).toEqual([]);
  });

  it('name the workbook with guid(resource group id, Application Insights resource id, "navmap-workbook")', () => {
    const id = component('navmap-prod', 'navmap-ai');
    const workbook = deployment(id).find((resource) => resource.type === 'Microsoft.Insights/workbooks');
    // A workbook's resource name must be a GUID: a version 5 UUID here.
    expect(workbook?.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(workbook?.name).toBe(armGuid(resourceGroup.id, id, 'navmap-workbook'));
    expect(workbook?.name).not.toBe(armGuid(resourceGroup.id, component('navmap-prod', 'navmap-ai-eu'), 'navmap-workbook'));
  });
});

describe('evaluateArmExpression', () => {
  const scope: ArmScope = { parameters: { id: '/a/b/c' }, resourceGroup };

  it('reads literals, escaped quotes, [[ and plain strings as ARM does', () => {
    expect(evaluateArmExpression("[format('{0}''s {1}', 'NavMap', 2)]", scope)).toBe("NavMap's 2");
    expect(evaluateArmExpression('[[not an expression]', scope)).toBe('[not an expression]');
    expect(evaluateArmExpression('plain', scope)).toBe('plain');
    expect(evaluateArmExpression("[last(split(parameters('id'), '/'))]", scope)).toBe('c');
    expect(evaluateArmExpression('[resourceGroup().location]', scope)).toBe('westeurope');
    expect(evaluateArmExpression("[take('abcdef', 3)]", scope)).toBe('abc');
  });

  it('refuses what it does not know instead of guessing', () => {
    expect(() => evaluateArmExpression("[uniqueString(parameters('id'))]", scope)).toThrow('uniqueString() is not a function this evaluator knows');
    expect(() => evaluateArmExpression("[parameters('missing')]", scope)).toThrow("parameters('missing') is not defined");
  });
});
