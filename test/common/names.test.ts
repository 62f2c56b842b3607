import { Duration } from 'cdk8s';
import { toGoDuration } from '../../src/common/duration';
import { contentHash, isDnsLabel, joinName, stableStringify } from '../../src/common/names';

test('stableStringify sorts keys at every depth and drops undefined', () => {
  expect(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
});

test('contentHash depends on content, not key order', () => {
  expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
  expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  expect(contentHash('x', 12)).toMatch(/^[0-9a-f]{12}$/);
});

test('joinName keeps the suffix whole and stays within the limit', () => {
  expect(joinName('hello', 'abc')).toBe('hello-abc');
  const long = joinName('a'.repeat(70), '0123456789');
  expect(long).toHaveLength(63);
  expect(long.endsWith('-0123456789')).toBe(true);
  expect(isDnsLabel(joinName('ab-'.repeat(30), 'ffff'))).toBe(true);
});

test('isDnsLabel follows RFC 1123', () => {
  expect(isDnsLabel('hello-1')).toBe(true);
  expect(isDnsLabel('Hello')).toBe(false);
  expect(isDnsLabel('-a')).toBe(false);
  expect(isDnsLabel('a'.repeat(64))).toBe(false);
});

test('toGoDuration writes Go durations', () => {
  expect(toGoDuration(Duration.minutes(90))).toBe('1h30m');
  expect(toGoDuration(Duration.seconds(45))).toBe('45s');
  expect(toGoDuration(Duration.millis(1500))).toBe('1s500ms');
  expect(toGoDuration(Duration.seconds(0))).toBe('0s');
});
