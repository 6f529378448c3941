// Each section's SECTION_FILES entry (config/normalize.ts) agrees with how the file is read (issue 16): what import
// says a section loads as is what the loader makes of the same file. Checked for the section's absence here (import
// leaves a section out when it has nothing to write; a section where absent means "not managed" must not load as
// "none"); the written sections are checked end to end by test/import (the written file, loaded, plans no change).

import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { SECTION_FILES } from '../../src/config/normalize.js';
import { FILE_SECTIONS } from '../../src/model/kinds.js';

const ORG = {
  console: '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
  enterprise: '9f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
};

function loadedWithout(kind: 'console' | 'enterprise') {
  const r = parseDesired(`version: 1\norganization: { id: ${ORG[kind]}, kind: ${kind} }\n`, 'bare.yaml');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.desired!;
}

describe('SECTION_FILES: a section that is not written', () => {
  it.each(FILE_SECTIONS.flatMap((s) => (['console', 'enterprise'] as const).map((k) => [s, k] as const)))(
    '%s (%s org) loads as the loader reads its absence',
    (s, kind) => {
      const read = loadedWithout(kind);
      const says = SECTION_FILES[s].load(undefined);
      expect(Object.keys(says).length).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(says)) expect(value, field).toEqual(read[field as keyof typeof read]);
    },
  );
});
