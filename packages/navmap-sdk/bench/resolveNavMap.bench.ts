/**
 * How many Dataverse requests and how much time one resolveNavMap call costs, against a metadata double on a real
 * socket with a fixed latency. Goal: 2 requests and one round trip per call, whatever the number of parents.
 */
import { resolveNavMap } from '../src/server/resolveNavMap.js';
import { sdapSchema, startFakeDataverseServer } from '../test/fakeDataverse.js';

const LATENCY_MS = 50;
const CALLS = 10;

function schemaWithParents(count: number) {
  const schema = sdapSchema();
  const parents: string[] = [];
  for (let index = 0; index < count; index++) {
    const entity = `sprk_parent${index}`;
    parents.push(entity);
    schema.entities[entity] = { EntitySetName: `${entity}s` };
    schema.relationships.sprk_document?.push({
      SchemaName: `sprk_${entity}_document`,
      ReferencingAttribute: entity,
      ReferencedEntity: entity,
      ReferencingEntityNavigationPropertyName: `sprk_Parent${index}`,
      ReferencedEntityNavigationPropertyName: `sprk_${entity}_document`,
    });
  }
  return { schema, parents };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

console.log(`resolveNavMap against a Dataverse double with ${LATENCY_MS} ms latency, ${CALLS} calls per row`);
console.log('parents | requests/call | median ms/call | ms/call ÷ one round trip');
for (const count of [1, 5, 50]) {
  const { schema, parents } = schemaWithParents(count);
  const server = await startFakeDataverseServer(LATENCY_MS, schema);
  const durations: number[] = [];
  try {
    await resolveNavMap({ dataverseUrl: server.url, childEntity: 'sprk_document', parents }); // warm the connection pool
    const before = server.requestCount();
    for (let call = 0; call < CALLS; call++) {
      const started = performance.now();
      const map = await resolveNavMap({ dataverseUrl: server.url, childEntity: 'sprk_document', parents });
      durations.push(performance.now() - started);
      if (Object.keys(map.parents).length !== count) throw new Error(`expected ${count} parents resolved`);
    }
    const requestsPerCall = (server.requestCount() - before) / CALLS;
    const ms = median(durations);
    console.log(`${String(count).padStart(7)} | ${requestsPerCall.toFixed(1).padStart(13)} | ${ms.toFixed(1).padStart(14)} | ${(ms / LATENCY_MS).toFixed(2)}`);
  } finally {
    await server.close();
  }
}
