import { MEDIACONVERT_PRICES, PriceTableSchema, priceTableCodec } from '../contracts/pricing';
import { parseBillingTier, parseSubmittedAt } from '../contracts/job-metadata';

describe('PriceTableSchema', () => {
  it('fills every field from the documented table', () => {
    expect(PriceTableSchema.parse({})).toEqual(MEDIACONVERT_PRICES);
  });

  it('takes an override of one figure and keeps the others', () => {
    // Act
    const table = PriceTableSchema.parse({ asOf: '2026-01', basicPerNormalizedMinute: 0.008 });

    // Assess
    expect(table).toEqual({ ...MEDIACONVERT_PRICES, asOf: '2026-01', basicPerNormalizedMinute: 0.008 });
  });

  it.each([
    [{ basicPerNormalizedMinute: 0 }, /basicPerNormalizedMinute must be a positive number/],
    [{ professionalPerNormalizedMinute: 22.5 }, /above \$10 is a typo/],
    [{ asOf: 'September 2024' }, /YYYY-MM/],
    [{ hdFromPixels: 3_000_000 }, /hdFromPixels must be below uhdAbovePixels/],
    [{ cheaper: true }, /cheaper/],
  ])('rejects %p', (input, message) => {
    const result = PriceTableSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });
});

describe('priceTableCodec', () => {
  it('round-trips the table through its environment variable', () => {
    expect(priceTableCodec.decode(priceTableCodec.encode(MEDIACONVERT_PRICES))).toEqual(MEDIACONVERT_PRICES);
  });

  it.each([
    ['{not json', /not JSON/],
    [
      '{"basicPerNormalizedMinute":-1}',
      /not a price table:\n {2}- basicPerNormalizedMinute: basicPerNormalizedMinute must be a positive number/,
    ],
  ])('refuses %s, naming the field', (raw, message) => {
    expect(() => priceTableCodec.decode(raw)).toThrow(message);
  });
});

describe('job timing metadata', () => {
  it.each([undefined, '', 'yesterday', '-5', '0', 1_700_000_000_123, '1e12'])('reads no submission time from %p', (value) => {
    expect(parseSubmittedAt(value)).toBeUndefined();
  });

  it.each([undefined, 'basic', 'PRO', 3])('reads no tier from %p', (value) => {
    expect(parseBillingTier(value)).toBeUndefined();
  });
});
