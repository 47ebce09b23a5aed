import { describe, expect, it } from 'vitest';
import { humanBytes } from '../../../src/main/services/common/human-bytes';

describe('humanBytes', () => {
  it('says sizes the way a file manager does', () => {
    expect(humanBytes(0)).toBe('0 bytes');
    expect(humanBytes(1)).toBe('1 byte');
    expect(humanBytes(1536)).toBe('1.5 KB');
    expect(humanBytes(4 * 1024 * 1024)).toBe('4 MB');
    expect(humanBytes(123 * 1024 ** 3)).toBe('123 GB');
  });
});
