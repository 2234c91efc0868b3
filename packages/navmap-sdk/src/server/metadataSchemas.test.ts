import { describe, expect, it } from 'vitest';
import { manyToOneRelationshipsSchema, parseMetadata } from './metadataSchemas.js';

describe('parseMetadata', () => {
  it('stops reading a malformed answer at its first issue (a huge one ran the server out of memory)', () => {
    let read = 0;
    const item = (): object => ({
      get SchemaName(): undefined {
        read += 1;
        return undefined;
      },
    });
    const body = { value: Array.from({ length: 10_000 }, item) };
    expect(() => parseMetadata(manyToOneRelationshipsSchema, body, 'ManyToOneRelationships')).toThrow('malformed at `value.0.SchemaName`');
    expect(read).toBe(1);
  });
});
