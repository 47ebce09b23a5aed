import { describe, expect, it } from 'vitest';
import { amiNameSchema, parseAccountIds } from '../../../src/shared/models/images';

describe('account ids typed in the Share field', () => {
  it('takes 12-digit ids separated by commas, spaces or lines, drops the console’s dashes and repeats', () => {
    expect(parseAccountIds('111122223333, 4444-5555-6666\n111122223333')).toEqual({ ids: ['111122223333', '444455556666'], problem: undefined });
  });

  it('refuses anything that is not 12 digits, naming it', () => {
    expect(parseAccountIds('111122223333 12345').problem).toContain('“12345” is not an AWS account ID');
    expect(parseAccountIds('1111222233334').problem).toContain('1111222233334');
    expect(parseAccountIds('11112222333a').problem).toContain('11112222333a');
    expect(parseAccountIds('   ').problem).toContain('Type the 12-digit');
  });
});

describe('AMI names', () => {
  it('follows EC2’s rule: 3–128 of letters, digits and ( ) [ ] . / - \' @ _ and spaces', () => {
    expect(amiNameSchema.safeParse('web-1 env (v2) [2026/12/05]').success).toBe(true);
    expect(amiNameSchema.safeParse('ab').success).toBe(false);
    expect(amiNameSchema.safeParse('a'.repeat(129)).success).toBe(false);
    expect(amiNameSchema.safeParse('env#1').success).toBe(false);
  });
});
