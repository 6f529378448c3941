import { describe, expect, it } from 'vitest';
import { intern } from '../../src/model/intern.js';

describe('intern', () => {
  it('returns a string equal to its argument, for short, long, empty and non-ASCII values', () => {
    const long = 'x'.repeat(200);
    for (const s of ['user', 'developer', '', 'ünïcødé', long, 'user'.slice(0, 2), `${'claude_code'}_user`]) {
      expect(intern(s)).toBe(s);
    }
  });

  it('keeps answering with the value itself once its table is full', () => {
    const values = Array.from({ length: 3000 }, (_, i) => `role_${i}`);
    expect(values.map(intern)).toEqual(values);
    expect(values.map(intern)).toEqual(values);
  });
});
