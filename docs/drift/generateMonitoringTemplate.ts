// `npm run generate -w @sdap/docs`: writes docs/operations/navmap-monitoring.json from the alert rules of
// @sdap/navmap-review (build it first) and docs/operations/navmap-workbook.json. The docs test fails when the
// committed file differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertRules } from '@sdap/navmap-review';
import { MONITORING_TEMPLATE_PATH, renderMonitoringTemplate } from './buildMonitoringTemplate.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const workbook: unknown = JSON.parse(readFileSync(join(docs, 'operations', 'navmap-workbook.json'), 'utf8'));
const target = join(docs, MONITORING_TEMPLATE_PATH);
writeFileSync(target, renderMonitoringTemplate({ alertRules, workbook }));
console.log(`wrote ${target}`);
